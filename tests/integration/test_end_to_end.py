"""End to end with real parts: the seeds in a real Chroma store, the bundled EmbeddingGemma and the
bundled Qwen model answering real questions, through the Python API and the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.types import Answer


def assert_spans_exact(answer: Answer, docs: Path) -> None:
    for item in (*answer.citations, *answer.passages):
        original = (docs / item.source).read_text(encoding="utf-8")
        assert original[item.start : item.end] == item.text, (
            f"span {item.source}:{item.start}-{item.end}"
        )


@pytest.mark.parametrize(
    ("question", "source_prefix", "fact"),
    [
        ("How many prisoners did the US agree the Afghan government would free?", "002", "5,000"),
        (
            "Who called the war in Afghanistan a strategic failure before the Senate?",
            "003",
            "Milley",
        ),
        ("Hvilken tænketank arbejder Husain Haqqani for?", "", "Hudson"),
    ],
)
def test_answer_cites_the_article_that_holds_the_fact(
    real_assistant, seeded, question, source_prefix, fact
) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask(question)
    assert answer.found, answer.draft
    assert fact.lower() in answer.text.lower()
    assert answer.citations
    assert any(
        c.source.startswith(source_prefix) and fact.lower() in c.text.lower()
        for c in answer.citations
    )
    assert_spans_exact(answer, seeded[0].root)
    assert len(answer.passages) >= 5


def test_danish_question_is_answered_in_danish(real_assistant, seeded) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("Hvem har Blinken udpeget til at overtage Khalilzads post?")
    assert answer.language == "da"
    assert answer.found and "West" in answer.text
    assert_spans_exact(answer, seeded[0].root)


@pytest.mark.parametrize(
    "question",
    [
        "What is the boiling point of mercury?",
        "Which football team did Khalilzad support as a child?",
    ],
)
def test_question_outside_the_collection_is_refused(real_assistant, question) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask(question)
    assert not answer.found, answer.text
    assert answer.citations == ()


def test_first_token_and_total_time_are_measured(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("Where did Khalilzad hold talks with the Taliban?")
    t = answer.timings
    assert 0 < t.retrieve_ms <= t.first_token_ms <= t.total_ms


def test_command_line_jsonl_loads_once_and_answers_each_line(seeded) -> None:  # type: ignore[no-untyped-def]
    ingest_settings, _ = seeded
    env = {
        **os.environ,
        "ASSISTANT_STORE_PATH": str(ingest_settings.store.path),
        "ASSISTANT_SEEDS_DIR": str(ingest_settings.root),
    }
    lines = [
        {"question": "Who did Khalilzad send his resignation letter to?"},
        "this is not json",
        {
            "question": "What did he say in it about the political arrangement?",
            "history": [
                {"role": "user", "content": "Who did Khalilzad send his resignation letter to?"},
                {"role": "assistant", "content": "Secretary of State Antony Blinken."},
            ],
        },
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 3
    assert "error" in out[1]
    assert any("Blinken" in p["text"] for p in out[0]["passages"][:3])
    assert out[0]["found"] == bool(out[0]["citations"])
    assert out[2]["standalone_question"] != lines[2]["question"]  # type: ignore[index]
    for result in (out[0], out[2]):
        assert len(result["passages"]) >= 5
        for item in result["citations"] + result["passages"]:
            original = (ingest_settings.root / item["source"]).read_text(encoding="utf-8")
            assert original[item["start"] : item["end"]] == item["text"]


def test_command_line_search_and_empty_index(seeded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ingest_settings, _ = seeded
    env = {**os.environ, "ASSISTANT_STORE_PATH": str(ingest_settings.store.path)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "search", "Mark Milley testimony", "--k", "3", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["passages"]) == 3
    empty = {**os.environ, "ASSISTANT_STORE_PATH": str(tmp_path / "none")}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "Who resigned?"],
        capture_output=True, text=True, env=empty, timeout=300,
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stderr.strip().count("\n") == 0 and "ingest" in done.stderr


def test_a_prompt_gets_the_same_reply_whatever_was_asked_before(real_assistant, seeded) -> None:  # type: ignore[no-untyped-def]
    """llama.cpp reuses its cache for the prefix two prompts share; an answer must not depend
    on which question came before it."""
    llm = real_assistant.llm
    system = {"role": "system", "content": "Answer briefly from the text given."}
    article = sorted(seeded[0].root.iterdir())[-1].read_text(encoding="utf-8")[:1500]
    target = [
        system,
        {"role": "user", "content": f"Text:\n{article}\n\nSummarise it in three sentences."},
    ]
    # A question sharing much of the prompt: without the cut back to the system turn, the
    # second summary would be evaluated from where the two prompts part, and come out different.
    other = [system, {"role": "user", "content": f"Text:\n{article[:700]}\n\nWho is speaking?"}]
    llm.new_question()
    first = "".join(llm.stream(target, 80))
    llm.new_question()
    "".join(llm.stream(other, 5))
    llm.new_question()
    assert "".join(llm.stream(target, 80)) == first
