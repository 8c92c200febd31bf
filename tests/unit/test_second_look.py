"""A refused or unsupported first draft gets one more try on the few best sentences."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from assistant import Assistant
from assistant.prompt import POINT_SYSTEM, SYSTEM
from assistant.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from ingest import IngestSettings, ingest


class Replies:
    """Gives the scripted replies in turn and keeps the prompts."""

    name = "replies"

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[str] = []
        self.systems: list[str] = []

    def stream(
        self, messages: Sequence[dict[str, str]], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        self.prompts.append(messages[-1]["content"])
        self.systems.append(messages[0]["content"])
        yield self.replies.pop(0)

    def count_tokens(self, messages: Sequence[dict[str, str]]) -> int:
        return 10


@pytest.fixture
def build(fake_settings: IngestSettings, fake_embedder):  # type: ignore[no-untyped-def]
    ingest(fake_settings, embedder=fake_embedder)

    def make(model: Replies, retry: int = 3) -> Assistant:
        settings = replace(
            AssistantSettings(), store=fake_settings.store, min_relevance=0.0, retry_sentences=retry
        )
        return Assistant(
            settings, searcher=HybridSearcher(settings, embedder=fake_embedder), llm=model
        )

    return make


QUESTION = "How many prisoners did the United States agree the Afghan government would release?"


def test_a_refusal_gets_a_second_look_at_the_best_sentences(build) -> None:  # type: ignore[no-untyped-def]
    model = Replies("NOT FOUND", "The Afghan government was to release 5,000 prisoners. [1]")
    answer = build(model).ask(QUESTION)
    assert len(model.prompts) == 2
    assert model.prompts[1].count("\n[") < model.prompts[0].count("\n[")
    assert "[1]" in model.prompts[1] and "5,000" in model.prompts[1].split("Question:")[0]
    assert answer.found and "5,000" in answer.text and answer.citations
    assert "5,000 prisoners" in answer.citations[0].text


def test_the_second_look_can_be_turned_off_and_refusals_stay_refusals(build) -> None:  # type: ignore[no-untyped-def]
    model = Replies("NOT FOUND", "unused")
    assert not build(model, retry=0).ask(QUESTION).found
    assert len(model.prompts) == 1
    model = Replies("NOT FOUND", "NOT FOUND")
    answer = build(model).ask(QUESTION)
    assert not answer.found and len(model.prompts) == 2


def test_for_a_count_the_second_look_asks_only_which_sentence_answers(build) -> None:  # type: ignore[no-untyped-def]
    model = Replies("NOT FOUND", "[1]")
    answer = build(model).ask(QUESTION)
    assert model.systems == [SYSTEM, POINT_SYSTEM]
    assert answer.found and "5,000 prisoners" in answer.text
    assert answer.citations and "5,000 prisoners" in answer.citations[0].text


def test_an_open_question_gets_the_usual_prompt_on_its_second_look(build) -> None:  # type: ignore[no-untyped-def]
    model = Replies("NOT FOUND", "NOT FOUND")
    build(model).ask("What did the United States agree with the Taliban about prisoners?")
    assert model.systems == [SYSTEM, SYSTEM]
