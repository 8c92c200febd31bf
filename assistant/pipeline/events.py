"""Questions about a period ("What happened in May 2021?", "Hvad skete der i 2018?").

Drafting looks for the fewest words that answer, and a question about a period has none: its
answer is what the collection reports in that period. So when the pipeline finds no answer to a
question that names a period (`period.period_in`), the timeline's events in that period
(`assistant.timeline`) answer it, each with its sentence cited. Only events the question is about
do: when the question has words besides the period, its question words and the words that ask
what happened (the language table's `event_words`), an event answers only if its sentence holds
at least `min_coverage` of those words, weighted by rarity, so "Who won the election in 1900?" is
not answered by another event of 1900. No event in the period: the answer stays "not found".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from assistant.language import table
from assistant.pipeline.compose import Composed, Translate
from assistant.pipeline.evidence import Idf, lexical_overlap
from assistant.pipeline.period import period_in, when_of
from assistant.pipeline.question import Question
from assistant.prompt import one_line
from assistant.timeline import Event, ranked_events
from assistant.types import Citation
from vectorstore.dates import mentions
from vectorstore.languages import stopwords
from vectorstore.text import tokenize

MOST_EVENTS = 3
"""Events in one answer: the closest to the question, told oldest first."""


def period_answer(
    assistant: Any, question: Question, translate: Translate, min_coverage: float
) -> Composed | None:
    """The events of the period the question names, composed; None when it names none, or the
    collection dates no event of it that the question is about."""
    if period_in(question.text, question.language) is None:
        return None
    ranked = ranked_events(assistant, question.text)
    events = about(question, ranked, assistant.searcher.idf, min_coverage)
    return compose_events(events, question.language, translate) if events else None


def about(
    question: Question, ranked: Sequence[Event], idf: Idf, min_coverage: float
) -> list[Event]:
    """The closest events whose sentence holds the question's topic, oldest first."""
    terms = topic_terms(question.text, question.language)

    def holds(event: Event) -> bool:
        language = event.language or question.language
        return not terms or lexical_overlap(terms, event.text, language, idf) >= min_coverage

    kept = [event for event in ranked if holds(event)][:MOST_EVENTS]
    return sorted(kept, key=lambda event: event.date)


def topic_terms(text: str, language: str) -> set[str]:
    """The question's terms but the dates it names, its stop words, its question words and its
    words for "happen"."""
    bare = text
    for mention in reversed(mentions(text, language)):
        bare = bare[: mention.start] + " " + bare[mention.end :]
    words = table(language)
    asking = stopwords(language) | words.question_words | words.event_words
    kept = [w for w in re.findall(r"\w+", bare) if w.lower() not in asking]
    return set(tokenize(" ".join(kept), language))


def compose_events(events: Sequence[Event], language: str, translate: Translate) -> Composed:
    """One sentence per event: its date in the language, its words (translated when its source
    is in another language), and a citation for each article that tells it."""
    pieces: list[str] = []
    citations: list[Citation] = []
    for event in events:
        text = one_line(event.text).rstrip(" .")
        if event.language and language and event.language != language:
            text = translate(text, language)
        markers = []
        for citation in event.citations:
            citations.append(replace(citation, n=len(citations) + 1))
            markers.append(f"[{len(citations)}]")
        pieces.append(f"{when_of(event.date, language)}: {text} {' '.join(markers)}.")
    return Composed(" ".join(pieces), tuple(citations))
