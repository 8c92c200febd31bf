"""A timeline of a topic: the dated events the collection reports on it, oldest first, each line
one sentence of an article with its citation, and the same event told by several articles one
line with several sources.

The passages a search for the topic finds are read sentence by sentence; a sentence that names a
date (`vectorstore.dates.mentions`: a day, a month or a year, in the sentence's own language) is an
event on the first date it names, if it is about the topic (its stored vector is at least half as
close to the topic as the closest dated sentence is). A collection not about the topic at all (no
dated sentence `min_relevance` close to it, the answer's own test) has no timeline for it. Two events of different articles on the
same date whose sentences are about the same thing (cosine of their stored vectors at least
`conflict_similarity`, the closeness at which the answer reads another article's sentence for a
different value) are one event. Nothing is written by the model: every line's words and date are
in its cited sentence.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import Any

from assistant.language import question_language
from assistant.pipeline.compose import with_sources
from assistant.pipeline.period import period_in
from assistant.pipeline.retrieve import cosine
from assistant.types import Citation, DateFilter, Passage
from vectorstore.dates import mentions
from vectorstore.schema import sentence_id

PASSAGES = 30
"""Passages searched for a topic (a timeline wants the whole story, not the best answer)."""
RELEVANT = 0.5
"""A dated sentence is kept when its similarity to the topic is at least this share of the
best dated sentence's."""


@dataclass(frozen=True)
class Event:
    """One line of a timeline: the date as precise as the sentence gives it, the sentence, and
    every article that tells it."""

    date: str
    text: str
    citations: tuple[Citation, ...]
    language: str = ""
    """The language of the sentence (of its first source)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
        }


@dataclass(frozen=True)
class _Dated:
    citation: Citation
    date: str
    vector: tuple[float, ...]
    similarity: float
    language: str


def timeline(assistant: Any, topic: str, dates: DateFilter | None = None) -> list[Event]:
    """The dated events the collection reports on `topic`, oldest first: with `dates`, only
    events on those dates, told by articles the filter keeps; else, when the topic names a
    period, only events in it."""
    events = ranked_events(assistant, topic, dates, assistant.settings.min_relevance)
    return sorted(events, key=lambda e: (e.date, e.citations[0].source, e.citations[0].start))


def ranked_events(
    assistant: Any, topic: str, dates: DateFilter | None = None, min_similarity: float = -1.0
) -> list[Event]:
    """The events of `timeline`, the closest to the topic first; none when no dated sentence is
    `min_similarity` close to the topic (the collection is not about it). Without `dates`, the
    searches keep whatever limit the caller has set on the searcher."""
    searcher = assistant.searcher
    language = question_language(topic, searcher.languages())
    scope = searcher.limited_to(assistant.in_period(dates)) if dates else nullcontext()
    with scope:
        result = searcher.search(topic, PASSAGES, language)
    dated = _dated_sentences(searcher, result.passages, result.query_vector)
    best = max((d.similarity for d in dated), default=-1.0)
    if not dated or best < min_similarity:
        return []
    period = _period(topic, language, dates)
    kept = [d for d in dated if d.similarity >= RELEVANT * best and period.keeps(d.date)]
    documents = searcher.documents()
    events = []
    same = assistant.settings.conflict_similarity
    for group in _same_events(sorted(kept, key=lambda d: -d.similarity), same):
        cited = with_sources([d.citation for d in group], documents)
        numbered = tuple(replace(c, n=n) for n, c in enumerate(cited, start=1))
        events.append(Event(group[0].date, group[0].citation.text, numbered, group[0].language))
    return events


def _period(topic: str, language: str, dates: DateFilter | None) -> DateFilter:
    """The dates events may have: the filter's, else the period the topic names ("Afghanistan
    in 2021"), else any."""
    if dates is not None:
        return DateFilter(dates.since, dates.until)
    named = period_in(topic, language)
    return DateFilter(named.since, named.until) if named else DateFilter(undated=True)


def _dated_sentences(
    searcher: Any, passages: tuple[Passage, ...], query: tuple[float, ...]
) -> list[_Dated]:
    """Every sentence of the passages that names a date, with its stored vector."""
    spans: dict[str, tuple[Passage, int, int]] = {}
    for passage in passages:
        for start, end in passage.sentences:
            if passage.start <= start and end <= passage.end:
                key = sentence_id(passage.source, passage.doc_hash, (start, end))
                spans.setdefault(key, (passage, start, end))
    vectors = searcher.store.sentence_vectors(list(spans))
    found = []
    for key, (passage, start, end) in spans.items():
        text = passage.text[start - passage.start : end - passage.start]
        named = mentions(text, passage.language)
        if not named or key not in vectors:
            continue
        vector = tuple(vectors[key])
        citation = Citation(0, passage.source, passage.title, start, end, text)
        similarity = cosine(query, vector) if query else 0.0
        found.append(_Dated(citation, named[0].iso, vector, similarity, passage.language))
    return found


def _same_events(dated: list[_Dated], same: float) -> list[list[_Dated]]:
    """Sentences grouped by event: same date, nearly the same words (best-matching first)."""
    groups: list[list[_Dated]] = []
    for sentence in dated:
        for group in groups:
            head = group[0]
            same_source = any(d.citation.source == sentence.citation.source for d in group)
            if (
                head.date == sentence.date
                and not same_source
                and cosine(head.vector, sentence.vector) >= same
            ):
                group.append(sentence)
                break
        else:
            groups.append([sentence])
    return groups
