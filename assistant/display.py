"""Text from documents and the model, made safe to show in a Markdown renderer (the app), and
errors as the one line a user reads there.

Streamlit renders Markdown almost everywhere (messages, captions, button labels, table cells), so
a document titled `![logo](http://host/beacon.png)` would make the page fetch that URL, and
`[Session expired: click here](http://…)` would become a live link. Everything that comes from a
document or the model passes through `plain` before it is shown.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from vectorstore.errors import (
    AssistantError,
    EmptyIndexError,
    IndexMismatchError,
    ModelNotFoundError,
)

log = logging.getLogger(__name__)


def plain(text: str) -> str:
    """Text shown as it is, never as Markdown or HTML: a document's or the model's
    `![img](http://…)`, `[link](…)`, `<img>`, `:red[…]` or `$…$` stays text (every ASCII
    punctuation mark escaped), and a bare URL or address is no link (an invisible word joiner
    inside `://`, `www.` and before `@`, which Markdown's autolinks need unbroken)."""
    return _PUNCTUATION.sub(r"\\\g<0>", _AUTOLINK.sub(_join, text))


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_AUTOLINK = re.compile(r"(?i)(:)(//)|(w)(ww\.)|()(@)")


def _join(match: re.Match[str]) -> str:
    head, tail = (g for g in match.groups() if g is not None)
    return f"{head}\u2060{tail}"


def cells(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Table rows whose text is shown as it is (st.table renders Markdown in its cells)."""
    return [{k: plain(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def explain(exc: Exception) -> str:
    """One line: what went wrong and what to do about it."""
    if isinstance(exc, EmptyIndexError):
        return "The collection is empty: add articles in the sidebar, then press **Re-ingest**."
    if isinstance(exc, IndexMismatchError):
        return f"{plain(str(exc))}. Press **Re-ingest** in the sidebar to rebuild the index."
    if isinstance(exc, ModelNotFoundError):
        return f"A model is missing: {plain(str(exc))}. Run `make models` to assemble them."
    if isinstance(exc, AssistantError):
        return plain(str(exc))
    log.exception("unexpected error in the app")
    what = plain(f"{type(exc).__name__}: {exc}")
    return f"Something went wrong ({what}). The details are in the server log."
