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
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assistant.types import Answer
from vectorstore.errors import (
    AssistantError,
    EmptyIndexError,
    IndexMismatchError,
    ModelNotFoundError,
)
from vectorstore.schema import DocumentRecord

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


def collection_line(docs: Mapping[str, DocumentRecord]) -> str:
    """The collection at a glance: documents, chunks, and when it was last ingested."""
    chunks = sum(d.chunks for d in docs.values())
    last = max((d.ingested_at for d in docs.values()), default=0.0)
    when = datetime.fromtimestamp(last).strftime("%Y-%m-%d %H:%M") if last else "never"
    return f"{len(docs)} documents · {chunks} chunks · last ingest {when}"


def document_line(doc: DocumentRecord) -> str:
    """A document in the collection's list: its title (cut at 80 characters), then its file,
    date and chunks in small type."""
    title = doc.title if len(doc.title) <= 80 else doc.title[:79] + "…"
    about = f"{plain(doc.source)} · {plain(doc.date or 'no date')} · {doc.chunks} chunks"
    return f"**{plain(title)}**  \n:small[{about}]"


def also_published(
    source: str, docs: Mapping[str, DocumentRecord], copies: Mapping[str, str]
) -> list[str]:
    """The other copies of a document's story (syndicated, republished), each as its outlet or
    title and file, first published first (plain text: the viewer sets it as text)."""
    story = copies.get(source)
    others = [s for s, first in copies.items() if first == story and s != source and s in docs]
    others.sort(key=lambda s: (docs[s].date or "9999", s))
    return [f"{docs[s].outlet or docs[s].title} ({s})" for s in others] if story else []


def timings_line(answer: Answer) -> str:
    """Where the answer's time went, and how big its prompt was."""
    t = answer.timings
    return (
        f"**Timings** · retrieval {t.retrieve_ms:.0f} ms · rewrite {t.rewrite_ms:.0f} ms · "
        f"first token {t.first_token_ms:.0f} ms · total {t.total_ms:.0f} ms  \n"
        f"**Prompt** · {answer.prompt_tokens} tokens · {len(answer.evidence)} evidence sentences"
    )


def how_made_tables(answer: Answer) -> list[tuple[str, list[dict[str, Any]]]]:
    """The tables under "How this answer was made", their text escaped: the passages with their
    scores (always, even when empty), the citations and the check of each draft sentence (when
    there are any)."""
    passages = [
        dict(title=p.title, file=p.source, span=f"{p.start}..{p.end}", score=round(p.score, 4))
        | dict(dense=round(p.dense, 3), bm25=round(p.lexical, 3))
        for p in answer.passages
    ]
    citations = [
        dict(n=c.n, file=c.source, span=f"{c.start}..{c.end}", verdict=c.verdict)
        | dict(support=round(c.support, 2))
        for c in answer.citations
    ]
    checks = [
        dict(verdict=c.verdict, sentence=c.sentence, cites=", ".join(map(str, c.cited)))
        | dict(support=round(c.support, 2), reason=c.reason)
        for c in answer.checks
    ]
    tables = [("Retrieved passages", cells(passages))]
    if citations:
        tables.append(("Citations", cells(citations)))
    if checks:
        tables.append(("Citation checks, sentence by sentence", cells(checks)))
    return tables
