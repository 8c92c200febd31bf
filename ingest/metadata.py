"""What a document is: its title, a date when the text gives one, and its language."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ingest.clean import Span
from vectorstore.text import detect_language, split_sentences

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_NUMBER = {
    name: i % 12 + 1
    for i, name in enumerate(
        "january february march april may june july august september october november december".split()
    )
}
_DATES = (
    re.compile(r"\b(?:date\s+)?((?:19|20)\d\d)-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?\b"),
    re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}}),\s+((?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTHS})\.?\s+((?:19|20)\d\d)\b", re.IGNORECASE),
)


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
    in_text = find_date(text[: max(300, kept[0][1]) if kept else 300][:600])
    return DocumentInfo(
        title=declared.get("title") or derive_title(text, kept) or fallback_title,
        date=declared.get("date") or in_text or declared.get("created", ""),
        language=detect_language(body[:3000]),
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


def find_date(text: str) -> str:
    """The first date in the text as ISO 8601 (YYYY-MM or YYYY-MM-DD), or ''."""
    best: tuple[int, str] | None = None
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        iso = _to_iso(match.groups())
        if iso and (best is None or match.start() < best[0]):
            best = (match.start(), iso)
    return best[1] if best else ""


def _to_iso(groups: tuple[str | None, ...]) -> str:
    parts = [g for g in groups if g]
    if parts[0].isdigit() and len(parts[0]) == 4:
        return "-".join(parts)
    if parts[0].isdigit():
        day, month, year = parts
    else:
        month, day, year = parts
    number = _month(month)
    return f"{year}-{number:02d}-{int(day):02d}" if number else ""


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    for full, number in _MONTH_NUMBER.items():
        if full.startswith(name):
            return number
    return 0
