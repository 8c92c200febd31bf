"""Understand, first step: a follow-up that leans on the conversation ("How old is he?") is
rewritten by the model into a question that stands alone ("How old is Mark Milley?"), so that
retrieval and the draft see what is really asked. A question that stands alone is not touched."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from assistant.llm import ChatBackend
from assistant.pipeline.question import leans_on_history
from assistant.prompt import rewrite_messages

History = Sequence[dict[str, str]]
_LABEL = re.compile(r"^\W*\w+\s*:\s*")


def standalone(
    question: str, language: str, history: History, llm: ChatBackend
) -> tuple[str, float]:
    """(the question as it stands alone, ms spent rewriting it)."""
    users = [m.get("content", "") for m in history if m.get("role") == "user"]
    if not users or not leans_on_history(question, language):
        return question, 0.0
    started = time.perf_counter()
    reply = "".join(llm.stream(rewrite_messages(question, history), 48, stop=["\n"]))
    rewritten = _LABEL.sub("", reply.strip().strip('"').strip()).strip('"').strip()
    elapsed = (time.perf_counter() - started) * 1000
    if rewritten.endswith("?") and len(rewritten) <= 4 * len(question) + 200:
        return rewritten, elapsed
    # The model answered instead of rewriting: the previous question carries the context.
    return f"{users[-1].strip()} {question}", elapsed
