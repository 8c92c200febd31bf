"""Questions about a period answered from the events the collection dates in it
(`assistant.pipeline.events`): which words make a topic, which events a question is about, and
how the answer reads, in each language."""

from __future__ import annotations

import pytest

from assistant.pipeline.events import about, compose_events, topic_terms
from assistant.pipeline.question import read_question
from assistant.timeline import Event
from assistant.types import Citation


def _event(date: str, text: str, *sources: str, language: str = "en") -> Event:
    cited = tuple(Citation(0, s, s.upper(), 10, 10 + len(text), text) for s in sources)
    return Event(date, text, cited, language)


TALKS = _event("2020-02", "The agreement was signed in February 2020 in Doha.", "a.txt", "b.txt")
FLOOD = _event("2020-02-10", "A flood closed the harbour on 10 February 2020.", "c.txt")
ELECTION = _event("2020-02", "The election of February 2020 was won by Mia Lund.", "d.txt")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What happened in February 2020?", "en"),
        ("Hvad skete der i februar 2020?", "da"),
        ("Was geschah im Februar 2020?", "de"),
        ("Que s'est-il passé en février 2020 ?", "fr"),
        ("¿Qué pasó en febrero de 2020?", "es"),
    ],
)
def test_a_question_asking_only_what_happened_has_no_topic(question: str, language: str) -> None:
    assert topic_terms(question, language) == set()


def test_the_topic_is_every_other_word_of_the_question() -> None:
    assert topic_terms("Who won the election in February 2020?", "en") == {"elect"}
    assert topic_terms("Wer gewann die Wahl im Februar 2020?", "de") >= {"wahl"}
    # a language without tables keeps every word: its events must hold them
    assert topic_terms("Wat gebeurde er in 2020?", "nl")


def test_without_a_topic_the_closest_events_answer_oldest_first() -> None:
    question = read_question("?", "What happened in February 2020?", "en")
    later = _event("2020-02-01", "On 1 February 2020 the talks began.", "e.txt")
    kept = about(question, [FLOOD, TALKS, ELECTION, later], lambda t: 1.0, 0.5)
    assert kept == [TALKS, ELECTION, FLOOD]  # the closest three, oldest first


def test_with_a_topic_only_events_that_hold_it_answer() -> None:
    question = read_question("?", "Who won the election in February 2020?", "en")
    assert about(question, [TALKS, FLOOD, ELECTION], lambda t: 1.0, 0.5) == [ELECTION]
    other = read_question("?", "What was the price of oil in February 2020?", "en")
    assert about(other, [TALKS, FLOOD, ELECTION], lambda t: 1.0, 0.5) == []


def test_each_event_is_dated_in_the_language_and_cites_every_article_that_tells_it() -> None:
    composed = compose_events([TALKS, FLOOD], "en", lambda text, language: "unused")
    assert composed.text == (
        "February 2020: The agreement was signed in February 2020 in Doha [1] [2]. "
        "February 10, 2020: A flood closed the harbour on 10 February 2020 [3]."
    )
    assert [(c.n, c.source) for c in composed.citations] == [(1, "a.txt"), (2, "b.txt"),
                                                              (3, "c.txt")]  # fmt: skip
    assert all(c.text in (TALKS.text, FLOOD.text) for c in composed.citations)


def test_an_event_told_in_another_language_is_translated_and_still_cites_the_original() -> None:
    translated: list[tuple[str, str]] = []

    def translate(text: str, language: str) -> str:
        translated.append((text, language))
        return "Aftalen blev underskrevet i februar 2020 i Doha"

    composed = compose_events([TALKS], "da", translate)
    assert translated == [("The agreement was signed in February 2020 in Doha", "da")]
    assert composed.text == "februar 2020: Aftalen blev underskrevet i februar 2020 i Doha [1] [2]."
    assert composed.citations[0].text == TALKS.text
