"""Sources that disagree: when the question asks for a date or a number and another retrieved
source gives a different one for the same thing, the answer says so and cites both sides.

Small models do not notice disagreements reliably, so this is done in code after the check: the
values (dates, numbers with their unit) of the sentences the answer cites are compared with the
values of the other retrieved sentences that are about the same question (close in meaning, or
sharing its words), from other sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.types import Citation, Evidence
from assistant.verify import Verified
from vectorstore.text import tokenize

Idf = Callable[[str], float]
Relevance = Callable[[Evidence], float]

_MONTHS = {
    "january": 1, "jan": 1, "januar": 1, "february": 2, "feb": 2, "februar": 2, "march": 3,
    "mar": 3, "marts": 3, "april": 4, "apr": 4, "may": 5, "maj": 5, "june": 6, "jun": 6, "juni": 6,
    "july": 7, "jul": 7, "juli": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "oktober": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_DATES = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}(?![\d,.]*\d){_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}\b", re.IGNORECASE),
]
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[,.]\d{3})+|\d+)(?:-(\w+)-(\w+)|\s+(\w+)|-(\w+))?")
_ASKS_DATE = re.compile(
    r"\b(when|what date|which date|what day|by when|until when|deadline|hvornår|hvilken dato|"
    r"dato|frist)\b",
    re.IGNORECASE,
)
_ASKS_NUMBER = re.compile(
    r"\b(how (many|much|old|long)|what (number|age|share)|hvor (mange|meget|gammel|længe))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Value:
    """A date or a number found in a sentence; `key` says what it counts, `value` how much."""

    kind: str  # date | month | number
    key: str
    value: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class Conflict:
    """The answer's value (from `cited`) against a different one from another source."""

    value: Value
    cited: Evidence
    other_value: Value
    other: Evidence


def asked_kind(question: str) -> str | None:
    """'date' or 'number' when the question asks for one, else None."""
    if _ASKS_DATE.search(question):
        return "date"
    if _ASKS_NUMBER.search(question):
        return "number"
    return None


def values(text: str, language: str = "en") -> list[Value]:
    """Dates (day precision, or month and year) and counted numbers in a text."""
    found: list[Value] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31 and not _overlaps(m.span(), taken):
                month = _MONTHS[m.group("month").lower()]
                found.append(Value("date", "day", (month, day), m.group(0).strip()))
                taken.append(m.span())
    for m in _MONTH_YEAR.finditer(text):
        if not _overlaps(m.span(), taken):
            month, year = _MONTHS[m.group("month").lower()], int(m.group("year"))
            found.append(Value("month", "month", (year, month), m.group(0)))
            taken.append(m.span())
    for m in _NUMBER.finditer(text):
        if _overlaps(m.span(), taken):
            continue
        digits = re.sub(r"[,.]", "", m.group(1))
        unit_words = [w for w in m.groups()[1:] if w]
        if m.group(2) and m.group(3) and m.group(3).lower() == "old":  # "70-year-old envoy"
            unit_words = [_next_word(text, m.end()) or "old"]
        unit = " ".join(tokenize(" ".join(unit_words[-1:]), language)) if unit_words else ""
        if unit and not (1900 <= int(digits) <= 2099 and len(digits) == 4):
            found.append(Value("number", unit, (int(digits),), m.group(0)))
    return found


def find_conflicts(
    question: str,
    language: str,
    answer: str,
    cited: Sequence[Evidence],
    candidates: Sequence[Evidence],
    relevance: Relevance,
    min_relevance: float,
) -> list[Conflict]:
    """Values the answer states (in its text and its cited sentences) that another relevant source
    contradicts: same kind and unit, different value, different source. One per other value."""
    kind = asked_kind(question)
    if kind is None or not cited:
        return []
    wanted = ("date", "month") if kind == "date" else ("number",)
    stated = [v for v in values(answer, language) if v.kind in wanted]
    if not stated:
        return []
    sources = {e.source for e in cited}
    conflicts: list[Conflict] = []
    seen: set[tuple[str, tuple[int, ...]]] = {(v.key, v.value) for v in stated}
    for other in sorted(candidates, key=lambda e: -relevance(e)):
        if other.source in sources or relevance(other) < min_relevance:
            continue
        for value in values(other.text, other.language or language):
            mine = [v for v in stated if v.kind == value.kind and v.key == value.key]
            if not mine or (value.key, value.value) in seen:
                continue
            seen.add((value.key, value.value))
            home = next((e for e in cited if _has(e, mine[0])), cited[0])
            conflicts.append(Conflict(mine[0], home, value, other))
    return conflicts


def _next_word(text: str, position: int) -> str:
    match = re.match(r"\s+(\w+)", text[position:])
    return match.group(1) if match else ""


def _has(evidence: Evidence, value: Value) -> bool:
    return any(v.key == value.key and v.value == value.value for v in values(evidence.text))


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


_NOTE = {
    "en": "However, another source gives {value}: “{quote}”",
    "da": "En anden kilde angiver dog {value}: “{quote}”",
}


def with_conflicts(verified: Verified, conflicts: Sequence[Conflict], language: str) -> Verified:
    """The answer with one added sentence per conflict, quoting and citing the other side."""
    if not conflicts:
        return verified
    citations = list(verified.citations)
    parts = [verified.text]
    for conflict in conflicts:
        other = conflict.other
        n = next((c.n for c in citations if (c.source, c.start, c.end) == _key(other)), 0)
        if not n:
            n = len(citations) + 1
            citations.append(
                Citation(n, other.source, other.title, other.start, other.end, other.text)
            )
        note = _NOTE.get(language, _NOTE["en"])
        quote = _around(other.text, conflict.other_value.text)
        parts.append(f"{note.format(value=conflict.other_value.text, quote=quote)} [{n}]")
    return replace(verified, text=" ".join(parts), citations=tuple(citations))


def describe(conflict: Conflict) -> str:
    """One line naming both sides, for the Answer's `conflicts`."""
    return (
        f"{conflict.value.text} ({conflict.cited.source}) vs "
        f"{conflict.other_value.text} ({conflict.other.source})"
    )


def _key(evidence: Evidence) -> tuple[str, int, int]:
    return evidence.source, evidence.start, evidence.end


def _around(text: str, value: str, width: int = 160) -> str:
    """The sentence, or the part of it around the value when it is long."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    at = max(0, text.find(value))
    start = max(0, at - width // 2)
    end = min(len(text), start + width)
    clip = text[start:end]
    if start > 0:
        clip = "…" + clip.split(" ", 1)[-1]
    if end < len(text):
        clip = clip.rsplit(" ", 1)[0] + "…"
    return clip
