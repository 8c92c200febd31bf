"""The command line: `assistant ingest | ask | search | eval`. Other tools script against it.

Errors a user can cause or fix become one line on stderr and a non-zero exit; logs go to stderr so
that stdout carries only results (one JSON object per line with --jsonl).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from vectorstore.errors import AssistantError


def _quiet() -> None:
    """Keep library chatter (progress bars, deprecation notes) off the user's screen."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    warnings.filterwarnings("ignore")


def main(argv: Sequence[str] | None = None) -> int:
    _quiet()
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if exc.__class__.__name__ == "EmptyQuestionError" else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant", description="Answer questions from your own articles, with citations."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser(
        "ingest", help="sync the documents folder (or some paths in it) into the index"
    )
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or folders inside the documents folder"
    )
    ingest.add_argument("--json", action="store_true", help="print the report as one JSON object")
    ingest.set_defaults(run=_ingest)

    ask = sub.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument("question", nargs="?", help="the question")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument(
        "--jsonl", action="store_true", help="read JSON lines on stdin, write one per line"
    )
    ask.set_defaults(run=_ask)

    search = sub.add_parser("search", help="retrieval only: the best passages for a query")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true", help="print one JSON object")
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


def _ingest(args: argparse.Namespace) -> int:
    from ingest import ingest

    bar = _ProgressBar(sys.stderr)
    report = ingest(paths=list(args.paths) or None, progress=bar.update)
    bar.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        for line in report.lines():
            print(line)
    return 0 if report.ok else 1


def _assistant() -> Any:
    from assistant.core import Assistant

    return Assistant()


def _ask(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _ask_jsonl(_assistant(), sys.stdin, sys.stdout)
    from assistant.core import EmptyQuestionError

    if not args.question or not args.question.strip():
        raise EmptyQuestionError('the question is empty: assistant ask "your question"')
    answer = _assistant().ask(args.question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print(_format_answer(answer))
    return 0


def _ask_jsonl(assistant: Any, stdin: TextIO, stdout: TextIO) -> int:
    """One JSON object per input line, in order, flushed each time; bad lines get an `error`."""
    for line in stdin:
        if not line.strip():
            continue
        result: dict[str, Any]
        try:
            request = json.loads(line)
            if not isinstance(request, dict) or not isinstance(request.get("question"), str):
                raise ValueError('expected an object with a "question" string')
            history = request.get("history") or []
            if not isinstance(history, list) or not all(
                isinstance(m, dict) and isinstance(m.get("content"), str) for m in history
            ):
                raise ValueError('"history" must be a list of {"role", "content"} objects')
            result = assistant.ask(request["question"], history=history).to_dict()
        except json.JSONDecodeError as exc:
            result = {"error": f"invalid JSON: {exc.msg}"}
        except (ValueError, AssistantError) as exc:
            result = {"error": str(exc), "question": _question_of(line)}
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def _question_of(line: str) -> Any:
    try:
        return json.loads(line).get("question")
    except (ValueError, AttributeError):
        return None


def _search(args: argparse.Namespace) -> int:
    if not args.query.strip():
        from assistant.core import EmptyQuestionError

        raise EmptyQuestionError("the query is empty")
    if args.k < 1:
        print("error: --k must be at least 1", file=sys.stderr)
        return 2
    result = _assistant().search(args.query, args.k)
    if args.json:
        print(
            json.dumps(
                {
                    "query": args.query,
                    "passages": [p.to_dict() for p in result.passages],
                    "timings": {"retrieve_ms": round(result.retrieve_ms, 1)},
                },
                ensure_ascii=False,
            )
        )
    else:
        for i, p in enumerate(result.passages, 1):
            print(f"[{i}] {p.score:.4f}  {p.title} — {p.source}:{p.start}-{p.end}")
            print(f"    {' '.join(p.text.split())[:300]}")
    return 0


def _eval(args: argparse.Namespace) -> int:
    from assistant.evaluation.run import run_cli

    return int(run_cli(args))


def _format_answer(answer: Any) -> str:
    lines = [answer.text]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.title} — {c.source}:{c.start}-{c.end}")
            lines.append(f"    “{' '.join(c.text.split())}”")
    return "\n".join(lines)


class _ProgressBar:
    """A tqdm bar on stderr, shown only while there is something to embed."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar: Any = None
        self.label = ""

    def update(self, done: int, total: int, label: str) -> None:
        if total == 0:
            return
        if self.bar is None or label != self.label:  # a new phase (reading, then embedding)
            from tqdm import tqdm

            self.close()
            self.label = label
            self.bar = tqdm(total=total, desc=label, unit="text", file=self.stream, leave=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


if __name__ == "__main__":
    raise SystemExit(main())
