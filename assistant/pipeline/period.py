"""The period a question asks about ("what happened in August 2021?"), and whether a dated
document or sentence falls in it.

Read from the dates written in the question (`vectorstore.dates`, its month tables per language),
never from phrasings: one date is its own span of days; two make a range ("from 2019 to 2021");
a month named alone just before a dated one borrows its year ("between March and May 2021").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import UnknownLocaleError
from babel.dates import format_skeleton

from vectorstore.dates import DateMention, iso_span, mentions, month_names

_GAP = re.compile(r"\s*(?:[–-]|[^\W\d_]+(?:\s+[^\W\d_]+)?)\s*")
"""What may stand between a month named alone and the dated one: a dash or one or two words."""
_LONGEST_GAP = 14


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, as ISO dates (YYYY-MM-DD)."""

    since: str
    until: str


def period_in(question: str, language: str) -> Period | None:
    """The period the question asks about, or None when it names no date, or more than two."""
    found = mentions(question, language)
    if len(found) == 2:
        return _between(found[0].iso, found[1].iso)
    if len(found) != 1:
        return None
    only = found[0]
    month = _month_before(question, only, language)
    if month:
        return _between(f"{only.iso[:4]}-{month:02d}", only.iso) or _period(only.iso)
    return _period(only.iso)


def overlaps(period: Period, iso: str) -> bool:
    """Whether a date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) shares a day with the period;
    False for a date that cannot be read."""
    span = _period(iso)
    return span is not None and span.since <= period.until and period.since <= span.until


def month_of(iso: str, language: str) -> str:
    """A date as its month and year in the language ("October 2021", "oktober 2021", "octubre de
    2021"); a year stays a year, and text that is no date is returned as it is."""
    return _written(iso, language, "yMMMM")


def when_of(iso: str, language: str) -> str:
    """A date as precise as it is, written in the language ("2018", "May 2021", "20. maj 2021")."""
    return _written(iso, language, "yMMMMd" if len(iso.strip()) >= 10 else "yMMMM")


def _written(iso: str, language: str, skeleton: str) -> str:
    """Babel's CLDR tables write the date; English for a language they lack."""
    span = iso_span(iso)
    if span is None or len(iso.strip()) == 4:
        return iso.strip()
    try:
        return format_skeleton(skeleton, span[0], locale=language or "en")
    except (UnknownLocaleError, ValueError):
        return format_skeleton(skeleton, span[0], locale="en")


def _period(iso: str) -> Period | None:
    span = iso_span(iso)
    return Period(span[0].isoformat(), span[1].isoformat()) if span else None


def _between(first: str, last: str) -> Period | None:
    start, end = _period(first), _period(last)
    if start is None or end is None or start.since > end.until:
        return None
    return Period(start.since, end.until)


def _month_before(question: str, mention: DateMention, language: str) -> int:
    """The month named alone just before a month or day mention (the "March" of "between March
    and May 2021"), or 0."""
    if mention.precision == "year":
        return 0
    for match in _bare_months(language).finditer(question, 0, mention.start):
        gap = question[match.end() : mention.start]
        if len(gap) <= _LONGEST_GAP and _GAP.fullmatch(gap):
            return month_names(language)[match.group(0).lower()]
    return 0


@lru_cache(maxsize=8)
def _bare_months(language: str) -> re.Pattern[str]:
    """The month names written in full (no abbreviations: Spanish "mar" is also "sea")."""
    names = month_names(language)
    longest = {n: max(len(w) for w, m in names.items() if m == n) for n in set(names.values())}
    full = sorted((w for w, n in names.items() if len(w) == longest[n]), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, full))})(?!\w)", re.IGNORECASE)
