"""The command-line contract: JSON lines in, exactly one JSON object per line out, in order."""

from __future__ import annotations

import io
import json
import sys
from types import SimpleNamespace

import pytest

import ingest as ingest_package
from assistant import cli
from assistant.types import Answer, Citation, Passage, Timings
from ingest.report import IngestReport
from vectorstore.errors import EmptyIndexError


class EchoAssistant:
    """Answers every question with one citation; records the histories it was given."""

    def __init__(self) -> None:
        self.histories: list[list[dict[str, str]]] = []

    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, dates: object = None
    ) -> Answer:
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
        assert set(result["citations"][0]) == {
            *("n", "source", "title", "start", "end", "text"),
            *("page", "date", "outlet", "url", "doc_hash"),
        }
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


def test_user_errors_are_one_line_and_a_non_zero_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class NoIndex:
        def ask(self, question: str, history: object = None, dates: object = None) -> Answer:
            raise EmptyIndexError("no documents are indexed yet: run 'assistant ingest' first")

    monkeypatch.setattr(cli, "_assistant", lambda: NoIndex())
    assert cli.main(["ask", "Who resigned?"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("error: no documents are indexed")


def test_empty_question_exits_with_usage_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ask", "  "]) == 2
    assert "empty" in capsys.readouterr().err


def test_ask_json_prints_one_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_assistant", EchoAssistant)
    assert cli.main(["ask", "--json", "Who?"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and json.loads(out[0])["found"] is True


@pytest.mark.parametrize("k", ["0", "-1"])
def test_search_rejects_a_non_positive_k(k: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["search", "x", "--k", k]) == 2


class TokenizerLikeAssistant(EchoAssistant):
    """Like the real tokenizer, cannot encode a lone surrogate; its passage has some."""

    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, dates: object = None
    ) -> Answer:
        "\n".join([question, *(m["content"] for m in history or [])]).encode("utf-8")
        return super().ask(question, history)

    def search(self, query: str, k: int, dates: object = None) -> SimpleNamespace:
        query.encode("utf-8")
        passage = Passage("caf\udce9.txt", f"Found {query}", 0, 5, "Hello \ud800", 0.5)
        return SimpleNamespace(passages=[passage], retrieve_ms=1.0)


def strict_stdout(monkeypatch: pytest.MonkeyPatch) -> io.TextIOWrapper:
    """stdout as on a terminal or pipe, UTF-8 that cannot carry a lone surrogate (set in the
    test itself, after pytest has put its capture there)."""
    stream = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", stream)
    return stream


def written(stream: io.TextIOWrapper) -> list[str]:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8").split("\n")[:-1]  # type: ignore[attr-defined]


def _report(*added: str) -> IngestReport:
    return IngestReport(
        added=added, updated=(), unchanged=(), deleted=(), errors=(),
        chunks_embedded=1, chunks_total=1, documents_total=1, seconds=0.1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["search", "caf\udce9"], "Found caf\ufffd"),  # b"caf\xe9" as Python decodes argv
        (["search", "--json", "caf\udce9"], "Found caf\ufffd"),
        (["ask", "\udcff bakery"], "Echo: \ufffd bakery"),
        (["ask", "--json", "\udcff bakery"], "Echo: \ufffd bakery"),
        (["ingest", "--json"], '"added": ["caf\ufffd.txt"]'),
    ],
)
def test_text_that_is_not_utf8_is_replaced_on_the_way_in_and_out(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], shown: str
) -> None:
    stdout = strict_stdout(monkeypatch)
    monkeypatch.setattr(cli, "_assistant", TokenizerLikeAssistant)
    monkeypatch.setattr(ingest_package, "ingest", lambda **_: _report("caf\udce9.txt"))
    assert cli.main(argv) == 0
    assert shown in "\n".join(written(stdout))


def test_jsonl_lone_surrogates_are_replaced_and_every_line_answered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdout = strict_stdout(monkeypatch)
    history = json.dumps([{"role": "user", "content": "\udc80?"}])
    stdin = io.StringIO(
        '{"question": "\\ud800 hi"}\n'
        f'{{"question": "When did the bakery open?", "history": {history}}}\n'
        '{"question": "\ud800", "x": "\udcff"}\n'
    )
    assert cli._ask_jsonl(TokenizerLikeAssistant(), stdin, stdout) == 0
    results = [json.loads(line) for line in written(stdout)]
    assert [r.get("answer") for r in results] == [
        "Echo: \ufffd hi [1]",
        "Echo: When did the bakery open? [1]",
        "Echo: \ufffd [1]",
    ]


def test_jsonl_reads_stdin_bytes_that_are_not_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout = strict_stdout(monkeypatch)
    data = b'{"question": "caf\xe9"}\n\xff\xfe\n{"question": "ok"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    monkeypatch.setattr(cli, "_assistant", TokenizerLikeAssistant)
    assert cli.main(["ask", "--jsonl"]) == 0
    results = [json.loads(line) for line in written(stdout)]
    assert [r.get("answer") or r["error"] for r in results] == [
        "Echo: caf\ufffd [1]",
        "invalid JSON: Expecting value",
        "Echo: ok [1]",
    ]


MALFORMED = [
    *("[" * 100_000, "1" * 5000, "[1, 2]", '"a string"', "null"),
    *('{"question": 1e999}', '{"question": ["nested", {"junk": null}]}', '{"question": "\\u0000"}'),
    *(f'{{"question": "ok", "history": {h}}}' for h in ['"no"', '[{"role": "user"}]', "[[1]]"]),
    '{"question": "ok", "history": [{"role": 7, "content": "x"}]}',
]


@pytest.mark.parametrize("line", MALFORMED)
def test_jsonl_a_malformed_line_gets_one_error_and_the_next_an_answer(
    monkeypatch: pytest.MonkeyPatch, line: str
) -> None:
    stdout = strict_stdout(monkeypatch)
    stdin = io.StringIO(line + "\n" + json.dumps({"question": "next"}) + "\n")
    assert cli._ask_jsonl(EchoAssistant(), stdin, stdout) == 0
    results = [json.loads(out) for out in written(stdout)]
    assert len(results) == 2 and set(results[0]) == {"error", "question"}
    assert results[1]["answer"].startswith("Echo: next")


def test_jsonl_an_unexpected_failure_is_that_line_s_error_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Fails(EchoAssistant):
        def ask(
            self, question: str, history: list[dict[str, str]] | None = None, dates: object = None
        ) -> Answer:
            if question == "boom":
                raise RuntimeError("the model crashed")
            return super().ask(question, history)

    stdin = io.StringIO('{"question": "boom"}\n{"question": "ok"}\n')
    assert cli._ask_jsonl(Fails(), stdin, sys.stdout) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert json.loads(out[0]) == {"error": "RuntimeError: the model crashed", "question": "boom"}
    assert json.loads(out[1])["answer"].startswith("Echo: ok")


class ClosedPipe(io.TextIOBase):
    """stdout after the reader went away (`assistant search x | head -1`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize(
    "argv", [["search", "bakery"], ["ask", "bakery", "--json"], ["ask", "--jsonl"], ["ingest"]]
)
def test_a_closed_stdout_ends_quietly(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    stdin = io.BytesIO(b'{"question": "a"}\n{"question": "b"}\n')
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stdin, encoding="utf-8"))
    monkeypatch.setattr(cli, "_assistant", TokenizerLikeAssistant)
    monkeypatch.setattr(ingest_package, "ingest", lambda **_: _report("a.txt"))
    assert cli.main(argv) == 141
