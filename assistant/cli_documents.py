"""The commands about the documents folder: `ingest` (sync it once), `watch` (keep it synced)
and `add URL` (fetch an article into it and ingest it)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from assistant.text_input import checked_path, clean, write_line


def add_document_commands(sub: Any) -> None:
    """Register `ingest`, `watch` and `add` on the CLI's subcommand parser."""
    ingest = sub.add_parser(
        "ingest", help="sync the documents folder (or some paths in it) into the index"
    )
    ingest.add_argument(
        "paths", nargs="*", type=Path, help="files or folders inside the documents folder"
    )
    ingest.add_argument("--json", action="store_true", help="print the report as one JSON object")
    ingest.set_defaults(run=_ingest)

    watch = sub.add_parser(
        "watch", help="keep the index in sync with the documents folder until Ctrl-C"
    )
    watch.add_argument(
        "--quiet", type=float, default=1.0, help="seconds without changes before a sync (1.0)"
    )
    watch.set_defaults(run=_watch)

    add = sub.add_parser("add", help="fetch an article by its address, save it and ingest it")
    add.add_argument("url", help="an http or https address")
    add.add_argument("--timeout", type=float, default=20.0, help="seconds to wait (20)")
    add.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add.set_defaults(run=_add)


def _ingest(args: argparse.Namespace) -> int:
    from ingest import ingest

    paths = [checked_path(path) for path in args.paths]
    bar = ProgressBar(sys.stderr)
    stop = threading.Event()
    with ctrl_c_stops(stop):
        report = ingest(paths=paths or None, progress=bar.update, stop=stop)
    bar.close()
    _print_report(report, args.json)
    return STOPPED if report.stopped else 0 if report.ok else 1


STOPPED = 130
"""The exit status of an ingest stopped by Ctrl-C (as for any command Ctrl-C ends)."""


@contextmanager
def ctrl_c_stops(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C sets `stop` (the ingest keeps what it finished and ends cleanly); a
    second one ends the command at once."""

    def first(signum: int, frame: Any) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        print(
            "\nstopping after the texts being embedded now (Ctrl-C again to quit at once)",
            file=sys.stderr,
        )

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _watch(args: argparse.Namespace) -> int:
    from ingest import IngestSettings
    from ingest.watch import watch_folder

    settings = IngestSettings()
    if not settings.root.is_dir():
        print(f"error: the documents folder {settings.root} does not exist", file=sys.stderr)
        return 1
    stop = threading.Event()
    print(f"watching {settings.root} (Ctrl-C to stop)", file=sys.stderr)
    try:  # its own handler, as ingest's: a Ctrl-C (or kill -INT) ends even a watch started
        with ctrl_c_stops(stop):  # in the background of a script, where SIGINT starts ignored
            watch_folder(settings, lambda line: write_line(sys.stdout, line), stop, args.quiet)
    except KeyboardInterrupt:  # a second Ctrl-C
        stop.set()
    print("stopped watching", file=sys.stderr)
    return 0


def _add(args: argparse.Namespace) -> int:
    from ingest import IngestSettings, ingest
    from ingest.fetch import add_url

    settings = IngestSettings()
    path = add_url(clean(args.url).strip(), settings.root, args.timeout, settings.max_bytes)
    print(f"saved {path.relative_to(settings.root)}", file=sys.stderr)
    report = ingest(settings, paths=[path])
    _print_report(report, args.json)
    return 0 if report.ok else 1


def _print_report(report: Any, as_json: bool) -> None:
    if as_json:
        write_line(sys.stdout, json.dumps(report.to_dict(), ensure_ascii=False))
        return
    for line in report.lines():
        write_line(sys.stdout, line)


class ProgressBar:
    """A tqdm bar on stderr for each phase (reading, then embedding), shown only while there is
    something to do: what is done of all, the rate and the time left."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar: Any = None
        self.phase = ""

    def update(self, done: int, total: int, label: str) -> None:
        from ingest.progress import UNITS, phase_of

        if total == 0:
            return
        if self.bar is None or phase_of(label) != self.phase:
            from tqdm import tqdm

            self.close()
            self.phase = phase_of(label)
            unit = UNITS.get(self.phase, "item").removesuffix("s")
            self.bar = tqdm(total=total, desc=label, unit=unit, file=self.stream, leave=False)
        self.bar.set_description_str(label, refresh=False)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
