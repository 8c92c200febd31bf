"""The assistant's pipeline with a fake embedder and a scripted model: what reaches the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant import EmptyQuestionError


def _cite_first_evidence(messages: Sequence[dict[str, str]]) -> str:
    """A model that copies source [1] and cites it, as the small models tend to."""
    user = messages[-1]["content"]
    line = next(li for li in user.splitlines() if li.startswith("[1] "))
    return f"{line[4:]} [1]"


def test_supported_answer_cites_the_exact_sentence_span(fake_assistant, docs_dir) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_first_evidence)
    answer = assistant.ask("What did the agreement say about prisoners of the Afghan government?")
    assert answer.found and answer.citations
    for citation in answer.citations:
        original = (docs_dir / citation.source).read_text(encoding="utf-8")
        assert original[citation.start : citation.end] == citation.text
    assert "[1]" in answer.text
    assert len(answer.passages) >= 5
    for passage in answer.passages:
        original = (docs_dir / passage.source).read_text(encoding="utf-8")
        assert original[passage.start : passage.end] == passage.text


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


def test_compound_question_gets_one_draft_per_part_with_shared_numbering(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_first_evidence)
    # Without the second look on a weakly supported part: this test counts the first drafts.
    assistant.settings = replace(assistant.settings, drift_margin=-1.0)
    answer = assistant.ask(
        "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
    )
    prompts = [p[-1]["content"] for p in assistant.llm.prompts]
    asked = [p.split("Question: ", 1)[1].splitlines()[0] for p in prompts]
    assert asked == [
        "How many prisoners was the Afghan government to release?",
        "Where did Ghani first flee?",
    ]
    assert all("[1] " in p for p in prompts)  # each prompt numbers its own sources from 1
    # Each part's draft copied its own source [1]; both survive, cited by their own sentences.
    firsts = [next(li[4:] for li in p.splitlines() if li.startswith("[1] ")) for p in prompts]
    assert answer.found and len(answer.citations) == 2
    assert [" ".join(c.text.split()) for c in answer.citations] == firsts


def test_each_part_draws_evidence_from_every_retrieved_passage(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    # The ranking interleaves the parts, so a part's best passage need not be among the first.
    assistant = fake_assistant(_cite_first_evidence)
    assistant.settings = replace(assistant.settings, evidence_passages=1)
    answer = assistant.ask(
        "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
    )
    prisoners = assistant.llm.prompts[0][-1]["content"]
    assert "5,000" in prisoners.split("Question:")[0]
    assert {e.passage for e in answer.evidence} - {0}  # not only the first passage's sentences


def test_each_part_has_the_whole_evidence_budget_for_its_own_prompt(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_first_evidence)
    assistant.settings = replace(assistant.settings, evidence_chars=600, drift_margin=-1.0)
    assistant.ask(
        "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
    )
    sizes = []
    for prompt in assistant.llm.prompts:
        lines = prompt[-1]["content"].split("Question:")[0].splitlines()
        sizes.append(sum(len(li.split("] ", 1)[1]) for li in lines if li.startswith("[")))
    assert len(sizes) == 2 and 300 < max(sizes) <= 600


def test_a_refused_part_gets_its_own_second_look(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []

    def refuse_first(messages: Sequence[dict[str, str]]) -> str:
        calls.append(1)
        return "NOT FOUND" if len(calls) == 1 else _cite_first_evidence(messages)

    assistant = fake_assistant(refuse_first)
    assistant.settings = replace(assistant.settings, drift_margin=-1.0)  # refusals only
    answer = assistant.ask(
        "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
    )
    prompts = [p[-1]["content"] for p in assistant.llm.prompts]
    asked = [p.split("Question: ", 1)[1].splitlines()[0] for p in prompts]
    assert asked[:2] == ["How many prisoners was the Afghan government to release?"] * 2
    sources = [sum(li.startswith("[") for li in p.splitlines()) for p in prompts]
    assert sources[1] < sources[0]  # the second look shows fewer sentences
    assert answer.found and len(answer.citations) == 2


def test_each_part_of_a_compound_question_keeps_its_own_verdict(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    # A bare "[1]" is judged against its own part's ranking. What the two parts kept is checked
    # together as text, so the pointing is not judged again against sentences scored for the
    # other part's question.
    assistant = fake_assistant("[1]")
    assistant.settings = replace(assistant.settings, marker_margin=1.0, drift_margin=-1.0)
    checked: list[str] = []
    verify = assistant._verify

    def spy(draft: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(draft)
        return verify(draft, *args, **kwargs)

    assistant._verify = spy
    answer = assistant.ask(
        "How many prisoners was the Afghan government to release, and where did Ghani first flee?"
    )
    prompts = [p[-1]["content"].split("Question:")[0] for p in assistant.llm.prompts]
    assert all(c.startswith("[") and c.endswith("]") for c in checked[:2])  # each part's marker
    assert len(prompts) == 2 and answer.found and len(answer.citations) == 2
    together = checked[-1].splitlines()
    assert len(together) == 2 and all(len(line.split()) > 3 for line in together)
    for citation, prompt in zip(answer.citations, prompts, strict=True):
        assert " ".join(citation.text.split()) in prompt  # one sentence from each part's sources
    assert [c.reason for c in answer.checks] == ["marker only", "marker only"]


def _cite_last_then_first(calls: list[int]):  # type: ignore[no-untyped-def]
    """A model that first copies its weakest source, then (on a second look) its best one."""

    def reply(messages: Sequence[dict[str, str]]) -> str:
        calls.append(1)
        lines = [li for li in messages[-1]["content"].splitlines() if li.startswith("[")]
        line = lines[-1] if len(calls) == 1 else lines[0]
        n, text = line.split("] ", 1)
        return f"{text} {n}]"

    return reply


@pytest.mark.parametrize("margin", [0.0, -1.0])
def test_an_answer_resting_on_a_weak_sentence_gets_a_second_look(fake_assistant, margin) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    assistant = fake_assistant(_cite_last_then_first(calls))
    assistant.settings = replace(assistant.settings, drift_margin=margin)
    answer = assistant.ask("What did the agreement say about prisoners of the Afghan government?")
    best, weakest = answer.evidence[0], answer.evidence[-1]
    assert best.score > weakest.score and answer.found
    cited = (answer.citations[0].start, answer.citations[0].end)
    if margin < 0:  # the second look is off: the weak sentence stands
        assert len(calls) == 1 and cited == (weakest.start, weakest.end)
    else:
        assert len(calls) == 2 and cited == (best.start, best.end)


def test_a_follow_up_without_a_name_is_rewritten_and_one_with_names_is_not(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    def model(messages: Sequence[dict[str, str]]) -> str:
        if "Follow-up:" in messages[-1]["content"]:
            return "In which city was the US withdrawal deal with the Taliban signed?"
        return _cite_first_evidence(messages)

    assistant = fake_assistant(model)
    history = [
        {"role": "user", "content": "When was the US withdrawal deal with the Taliban signed?"},
        {"role": "assistant", "content": "It was signed in February 2020. [1]"},
    ]
    answer = assistant.ask("In which city did the signing take place?", history=history)
    assert answer.standalone_question.startswith("In which city was the US withdrawal deal")
    named = assistant.ask("Which prisoners did Zalmay Khalilzad get freed from Pakistan?", history)
    assert named.standalone_question == named.question
