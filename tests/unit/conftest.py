"""Fixtures of the unit tests: the pipeline over the seeds with the fake embedder and a scripted
model in place of the LLM."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import pytest

from assistant import Assistant
from assistant.pipeline.retrieve import HybridSearcher
from assistant.prompt import TRANSLATE_SYSTEM
from assistant.settings import AssistantSettings
from ingest import IngestSettings, ingest


class ScriptedModel:
    """Replies with a fixed text (or a function of the prompt), streamed in small pieces. Asked
    to translate, it gives the answer back unchanged unless `translate` says otherwise; the
    drafts' prompts are kept in `prompts`, the translations' in `translations`."""

    name = "scripted"

    def __init__(self, reply: str | object, translate: object = None) -> None:
        self.reply = reply
        self.translate = translate
        self.prompts: list[list[dict[str, str]]] = []
        self.translations: list[list[dict[str, str]]] = []

    def stream(
        self, messages: Sequence[dict[str, str]], max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        if messages[0]["content"] == TRANSLATE_SYSTEM:
            self.translations.append(list(messages))
            answer = messages[-1]["content"].split("Text: ", 1)[1].splitlines()[0]
            text = self.translate(answer) if callable(self.translate) else answer
        else:
            self.prompts.append(list(messages))
            text = self.reply(messages) if callable(self.reply) else str(self.reply)
        for i in range(0, len(text), 4):
            yield text[i : i + 4]

    def count_tokens(self, messages: Sequence[dict[str, str]]) -> int:
        return sum(len(m["content"].split()) for m in messages)


@pytest.fixture
def fake_assistant(fake_settings: IngestSettings, fake_embedder):  # type: ignore[no-untyped-def]
    def build(reply: str | object, translate: object = None) -> Assistant:
        ingest(fake_settings, embedder=fake_embedder)
        # the fake embedder's vectors carry no meaning: no sentence is judged addressed to an
        # assistant (tests/unit/test_addressed.py and the integration tests cover that check)
        settings = replace(
            AssistantSettings(),
            store=fake_settings.store,
            min_relevance=0.0,
            llm_url="",
            addressed_suspect=1.0,
        )
        searcher = HybridSearcher(settings, embedder=fake_embedder)
        return Assistant(settings, searcher=searcher, llm=ScriptedModel(reply, translate))

    return build
