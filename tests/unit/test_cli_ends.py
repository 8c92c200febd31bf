"""The command line's ends: path arguments that are not UTF-8, and a reader that has gone away
before the first line, each end in one line or none, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

import ingest as ingest_package
from assistant import cli
from assistant.evaluation import run

UNDECODABLE_PATHS = [["ingest", "\udcff"], ["ingest", "ok", "\udcff"], ["eval", "\udcff"]]


@pytest.mark.parametrize("argv", [*UNDECODABLE_PATHS, ["eval", "--out", "caf\udce9.json"]])
def test_path_arguments_that_are_not_utf8_are_one_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    monkeypatch.setattr(ingest_package, "ingest", None)  # calling either fails the test
    monkeypatch.setattr(run, "run_cli", None)
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "not valid UTF-8" in err


def test_a_closed_pipe_leaves_no_traceback_at_exit() -> None:
    script = (
        "import sys; from assistant import cli; from assistant.types import Passage\n"
        "from types import SimpleNamespace as Fake\n"
        "found = Fake(passages=[Passage('a', 'A', 0, 5, 'Hi ' * 99, 0.5)] * 500, retrieve_ms=1)\n"
        "cli._assistant = lambda: Fake(search=lambda q, k, dates=None: found)\n"
        "sys.exit(cli.main(['search', 'bakery']))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141 and err == ""
