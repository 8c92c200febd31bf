"""Compose: the answer the user reads, in the question's language, with its citations.

Each claim becomes its words and a citation marker; the citation is the exact sentence the check
found the words in. Words copied from a source in another language than the question's are
translated (the citation still points at the original sentence). When the user asks for a
quotation, the cited sentence itself is the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache

from babel import Locale, UnknownLocaleError

from assistant.language import LANGUAGES, table
from assistant.llm import ChatBackend
from assistant.pipeline.check import Claim, clean
from assistant.pipeline.conflicts import Conflict
from assistant.pipeline.grounding import numbers
from assistant.pipeline.period import month_of
from assistant.pipeline.question import Question
from assistant.prompt import one_line, translate_messages
from assistant.types import Citation, Evidence
from vectorstore.schema import DocumentRecord

Translate = Callable[[str, str], str]
"""(text, language) → the text in that language."""


@dataclass(frozen=True)
class Composed:
    """The answer's text and its citations, numbered in order of appearance."""

    text: str
    citations: tuple[Citation, ...]


class Composer:
    """Words per claim, translated when their source is in another language, then cited."""

    def __init__(self, translate: Translate):
        self.translate = translate

    def __call__(
        self,
        claims: Sequence[Claim],
        question: Question,
        conflicts: Sequence[Conflict] = (),
        dates: Mapping[str, str] | None = None,
    ) -> Composed:
        """The claims' words, each with its marker; then one sentence per conflict, and which
        side is newer when the two sources have different dates (`dates`: source → date)."""
        pieces: list[str] = []
        numbering: dict[tuple[str, int, int], int] = {}
        citations: list[Citation] = []
        for claim in claims:
            n = cite(claim.evidence, numbering, citations)
            piece = f"{self.words(claim, question)} [{n}]"
            if piece not in pieces:
                pieces.append(piece)
        text = "; ".join(pieces)
        for conflict in conflicts:
            n = cite(conflict.other.evidence, numbering, citations)
            value = self.words(conflict.other, replace(question, quote=False))
            text += " " + _disagreeing(conflict, value, n, question.language, dates or {})
        return Composed(text, tuple(citations))

    def words(self, claim: Claim, question: Question) -> str:
        """What the answer says for one claim, in the question's language."""
        if question.quote:
            return f"“{one_line(claim.evidence.text)}”"
        said_in = claim.language or claim.evidence.language
        if not said_in or not question.language or said_in == question.language:
            return claim.text
        return self.translate(claim.text, question.language)


def _disagreeing(
    conflict: Conflict, value: str, n: int, language: str, dates: Mapping[str, str]
) -> str:
    """The sentence giving the other source's value; when the two sources have different dates,
    it says which is newer, with its month ("as of October 2021")."""
    words = table(language)
    ours = dates.get(conflict.claim.evidence.source, "")
    theirs = dates.get(conflict.other.evidence.source, "")
    if not ours or not theirs or ours[:7] == theirs[:7]:
        return words.conflict_note.format(value=value, n=n)
    if theirs > ours:
        return words.newer_conflict.format(when=month_of(theirs, language), value=value, n=n)
    when, then = month_of(ours, language), month_of(theirs, language)
    return words.older_conflict.format(when=when, then=then, value=value, n=n)


def cite(
    evidence: Evidence, numbering: dict[tuple[str, int, int], int], citations: list[Citation]
) -> int:
    """The citation number of a sentence, adding it to `citations` on first use."""
    key = (evidence.source, evidence.start, evidence.end)
    if key not in numbering:
        numbering[key] = len(numbering) + 1
        e = evidence
        citations.append(Citation(numbering[key], e.source, e.title, e.start, e.end, e.text))
    return numbering[key]


def with_sources(
    citations: Sequence[Citation], documents: Mapping[str, DocumentRecord]
) -> tuple[Citation, ...]:
    """The citations with what the collection knows of their documents: the page each span
    starts on, the date, the outlet and the address."""
    described = []
    for c in citations:
        record = documents.get(c.source)
        if record is None:
            described.append(c)
            continue
        described.append(
            replace(
                c,
                page=record.page_of(c.start),
                date=record.date,
                outlet=record.outlet,
                url=record.url,
                doc_hash=record.doc_hash,
            )
        )
    return tuple(described)


class Translator:
    """Short answers translated by the local model; the source's words stand when the
    translation loses or adds a number, comes back empty, or runs on. A bare whole number (a
    year, a count) reads the same in every language and is not sent; one with separators is, as
    "56,2" is written "56.2" in English."""

    def __init__(self, llm: ChatBackend):
        self.llm = llm

    def __call__(self, text: str, language: str) -> str:
        if text.strip().isdecimal():
            return text
        messages = translate_messages(text, language)
        budget = 2 * len(text.split()) + 16
        reply = "".join(self.llm.stream(messages, budget, stop=["\n"]))
        translated = clean(_label(language).sub("", reply.strip()))
        keeps_numbers = numbers(translated) == numbers(text)
        if translated and keeps_numbers and len(translated) <= 3 * len(text) + 20:
            return translated
        return text


@cache
def _label(language: str) -> re.Pattern[str]:
    """A language's name the model puts before its translation ("German: Saxon Garden",
    "Deutsch: Schweden"): any language's name in English or in its own words, from CLDR."""
    names = {t.name for t in LANGUAGES.values()}
    for code in {*LANGUAGES, language}:
        try:
            names.add(Locale.parse(code).get_display_name(code) or "")
        except (ValueError, UnknownLocaleError):
            continue
    pattern = "|".join(re.escape(n) for n in sorted(names - {""}, key=len, reverse=True))
    return re.compile(rf"^(?:{pattern})\s*:\s*", re.IGNORECASE)
