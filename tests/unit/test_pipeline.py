"""The assistant's pipeline with a fake embedder and a scripted model: what reaches the answer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant import EmptyQuestionError

COMPOUND = (
    "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
)


def _sources(messages: Sequence[dict[str, str]]) -> list[str]:
    return [li for li in messages[-1]["content"].splitlines() if re.match(r"\[\d+\] ", li)]


def _cite_first_evidence(messages: Sequence[dict[str, str]]) -> str:
    """A model that copies the whole of source [1] and cites it."""
    return f"{_sources(messages)[0][4:]} [1]"


def _first_number_of_first_source(messages: Sequence[dict[str, str]]) -> str:
    """A model that copies the first number of the first source holding one."""
    for line in _sources(messages):
        number = re.search(r"\d[\d,.]*\d|\d", line[4:])
        if number:
            return f"{number.group(0)} {line.split(']')[0]}]"
    return "NOT FOUND"


def _asked(prompt: Sequence[dict[str, str]]) -> str:
    return prompt[-1]["content"].split("Question: ", 1)[1].splitlines()[0]


def test_supported_answer_cites_the_exact_sentence_span(fake_assistant, docs_dir) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_first_evidence)
    answer = assistant.ask("What did the agreement say about prisoners of the Afghan government?")
    assert answer.found and len(answer.citations) == 1
    for citation in answer.citations:
        original = (docs_dir / citation.source).read_text(encoding="utf-8")
        assert original[citation.start : citation.end] == citation.text
    assert answer.text.endswith("[1]")
    assert len(answer.passages) >= 5
    for passage in answer.passages:
        original = (docs_dir / passage.source).read_text(encoding="utf-8")
        assert original[passage.start : passage.end] == passage.text


def test_the_answer_is_the_words_copied_not_the_sentence(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant(_first_number_of_first_source).ask(
        "How many prisoners was the Afghan government to release?"
    )
    assert answer.found and re.fullmatch(r"[\d,.]+ \[1\]", answer.text), answer.text
    number = answer.text.split()[0]
    assert number in answer.citations[0].text


def test_model_saying_not_found_gives_a_refusal_without_citations(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant("NOT FOUND").ask("What did the envoy eat for breakfast?")
    assert not answer.found
    assert answer.citations == ()
    assert "could not find" in answer.text


def test_invented_claim_is_dropped_and_becomes_a_refusal(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant("Argentina won the 1986 World Cup in Mexico City. [1]").ask(
        "Who won the 1986 World Cup?"
    )
    assert not answer.found and answer.citations == ()
    assert any(c.verdict == "unsupported" for c in answer.checks)


def test_refusal_is_not_streamed_as_model_text(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    stream = fake_assistant("NOT FOUND").stream("What is the capital of Peru?")
    assert "".join(stream) == ""
    assert stream.answer is not None and not stream.answer.found


def test_stream_yields_the_draft_then_the_checked_answer(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    stream = fake_assistant(_cite_first_evidence).stream("Who is the envoy to the Taliban?")
    pieces = list(stream)
    assert len(pieces) > 1
    assert stream.answer is not None and stream.answer.draft == "".join(pieces)


def test_follow_up_is_rewritten_with_the_conversation(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    def model(messages: Sequence[dict[str, str]]) -> str:
        if "Follow-up:" in messages[-1]["content"]:
            return "When did Zalmay Khalilzad resign?"
        return _cite_first_evidence(messages)

    assistant = fake_assistant(model)
    history = [
        {"role": "user", "content": "Who was the US envoy for Afghanistan?"},
        {"role": "assistant", "content": "Zalmay Khalilzad [1]."},
    ]
    answer = assistant.ask("When did he resign?", history=history)
    assert answer.standalone_question == "When did Zalmay Khalilzad resign?"
    assert answer.question == "When did he resign?"
    named = assistant.ask("Which prisoners did Zalmay Khalilzad get freed from Pakistan?", history)
    assert named.standalone_question == named.question  # it stands alone: not rewritten


def test_standalone_question_is_unchanged_without_history(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant(_cite_first_evidence).ask("When did he resign?")
    assert answer.standalone_question == "When did he resign?"


def test_empty_question_is_a_named_error(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EmptyQuestionError):
        fake_assistant("x").ask("   ")


def test_danish_question_gets_a_danish_refusal(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant("NOT FOUND").ask("Hvad spiste udsendingen til morgenmad?")
    assert answer.language == "da" and not answer.found
    assert "samlingen" in answer.text


def test_compound_question_gets_one_draft_per_part(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_first_evidence)
    answer = assistant.ask(COMPOUND)
    asked = [_asked(p) for p in assistant.llm.prompts]
    assert asked == [
        "How many prisoners was the Afghan government to release",
        "where did Ghani first flee?",
    ]
    assert all(_sources(p)[0].startswith("[1] ") for p in assistant.llm.prompts)
    # each part's draft copied its own source [1]; both stand, cited by their own sentences
    firsts = [" ".join(_sources(p)[0][4:].split()) for p in assistant.llm.prompts]
    assert answer.found and [" ".join(c.text.split()) for c in answer.citations] == firsts


def test_each_part_draws_evidence_from_every_retrieved_passage(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    # The ranking interleaves the parts, so a part's best passage need not be among the first.
    assistant = fake_assistant(_cite_first_evidence)
    assistant.settings = replace(assistant.settings, evidence_passages=1)
    answer = assistant.ask(COMPOUND)
    prisoners = assistant.llm.prompts[0][-1]["content"]
    assert "5,000" in prisoners.split("Question:")[0]
    assert {e.passage for e in answer.evidence} - {0}  # not only the first passage's sentences


def test_nothing_holding_up_gets_a_second_look_at_fewer_sentences(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def refuse_first(messages: Sequence[dict[str, str]]) -> str:
        calls.append(1)
        return "NOT FOUND" if len(calls) == 1 else _cite_first_evidence(messages)

    assistant = fake_assistant(refuse_first)
    answer = assistant.ask("What did the agreement say about prisoners of the Afghan government?")
    first, second = (len(_sources(p)) for p in assistant.llm.prompts)
    assert second == assistant.settings.retry_sentences < first
    assert answer.found and len(calls) == 2
    off = fake_assistant(lambda m: "NOT FOUND")
    off.settings = replace(off.settings, retry_sentences=0)
    assert not off.ask("What did the agreement say about prisoners?").found
    assert len(off.llm.prompts) == 1


def test_words_from_a_source_in_another_language_are_translated() -> None:
    from assistant.pipeline.check import Claim
    from assistant.pipeline.compose import Composer
    from assistant.pipeline.question import read_question
    from assistant.types import Evidence

    english = Evidence(3, "b.txt", "B", 40, 118, "Ghani first fled to Uzbekistan.", 1.0, "en", 0)
    danish = Evidence(1, "a.txt", "A", 0, 30, "Han flygtede til Usbekistan.", 0.9, "da", 1)
    asked: list[tuple[str, str]] = []

    def translate(text: str, language: str) -> str:
        asked.append((text, language))
        return "Usbekistan"

    question = read_question("Hvor flygtede han hen?", "Hvor flygtede Ghani hen?", "da")
    composed = Composer(translate)([Claim("Uzbekistan", english, 1.0)], question)
    assert composed.text == "Usbekistan [1]"
    assert composed.citations[0].text == english.text  # the citation is the English original
    assert asked == [("Uzbekistan", "da")]
    same = Composer(translate)([Claim("Usbekistan", danish, 1.0)], question)
    assert same.text == "Usbekistan [1]" and len(asked) == 1  # same language: no translation


def test_a_translation_that_changes_a_number_is_not_used() -> None:
    from assistant.pipeline.compose import Translator

    class Model:
        def __init__(self, reply: str) -> None:
            self.reply = reply

        def stream(self, messages, max_tokens, stop=()):  # type: ignore[no-untyped-def]
            yield self.reply

    assert Translator(Model("5.000 fanger"))("5,000 prisoners", "da") == "5.000 fanger"
    assert Translator(Model("500 fanger"))("5,000 prisoners", "da") == "5,000 prisoners"
    assert Translator(Model(""))("Uzbekistan", "da") == "Uzbekistan"
    assert Translator(Model("German: Saxon Garden"))("Sächsischer Garten", "en") == "Saxon Garden"
    assert Translator(Model("Deutschland"))("Germany", "de") == "Deutschland"
    assert Translator(Model("Deutsch: Schweden"))("Sweden", "de") == "Schweden"
    assert Translator(Model("español: Suecia"))("Sweden", "es") == "Suecia"
    assert Translator(Model("Nederlands: Zweden"))("Sweden", "nl") == "Zweden"  # no table: CLDR
    assert Translator(Model("1946 AD"))("1946", "en") == "1946"  # a bare year is not sent
    assert Translator(Model("56.2"))("56,2", "en") == "56.2"  # separators are the language's


def test_a_request_for_a_quotation_gets_the_cited_sentence(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = fake_assistant(_first_number_of_first_source).ask(
        "Quote what the agreement said about the number of prisoners to be released."
    )
    assert answer.found
    sentence = " ".join(answer.citations[0].text.split())
    assert answer.text == f"“{sentence}” [1]"
