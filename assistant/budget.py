"""Budgets: how much one question may ask of the machine, so one user cannot stall the others.

A question longer than `max_question_chars`, or holding more than `max_parts` separate questions,
is refused with one line before any model runs; the conversation the model reads is cut to the
last `max_history_messages` turns, each to `max_question_chars`; an answer that passes
`max_answer_seconds` skips its optional steps (the second look, the search for conflicting
sources) and stops before drafting another part.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from vectorstore.errors import AssistantError


class OverBudgetError(AssistantError):
    """The question asks more than one answer may take (its message says which bound)."""


def check_length(question: str, max_chars: int) -> None:
    """Refuse a question longer than `max_chars` characters."""
    if len(question) > max_chars:
        raise OverBudgetError(
            f"the question is {len(question):,} characters long; the limit is {max_chars:,} "
            "(ASSISTANT_MAX_QUESTION_CHARS): ask something shorter"
        )


def check_parts(parts: Sequence[str], max_parts: int) -> None:
    """Refuse a message that holds more than `max_parts` separate questions."""
    if len(parts) > max_parts:
        raise OverBudgetError(
            f"the message holds {len(parts)} questions; at most {max_parts} are answered at "
            "once (ASSISTANT_MAX_PARTS): ask the others in another message"
        )


def bounded_history(
    history: Sequence[dict[str, str]], max_messages: int, max_chars: int
) -> list[dict[str, str]]:
    """The last `max_messages` turns of the conversation, each cut to `max_chars`."""
    recent = list(history)[-max_messages:] if max_messages > 0 else []
    return [{**m, "content": m.get("content", "")[:max_chars]} for m in recent]


class Clock:
    """Time since the question arrived: when the first token came, and whether the answer has
    used up its `budget_s` seconds."""

    def __init__(self, budget_s: float = 0.0) -> None:
        self.started = time.perf_counter()
        self.first_token_ms = 0.0
        self.budget_ms = budget_s * 1000

    def token(self) -> None:
        if not self.first_token_ms:
            self.first_token_ms = self.elapsed()

    def elapsed(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def over(self) -> bool:
        """Whether the answer has used up its time (never, with no budget)."""
        return self.budget_ms > 0 and self.elapsed() > self.budget_ms

    def stop_if_over(self) -> None:
        """Stop an answer that has used up its time before it starts another part."""
        if self.over():
            raise OverBudgetError(
                f"no answer within {self.budget_ms / 1000:.0f} s (ASSISTANT_MAX_ANSWER_SECONDS): "
                "ask fewer things at once, or try again when the machine is less busy"
            )
