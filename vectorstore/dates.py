"""Dates written in a text: where they are, what they mean (ISO) and how precise they are.

Candidates are found by a regular expression per language, built from dateparser's month names
(en, da, de, fr, es) and that language's order of day, month and year; each is then checked as a
calendar date. `dateparser.search.search_dates` is not used: it is slow and over-eager (it reads
"now", "one of 38" or "three years" as dates and fills a missing day with today's). A bare year
counts only where the words around it make it a year ("in 1998", "1998 wurde"), not a count
("2000 people"), a label ("Page 2021") or part of a number ("1,998", "£2021", a phone number).

A language without a table is read for numeric and ISO dates and English month names only.
Weekdays and relative dates ("Monday", "yesterday") are never mentions: they cannot be placed
without a reference date.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from vectorstore.years import YEAR_LANGUAGES, year_spans

DAY, MONTH, YEAR = "day", "month", "year"

_LANGUAGES = ("en", "da", "de", "fr", "es")
_DAY_FIRST = frozenset({"da", "de", "fr", "es"})
_MONTH_KEYS = (
    "january february march april may june july august september october november december".split()
)
_DAY = r"(?P<day>0?[1-9]|[12]\d|3[01])"
_YEAR = r"(?P<year>1\d{3}|20\d{2})(?![\w]|[.,]\d)"
_ORDINAL = {"en": r"(?:st|nd|rd|th)?", "fr": r"(?:er|re|e)?", "es": r"(?:\.?[º°])?"}
_OF = {"en": r"(?:\s+of)?", "es": r"(?:\s+de)?"}
_MONTH_YEAR_JOIN = {"en": r",?\s+", "es": r"\s+(?:del?\s+)?"}

_ISO_DAY = re.compile(
    r"(?<![\w./-])(?P<year>1\d{3}|20\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?!\d)"
)
_ISO_MONTH = re.compile(
    r"(?<![\w./-])(?P<year>1\d{3}|20\d{2})-(?P<month>0[1-9]|1[0-2])(?!\w|[-./]\d)"
)
_NUMERIC = re.compile(
    r"(?<![\w./-])(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<year>1\d{3}|20\d{2})(?!\w|[./-]\d)"
)
_YEAR_FIRST = re.compile(
    r"(?<![\w./-])(?P<year>1\d{3}|20\d{2})/(?P<month>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])(?![\w/])"
)


@dataclass(frozen=True)
class DateMention:
    """A date written in a text: text[start:end] is the date as written; `iso` is YYYY-MM-DD,
    YYYY-MM or YYYY as `precision` ('day', 'month' or 'year') says."""

    start: int
    end: int
    iso: str
    precision: str


def mentions(text: str, language: str) -> list[DateMention]:
    """The dates written in `text`, in order: full dates, months of a year, and years that stand
    as years. Overlapping candidates are resolved in favour of the longer one."""
    candidates = itertools.chain(_worded(text, language), _numeric(text, language))
    found = [m for m in map(_mention, candidates) if m is not None]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    if language in YEAR_LANGUAGES:
        kept.extend(_years(text, language, kept))
        kept.sort(key=lambda m: m.start)
    return kept


def document_date(text: str, language: str, declared: Mapping[str, str] | None = None) -> str:
    """A document's publication date as ISO (YYYY-MM-DD or YYYY-MM), or ''.

    What the file declares as its date comes first; else the first full date in the dateline
    and byline area (the first ~600 characters), else a month written as ISO there ("date
    2021-10"); else the file's creation date."""
    declared = declared or {}
    if date := iso_date(declared.get("date", "")):
        return date
    head = [m for m in mentions(text[:600], language) if m.precision != YEAR]
    day = next((m.iso for m in head if m.precision == DAY), "")
    iso_month = next((m.iso for m in head if _ISO_MONTH.fullmatch(text[m.start : m.end])), "")
    return day or iso_month or iso_date(declared.get("created", ""))


def month_names(language: str) -> dict[str, int]:
    """The language's month names and abbreviations (lower case, with and without accents) →
    month number; English for a language without a table."""
    return dict(_months(language if language in _LANGUAGES else "en"))


def _month_pattern(language: str) -> str:
    """A regular expression (no groups) matching one of the language's month names."""
    names = sorted(month_names(language), key=len, reverse=True)
    return "|".join(re.escape(name) for name in names)


def iso_span(iso: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day an ISO date of any precision covers (YYYY, YYYY-MM, YYYY-MM-DD,
    a time after the day ignored), or None when it is no date."""
    match = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?![\d-])", iso.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 0 for g in match.groups())
    try:
        if day:
            first = datetime.date(year, month, day)
            return first, first
        if month:
            return datetime.date(year, month, 1), _month_end(year, month)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        return None


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@lru_cache(maxsize=8)
def _months(language: str) -> tuple[tuple[str, int], ...]:
    info = importlib.import_module(f"dateparser.data.date_translation_data.{language}").info
    names: dict[str, int] = {}
    for number, key in enumerate(_MONTH_KEYS, start=1):
        for name in info[key]:
            for form in (name.lower(), _unaccented(name.lower())):
                names.setdefault(form, number)
    return tuple(names.items())


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _worded_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    code = language if language in _LANGUAGES else "en"
    month = rf"(?P<month>{_month_pattern(code)})\.?"
    # "18 October", "18th of October", "18. Oktober", "18.oktober", "1er octobre", "18 de octubre"
    ordinal = _ORDINAL.get(code, "")
    between = _OF.get(code, "") + (r"(?:\.\s*|\s+)" if code in ("da", "de") else r"\s+")
    join = _MONTH_YEAR_JOIN.get(code, r"\s+")
    patterns = [
        rf"(?<!\w){_DAY}{ordinal}{between}{month}{join}{_YEAR}",
        rf"(?<![\w.,]){month}{join}{_YEAR}",
    ]
    if code == "en":
        patterns.insert(1, rf"(?<!\w){month}\s+{_DAY}(?:st|nd|rd|th)?,?\s+{_YEAR}")
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


_Candidate = tuple[re.Match[str], int, int, int]
"""A match and the year, month and day it reads as (0 for a part it leaves out)."""


def _worded(text: str, language: str) -> Iterator[_Candidate]:
    names = month_names(language)
    for pattern in _worded_patterns(language):
        for match in pattern.finditer(text):
            day = int(match.group("day")) if "day" in match.groupdict() else 0
            yield match, int(match.group("year")), names[match.group("month").lower()], day


def _numeric(text: str, language: str) -> Iterator[_Candidate]:
    for pattern in (_ISO_DAY, _YEAR_FIRST):
        for match in pattern.finditer(text):
            yield match, int(match["year"]), int(match["month"]), int(match["day"])
    for match in _ISO_MONTH.finditer(text):
        year, month = int(match["year"]), int(match["month"])
        if (year + 1) % 100 != month:  # "2010-11" is more often a season than November 2010
            yield match, year, month, 0
    for match in _NUMERIC.finditer(text):
        order = _day_month(int(match["a"]), int(match["b"]), day_first=language in _DAY_FIRST)
        if order:
            yield match, int(match["year"]), order[1], order[0]


def _day_month(a: int, b: int, day_first: bool) -> tuple[int, int] | None:
    """(day, month) of "a/b/yyyy": the language's order, or the only order that is a date; an
    English or unknown-language date that reads both ways is left out."""
    as_day_first = (a, b) if 1 <= b <= 12 else None
    as_month_first = (b, a) if 1 <= a <= 12 else None
    if a == b or not (as_day_first and as_month_first):
        return as_day_first or as_month_first
    return as_day_first if day_first else None


def _mention(candidate: _Candidate) -> DateMention | None:
    match, year, month, day = candidate
    try:
        datetime.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if day:
        iso, precision = f"{year:04d}-{month:02d}-{day:02d}", DAY
    elif month:
        iso, precision = f"{year:04d}-{month:02d}", MONTH
    else:
        iso, precision = f"{year:04d}", YEAR
    return DateMention(match.start(), match.end(), iso, precision)


def _years(text: str, language: str, taken: list[DateMention]) -> list[DateMention]:
    spans = [(m.start, m.end) for m in taken]
    return [
        DateMention(start, end, year, YEAR)
        for start, end, year in year_spans(text, language, spans)
    ]


def iso_date(value: str) -> str:
    """A date given as text (metadata, front matter) as ISO (as precise as it is), or '' when it cannot be read as a date."""
    value = value.strip()
    if not value:
        return ""
    iso = re.match(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?![\d-])", value)
    if iso and iso_span(iso.group(0)):
        return iso.group(0)
    written = [m for m in mentions(value, "en") if m.precision != YEAR]
    if written:
        return written[0].iso
    return _parsed(value)


def _parsed(value: str) -> str:
    """dateparser's reading of a declared date in another format (RFC 2822, "18-Oct-2021"),
    absolute dates only: a relative one ("yesterday") has no meaning as a publication date."""
    from dateparser.date import DateDataParser

    settings = {"PARSERS": ["custom-formats", "absolute-time"], "REQUIRE_PARTS": ["year", "month"]}
    try:
        data = DateDataParser(languages=list(_LANGUAGES), settings=settings).get_date_data(value)
    except (ValueError, TypeError, OverflowError):
        return ""
    if data.date_obj is None:
        return ""
    day = data.date_obj.date().isoformat()
    return {"time": day, "day": day, "month": day[:7]}.get(data.period or "", "")
