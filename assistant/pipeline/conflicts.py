"""Sources that disagree: when the answer is a number or a date and another article's sentence,
nearly as relevant to the question, answers the same question with a different number, the
answer says so and cites both sides.

"The same question" is taken literally: the other sentence is given to the model alone with the
question, and its reply goes through the same check as any draft. So a sentence that merely holds
some other number (a year, a count of something else) is no conflict unless the model reads it
as answering what was asked, and no table of dates or units is needed for any language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.pipeline.check import Checked, Claim
from assistant.pipeline.grounding import numbers
from assistant.types import Evidence

Reread = Callable[[Sequence[Evidence]], Checked]
"""The question asked again over the given evidence only: a draft, checked."""
Related = Callable[[Evidence, Evidence], float]
"""How close in meaning two sentences are (cosine of their stored embeddings)."""


@dataclass(frozen=True)
class Conflict:
    """The answer's claim against another source's claim with another value."""

    claim: Claim
    other: Claim

    def describe(self) -> str:
        """One line naming both sides, for the Answer's `conflicts`."""
        return (
            f"{self.claim.text} ({self.claim.evidence.source}) vs "
            f"{self.other.text} ({self.other.evidence.source})"
        )


def find_conflicts(
    claims: Sequence[Claim],
    pool: Sequence[Evidence],
    reread: Reread,
    related: Related,
    *,
    margin: float,
    min_related: float,
    most: int = 2,
) -> list[Conflict]:
    """Other articles' answers to the question that differ from a numeric claim.

    `pool` holds the retrieved sentences scored against the question. A sentence is asked (at
    most `most` per claim) when it comes from another article, holds a number, scores at most
    `margin` below the claim's own sentence, and is about the same thing as that sentence (at
    least `min_related` close in meaning): a small model asked a question of a sentence about
    something else still finds a number in it.
    """
    conflicts: list[Conflict] = []
    for claim in claims:
        values = numbers(claim.text)
        if not values:
            continue
        floor = claim.evidence.score - margin
        candidates = [
            e for e in pool
            if e.source != claim.evidence.source and e.score >= floor and numbers(e.text)
            and related(e, claim.evidence) >= min_related
        ][:most]  # fmt: skip
        for candidate in candidates:
            other = reread([replace(candidate, n=1)]).claims
            theirs = numbers(other[0].text) if other else set()
            if theirs and not theirs <= values and not values <= theirs:
                conflicts.append(Conflict(claim, replace(other[0], evidence=candidate)))
                break
    return conflicts
