"""The timeline with the real embedder, on the seeds and on Wikipedia articles in English and
German (tests/data/xquad-gate): every line's date and words are in its cited sentence, which is
the exact span of its file; lines are oldest first; the same event told by several articles is
one line; a topic the collection is not about has no timeline; a date filter keeps only events on
those dates; and a question about a period is
answered from the events the seeds date in it, but not when it asks about something else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assistant import Assistant
from assistant.pipeline.period import overlaps, period_in
from assistant.timeline import Event, timeline
from assistant.types import DateFilter
from ingest.load import SourceFile
from ingest.read import read_document
from vectorstore.dates import mentions

TOPICS = {
    "seeds": ["Zalmay Khalilzad resignation", "US withdrawal from Afghanistan"],
    "en": ["Nikola Tesla's life and inventions", "history of Kenya"],
    "de": ["Leben und Erfindungen von Nikola Tesla", "Geschichte Kenias"],
}


@pytest.fixture(scope="module")
def collections(
    real_assistant: Any, seeded: Any, wikipedia: dict[str, tuple[Assistant, Path]]
) -> dict[str, tuple[Assistant, Path]]:
    return {"seeds": (real_assistant, seeded[0].root), **wikipedia}


def _wrong_lines(events: list[Event], docs: Path) -> list[str]:
    """Lines whose date or words are not in the cited sentence, or whose citation is not the
    file's exact span."""
    wrong = []
    for event in events:
        year = event.date[:4]
        for c in event.citations:
            text = read_document(SourceFile(c.source, docs / c.source), 10**8).text
            if text[c.start : c.end] != c.text or year not in c.text:
                wrong.append(f"{event.date} {c.source}:{c.start}: {c.text}")
        if " ".join(event.text.split()) not in " ".join(event.citations[0].text.split()):
            wrong.append(f"{event.date}: {event.text}")
    return wrong


@pytest.mark.parametrize("corpus", list(TOPICS))
def test_every_line_is_dated_and_told_by_its_cited_sentence(
    collections: dict[str, tuple[Assistant, Path]], corpus: str
) -> None:
    assistant, docs = collections[corpus]
    for topic in TOPICS[corpus]:
        events = timeline(assistant, topic)
        assert len(events) >= 3, (topic, events)
        assert [e.date for e in events] == sorted(e.date for e in events)
        assert _wrong_lines(events, docs) == []
        assert all(re.fullmatch(r"\d{4}(-\d\d){0,2}", e.date) for e in events)


def test_a_topic_the_collection_is_not_about_has_no_timeline(
    collections: dict[str, tuple[Assistant, Path]],
) -> None:
    assert timeline(collections["seeds"][0], TOPICS["en"][0]) == []
    assert timeline(collections["en"][0], TOPICS["seeds"][0]) == []
    assert timeline(collections["de"][0], TOPICS["seeds"][0]) == []


def test_the_same_event_in_several_seed_articles_is_one_line(
    collections: dict[str, tuple[Assistant, Path]],
) -> None:
    assistant, _ = collections["seeds"]
    events = timeline(assistant, "Zalmay Khalilzad resignation")
    merged = [e for e in events if len({c.source for c in e.citations}) >= 2]
    assert merged, [(e.date, e.text) for e in events]
    keys = [(e.date, e.citations[0].source, e.citations[0].start) for e in events]
    assert len(keys) == len(set(keys))


def test_a_date_filter_keeps_only_events_on_those_dates(
    collections: dict[str, tuple[Assistant, Path]],
) -> None:
    assistant, _ = collections["en"]
    everything = timeline(assistant, "history of Kenya")
    # the Kenya article is dated 2008 (its first date): kept, and only its events of those years
    within = timeline(assistant, "history of Kenya", DateFilter("2000-01-01", "2012-12-31", True))
    assert within and len(within) < len(everything)
    assert all("2000" <= e.date[:4] <= "2012" for e in within)
    # articles dated outside the range are left out: no article on Kenya remains, no timeline
    assert timeline(assistant, "history of Kenya", DateFilter("1900-01-01", "1999-12-31")) == []


@pytest.mark.parametrize("question", ["What happened in 2018?", "Hvad skete der i februar 2020?"])
def test_a_question_about_a_period_is_answered_from_its_events(
    collections: dict[str, tuple[Assistant, Path]], question: str
) -> None:
    assistant, docs = collections["seeds"]
    answer = assistant.ask(question)
    period = period_in(question, answer.language)
    assert answer.found and answer.citations and period is not None, answer.text
    for c in answer.citations:
        text = read_document(SourceFile(c.source, docs / c.source), 10**8).text
        assert text[c.start : c.end] == c.text
        named = mentions(c.text, "en")
        assert named and overlaps(period, named[0].iso), (c.text, period)
        assert f"[{c.n}]" in answer.text


def test_a_period_question_on_a_topic_the_collection_lacks_is_refused(
    collections: dict[str, tuple[Assistant, Path]],
) -> None:
    assistant, _ = collections["seeds"]
    answer = assistant.ask("Who won the Tour de France in 2021?")  # 2021 events are in the seeds
    assert not answer.found and not answer.citations, answer.text
