"""`python -m bench [NAME ...]`: run the benchmarks (all by default) and update docs/BENCHMARKS.md.

Names: ingest, retrieval, answer, coldstart, stock, reingest (the default set), quality (the
eval of the defaults and every alternative, about an hour; docs/EVALUATION.md), periods
(questions naming a period, on both corpora; docs/EVALUATION.md), concurrency
(three users at once, one sending the worst question the budgets allow) and formats (the PDF
libraries compared, a 300-page PDF ingested, the watched folder's latency) and runtimes
(ingest throughput of each embedding runtime), thousand (1,000 articles ingested, against
the machine's floor) and reader (the model handed only the sentence
that holds the answer: its ceiling as a reader; docs/EVALUATION.md). The run holds the
machine's heavy-job lock (/tmp/seed-assistant-heavy.lock) so that no other model-loading job distorts the figures;
do not wrap it in `flock` yourself (pass --no-lock if you already hold the lock).
"""

from __future__ import annotations

import argparse
import fcntl
import importlib
import importlib.util
import json
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.common import (
    HEAVY_LOCK,
    REPORT,
    ForeignLoad,
    machine,
    save_json,
    wait_until_quiet,
)

ORDER = ("ingest", "retrieval", "answer", "coldstart", "stock", "reingest")
EXTRA = ("quality", "periods", "concurrency", "formats", "runtimes", "thousand", "reader")


def _runner(name: str, args: argparse.Namespace) -> Callable[[], dict[str, Any]] | None:
    if name == "ingest":
        from bench import ingest

        return ingest.run
    if name == "retrieval":
        from bench import retrieval

        return lambda: retrieval.run(sizes=args.sizes)
    if name == "answer":
        from bench import answer

        return lambda: answer.run(questions=args.answer_questions)
    if name == "coldstart":
        from bench import coldstart

        return coldstart.run
    if name == "stock":
        from bench import stock_recipe

        return lambda: stock_recipe.run(limit=args.questions)
    if name == "quality":
        from bench import quality

        return lambda: quality.run(only=args.variants, every=args.every, rescore=args.rescore)
    if name == "periods":
        from bench import periods

        return periods.run
    if name == "concurrency":
        from bench import concurrency

        return concurrency.run
    if name == "formats":
        from bench import formats

        return formats.run
    if name == "runtimes":
        from bench import runtimes

        return runtimes.run
    if name == "thousand":
        from bench import thousand

        return thousand.run
    if name == "reader":
        from bench import reader

        return lambda: reader.run(every=args.every)
    if name == "reingest":
        if importlib.util.find_spec("bench.reingest") is None:
            return None
        module = importlib.import_module("bench.reingest")
        return module.main
    raise ValueError(name)


@contextmanager
def heavy_lock(enabled: bool) -> Iterator[None]:
    """Hold the machine-wide lock that serializes model-loading jobs."""
    if not enabled:
        yield
        return
    with HEAVY_LOCK.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for {HEAVY_LOCK} (another heavy job is running)…", file=sys.stderr)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        help=f"benchmarks to run: {', '.join(ORDER + EXTRA)} (default: {', '.join(ORDER)})",
    )
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000, 100000],
        help="retrieval corpus sizes (default 1000,10000,100000)",
    )  # fmt: skip
    parser.add_argument(
        "--questions", default="sample",
        help="stock-recipe comparison: 'sample' (a fixed subset, every kind), 'all', or a number",
    )  # fmt: skip
    parser.add_argument(
        "--answer-questions", type=int, default=12, help="questions timed in `answer`"
    )
    parser.add_argument(
        "--variants", type=lambda s: s.split(","), default=None,
        help="quality: only the variants whose name or group contains one of these (comma-separated)",
    )  # fmt: skip
    parser.add_argument(
        "--every", type=int, default=1,
        help="quality: ask every K-th question of each kind (default: all of them)",
    )  # fmt: skip
    parser.add_argument(
        "--rescore", action="store_true",
        help="quality: summarise the stored answers again with the current scorer (no model run)",
    )  # fmt: skip
    parser.add_argument("--no-lock", action="store_true", help="the heavy-job lock is already held")
    parser.add_argument(
        "--wait-quiet", type=float, default=120.0,
        help="before each benchmark, wait up to this many seconds for other processes to go quiet",
    )  # fmt: skip
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in ORDER + EXTRA]
    if unknown:
        parser.error(
            f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(ORDER + EXTRA)}"
        )
    names = [n for n in ORDER + EXTRA if n in (args.names or ORDER)]

    print(f"machine: {machine().line()}", file=sys.stderr)
    failures = 0
    summary: dict[str, Any] = {}
    with heavy_lock(not args.no_lock):
        for name in names:
            run = _runner(name, args)
            if run is None:
                print(f"[{name}] not present, skipped", file=sys.stderr)
                continue
            waited = wait_until_quiet(args.wait_quiet)
            if waited > 15:
                print(
                    f"[{name}] waited {waited:.0f} s for other processes to calm down",
                    file=sys.stderr,
                )
            print(f"[{name}] running…", file=sys.stderr)
            started = time.perf_counter()
            try:
                with ForeignLoad():
                    summary[name] = run()
            except Exception:  # one failing benchmark must not hide the others' figures
                failures += 1
                traceback.print_exc()
                summary[name] = {"error": traceback.format_exc(limit=3)}
            print(f"[{name}] done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    save_json("last-run", {"names": names, "summary": summary})
    from bench import summary as table

    table.write()
    print(json.dumps({n: _headline(v) for n, v in summary.items()}, indent=1, default=str))
    print(f"report: {REPORT}", file=sys.stderr)
    return 1 if failures else 0


def _headline(result: Any) -> Any:
    if isinstance(result, dict):
        return {k: v for k, v in result.items() if not isinstance(v, list | dict)}
    return result


if __name__ == "__main__":
    raise SystemExit(main())
