"""Decide: answer, or say plainly that the collection does not hold the answer.

An answer is given only when the draft holds up against its sources (at least one claim
survived the check) and the collection is about the question at all: the best passage or
sentence is at least `min_relevance` similar to it in meaning, or one of the first passages holds
at least `min_coverage` of its words (weighted by rarity). Otherwise the answer is "not found",
in the question's language, with no citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.pipeline.check import Checked, Claim
from assistant.pipeline.rerank import Retrieved


@dataclass(frozen=True)
class Decision:
    """Whether to answer, with which claims, and why not when not."""

    found: bool
    claims: tuple[Claim, ...]
    reason: str = ""


def relevant(retrieved: Retrieved, min_relevance: float, min_coverage: float) -> bool:
    """Whether the collection is about the question at all."""
    return retrieved.relevance >= min_relevance or retrieved.coverage >= min_coverage


def decide(
    parts: Sequence[Checked], retrieved: Retrieved, min_relevance: float, min_coverage: float
) -> Decision:
    """Answer with every claim that held up, when the collection is about the question."""
    claims = tuple(c for part in parts for c in part.claims)
    if not relevant(retrieved, min_relevance, min_coverage):
        return Decision(False, (), "no passage is close enough to the question")
    if not claims:
        refused = all(part.refused for part in parts)
        return Decision(False, (), "the model found no answer" if refused else "nothing held up")
    return Decision(True, claims)
