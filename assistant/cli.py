"""The command line: `assistant ingest | watch | add | ask | search | timeline | eval`. Other
tools script against it; the commands about the documents folder are in `assistant.cli_documents`,
the timeline and the date options in `assistant.cli_dates`.

Errors a user can cause or fix become one line on stderr and a non-zero exit; logs go to stderr so
that stdout carries only results (one JSON object per line with --jsonl).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from assistant.cli_dates import add_date_options, add_timeline_command, date_filter
from assistant.cli_documents import add_document_commands
from assistant.text_input import checked_path, clean, utf8_text, write_line
from vectorstore.errors import AssistantError

log = logging.getLogger(__name__)
_SIGPIPE_STATUS = 141  # 128 + SIGPIPE: how shells report a writer whose reader went away


def _quiet() -> None:
    """Keep library chatter (progress bars, deprecation notes) off the user's screen."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    warnings.filterwarnings("ignore")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Exit status: 0 done, 1 failed, 2 misused, 130 interrupted, 141 no reader."""
    _quiet()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.run(args))
        sys.stdout.flush()  # here, so that a closed pipe is met inside the `try`
        return status
    except AssistantError as exc:
        print(f"error: {clean(str(exc))}", file=sys.stderr)
        usage = exc.__class__.__name__ in ("EmptyQuestionError", "UndecodableArgumentError")
        return 2 if usage else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _discard_stdout()
        return _SIGPIPE_STATUS


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the flush at exit does not meet the closed pipe."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # no file descriptor: nothing reaches the pipe at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="Answer questions from your own articles, with citations."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    add_document_commands(sub)
    add_timeline_command(sub)

    ask = sub.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--jsonl", action="store_true", help="read JSON lines on stdin, write one per line"
    )
    ask.add_argument(
        "--format", choices=("text", "json", "markdown"), default="",
        help="how to print the answer (markdown: the text with [^1] footnotes quoting the sources)",
    )  # fmt: skip
    ask.add_argument(
        "--chat", default="", help="continue the saved chat of this name (or start it)"
    )
    add_date_options(ask)
    ask.set_defaults(run=_ask)

    search = sub.add_parser("search", help="retrieval only: the best passages for a query")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true", help="print one JSON object")
    add_date_options(search)
    search.set_defaults(run=_search)

    evaluate = sub.add_parser("eval", help="measure retrieval, answers, citations and refusals")
    evaluate.add_argument(
        "file", nargs="?", type=Path, help="question set (YAML, JSON, or JSON lines)"
    )
    evaluate.add_argument(
        "--collection", default="", help="JSON lines: only questions asked of this collection"
    )
    evaluate.add_argument("--every", type=int, default=0, help="only every K-th question")
    evaluate.add_argument("--limit", type=int, default=0, help="only the first N questions")
    evaluate.add_argument("--json", action="store_true", help="print only the JSON summary")
    evaluate.add_argument("--out", type=Path, help="also write per-question results (JSON) here")
    evaluate.add_argument(
        "--retrieval-only", action="store_true", help="measure retrieval only (no answers)"
    )
    evaluate.set_defaults(run=_eval)
    return parser


def _assistant() -> Any:
    from assistant.core import Assistant

    return Assistant()


def _ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _ask_jsonl(_assistant(), utf8_text(sys.stdin.buffer), sys.stdout)
    from assistant.core import EmptyQuestionError

    question = clean(args.question or "")
    if not question.strip():
        raise EmptyQuestionError('the question is empty: assistant ask "your question"')
    assistant = _assistant()
    dates = date_filter(args)
    if args.chat:
        answer = _ask_in_chat(assistant, args.chat, question, dates)
    else:
        answer = assistant.ask(question, dates=dates)
    shape = args.format or ("json" if args.json else "text")
    if shape == "json":
        write_line(sys.stdout, json.dumps(answer.to_dict(), ensure_ascii=False))
    elif shape == "markdown":
        from assistant.export import answer_markdown

        write_line(sys.stdout, answer_markdown(answer.to_dict())[0])
    else:
        write_line(sys.stdout, _format_answer(answer))
    return 0


def _ask_in_chat(assistant: Any, name: str, question: str, dates: Any) -> Any:
    """Answer `question` as the next turn of the saved chat `name`, and save both turns."""
    from assistant.chats import ChatStore

    with ChatStore(assistant.settings.chats_file) as chats:
        chat = chats.find_or_create(name)
        answer = assistant.ask(question, chats.history(chat.id), dates)
        chats.add_message(chat.id, "user", question)
        chats.add_message(chat.id, "assistant", answer.text, answer=answer.record())
    return answer


def _ask_jsonl(assistant: Any, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON object per non-blank input line, in order, flushed each time. A line that cannot
    be answered gets {"error", "question"} and the lines after it are answered all the same."""
    for line in stdin:
        if line.strip():
            write_line(stdout, json.dumps(_answer_line(assistant, line), ensure_ascii=False))
            stdout.flush()
    return 0


def _answer_line(assistant: Any, line: str) -> dict[str, Any]:
    """The answer to one request line, or {"error", "question"} when the line is malformed."""
    try:
        request = _json_object(line)
    except ValueError as exc:
        return {"error": str(exc), "question": None}
    question = request.get("question")
    shown = clean(question) if isinstance(question, str) else None
    try:
        history = _history(request.get("history") or [])
    except ValueError as exc:
        return {"error": str(exc), "question": shown}
    if shown is None:
        return {"error": 'expected an object with a "question" string', "question": None}
    return _ask_one(assistant, shown, history)


def _json_object(line: str) -> dict[str, Any]:
    """The JSON object on `line`; ValueError for anything else."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise ValueError("invalid JSON: nested too deeply") from None
    except ValueError:  # an integer with more digits than Python converts
        raise ValueError("invalid JSON: a number is too long") from None
    if not isinstance(request, dict):
        raise ValueError('expected an object with a "question" string')
    return request


def _history(history: Any) -> list[dict[str, str]]:
    """The request's "history" with its text cleaned; ValueError when its shape is wrong."""
    if not isinstance(history, list) or not all(
        isinstance(m, dict)
        and isinstance(m.get("content"), str)
        and isinstance(m.get("role", ""), str)
        for m in history
    ):
        raise ValueError('"history" must be a list of {"role", "content"} objects')
    return [{key: clean(m[key]) for key in ("role", "content") if key in m} for m in history]


def _ask_one(assistant: Any, question: str, history: list[dict[str, str]]) -> dict[str, Any]:
    """The answer as a JSON object; any failure becomes this line's {"error", "question"}."""
    try:
        return dict(assistant.ask(question, history=history).to_dict())
    except AssistantError as exc:
        return {"error": str(exc), "question": question}
    except Exception as exc:  # one line's failure must not cost the lines after it their answers
        log.exception("could not answer %r", question)
        return {"error": f"{type(exc).__name__}: {exc}", "question": question}


def _search(args: argparse.Namespace) -> int:
    query = clean(args.query)
    if not query.strip():
        from assistant.core import EmptyQuestionError

        raise EmptyQuestionError("the query is empty")
    if args.k < 1:
        print("error: --k must be at least 1", file=sys.stderr)
        return 2
    result = _assistant().search(query, args.k, date_filter(args))
    if args.json:
        write_line(
            sys.stdout,
            json.dumps(
                {
                    "query": query,
                    "passages": [p.to_dict() for p in result.passages],
                    "timings": {"retrieve_ms": round(result.retrieve_ms, 1)},
                },
                ensure_ascii=False,
            ),
        )
    else:
        for i, p in enumerate(result.passages, 1):
            write_line(sys.stdout, f"[{i}] {p.score:.4f}  {p.title} — {p.source}:{p.start}-{p.end}")
            write_line(sys.stdout, f"    {' '.join(p.text.split())[:300]}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.evaluation import run

    for path in (args.file, args.out):
        if path is not None:
            checked_path(path)
    return int(run.run_cli(args))


def _format_answer(answer: Any) -> str:
    lines = [answer.text]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.where()} — {c.source}:{c.start}-{c.end}")
            lines.append(f"    “{' '.join(c.text.split())}”")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
