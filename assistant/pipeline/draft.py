"""Draft: the local model reads the numbered evidence sentences and replies with the fewest words
that answer, copied from one of them, and that sentence's number ("Saxon Garden [2]"), one line
per thing asked, or NOT FOUND.

The draft is streamed as the model writes it (a refusal is not: it is shown as one). Copying, not
writing, is what a small model does well, and what the check can hold it to.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.llm import ChatBackend
from assistant.prompt import NOT_FOUND, extract_messages
from assistant.types import Evidence


@dataclass(frozen=True)
class Draft:
    """What the model replied, what the prompt cost, and whether any of it was shown."""

    text: str
    prompt_tokens: int
    shown: bool


class Drafter(Protocol):
    """The draft stage: streams text deltas, returns the Draft (use with `yield from`)."""

    def __call__(
        self,
        question: str,
        evidence: Sequence[Evidence],
        prefix: str = "",
        rejected: Sequence[str] = (),
    ) -> Generator[str, None, Draft]: ...


class ExtractiveDrafter:
    """Asks the model for the shortest answer copied from the evidence, with its source number."""

    def __init__(
        self, llm: ChatBackend, max_tokens: int, on_token: Callable[[], None] = lambda: None
    ):
        self.llm = llm
        self.max_tokens = max_tokens
        self.on_token = on_token

    def __call__(
        self,
        question: str,
        evidence: Sequence[Evidence],
        prefix: str = "",
        rejected: Sequence[str] = (),
    ) -> Generator[str, None, Draft]:
        """Stream the draft; `prefix` goes before the first text shown; `rejected` are earlier
        answers that did not hold up, which the model is told are not the answer."""
        messages = extract_messages(question, evidence, rejected)
        text, shown = "", 0
        for delta in self.llm.stream(messages, self.max_tokens):
            self.on_token()
            text += delta
            head = text.strip()
            if NOT_FOUND.startswith(head) or head.startswith(NOT_FOUND):
                continue  # a refusal is shown as one, not streamed as model output
            yield (prefix if not shown else "") + text[shown:]
            shown = len(text)
        return Draft(text, self.llm.count_tokens(messages), shown > 0)


def drain(steps: Generator[str, None, Any]) -> Any:
    """Run a generator to its end, dropping what it yields; its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
