"""The command-line contract: JSON lines in, exactly one JSON object per line out, in order."""

from __future__ import annotations

import io
import json

import pytest

from assistant import cli
from assistant.types import Answer, Citation, Passage, Timings
from vectorstore.errors import EmptyIndexError


class EchoAssistant:
    """Answers every question with one citation; records the histories it was given."""

    def __init__(self) -> None:
        self.histories: list[list[dict[str, str]]] = []

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        if not question.strip():
            from assistant import EmptyQuestionError

            raise EmptyQuestionError("the question is empty")
        self.histories.append(list(history or []))
        passage = Passage("a.txt", "A", 0, 5, "Hello", 0.5)
        return Answer(
            question=question,
            text=f"Echo: {question} [1]",
            found=True,
            standalone_question=question,
            citations=(Citation(1, "a.txt", "A", 0, 5, "Hello"),),
            passages=(passage,) * 5,
            timings=Timings(1.0, 2.0, 3.0),
        )


def run_jsonl(lines: list[str]) -> tuple[list[dict], EchoAssistant]:
    assistant = EchoAssistant()
    out = io.StringIO()
    assert cli._ask_jsonl(assistant, io.StringIO("\n".join(lines) + "\n"), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()], assistant


def test_jsonl_answers_each_line_in_order_with_the_documented_fields() -> None:
    results, _ = run_jsonl(
        [json.dumps({"question": "one"}), json.dumps({"question": "two", "x": 1})]
    )
    assert [r["question"] for r in results] == ["one", "two"]
    for result in results:
        assert set(result) >= {
            "question",
            "answer",
            "found",
            "standalone_question",
            "citations",
            "passages",
            "timings",
        }
        assert set(result["citations"][0]) == {"n", "source", "title", "start", "end", "text"}
        assert set(result["passages"][0]) == {"source", "title", "start", "end", "text", "score"}
        assert set(result["timings"]) >= {"retrieve_ms", "first_token_ms", "total_ms"}


def test_jsonl_bad_lines_get_an_error_object_and_the_rest_go_on() -> None:
    results, _ = run_jsonl(
        [
            "not json",
            json.dumps({"question": ""}),
            json.dumps({"no": "question"}),
            json.dumps({"question": "ok"}),
        ]
    )
    assert len(results) == 4
    assert "error" in results[0] and "error" in results[1] and "error" in results[2]
    assert results[3]["answer"].startswith("Echo: ok")


def test_jsonl_passes_the_history_along() -> None:
    history = [{"role": "user", "content": "Who?"}, {"role": "assistant", "content": "Her."}]
    _, assistant = run_jsonl([json.dumps({"question": "And then?", "history": history})])
    assert assistant.histories == [history]


def test_user_errors_are_one_line_and_a_non_zero_exit(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    class NoIndex:
        def ask(self, question: str, history: object = None) -> Answer:
            raise EmptyIndexError("no documents are indexed yet: run 'assistant ingest' first")

    monkeypatch.setattr(cli, "_assistant", lambda: NoIndex())
    assert cli.main(["ask", "Who resigned?"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("error: no documents are indexed")


def test_empty_question_exits_with_usage_status(capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["ask", "  "]) == 2
    assert "empty" in capsys.readouterr().err


def test_ask_json_prints_one_object(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "_assistant", EchoAssistant)
    assert cli.main(["ask", "--json", "Who?"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and json.loads(out[0])["found"] is True


@pytest.mark.parametrize("k", ["0", "-1"])
def test_search_rejects_a_non_positive_k(k: str, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["search", "x", "--k", k]) == 2
