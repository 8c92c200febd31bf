"""What a document is: its title, its publication date when it has one (`vectorstore.dates`),
and its language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.clean import Span
from vectorstore.dates import document_date
from vectorstore.text import detect_language, split_sentences


@dataclass(frozen=True)
class DocumentInfo:
    """Descriptive metadata derived from a document's text."""

    title: str
    date: str
    language: str


def describe(
    text: str,
    kept: tuple[Span, ...],
    fallback_title: str,
    declared: Mapping[str, str] | None = None,
) -> DocumentInfo:
    """Title, date (ISO, as precise as the text allows) and language of a cleaned document.
    What the file declares about itself (`declared`: its metadata, front matter) comes first; a
    file's creation date counts only when the text gives no date."""
    declared = declared or {}
    body = " ".join(text[s:e] for s, e in kept[:12])
    language = detect_language(body[:3000])
    return DocumentInfo(
        title=declared.get("title") or derive_title(text, kept) or fallback_title,
        date=document_date(text, language, declared),
        language=language,
    )


def derive_title(text: str, kept: tuple[Span, ...]) -> str:
    """The first short line that reads like a headline, else the first sentence, shortened."""
    for start, end in kept[:3]:
        first_line = text[start:end].split("\n", 1)[0].strip().lstrip("#").strip()
        first_line = re.sub(r"^\s*date\s+\d{4}-\d\d(-\d\d)?\s*", "", first_line)
        if 12 <= len(first_line) <= 140 and not first_line.endswith((".", ":", "?")):
            return first_line
    if not kept:
        return ""
    start, end = kept[0]
    first = split_sentences(text, start, end)[0]
    sentence = text[first[0] : first[1]]
    sentence = re.sub(r"^\s*date\s+\d{4}-\d\d(-\d\d)?\s*", "", sentence)
    sentence = re.sub(r"^[A-Z]{3,}\s+-\s+", "", sentence)  # dateline: "TEHRAN - "
    return sentence if len(sentence) <= 100 else sentence[:97].rsplit(" ", 1)[0] + "…"
