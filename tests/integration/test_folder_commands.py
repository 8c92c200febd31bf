"""The documents-folder commands as a user runs them, with the real embedder and model:
`assistant watch` syncs a file written into the folder and stops cleanly on Ctrl-C, and
`assistant add URL` fetches a page from a local HTTP server, saves it with its address and
ingests it, after which `assistant ask --json` cites it with its outlet, date and address;
Ctrl-C stops `assistant ingest` cleanly and the next ingest goes on where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from ingest.frontmatter import describe_front_matter, split_front_matter

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Vedby glassworks reopens | Coastal Times</title>
<meta property="og:title" content="Vedby glassworks reopens as a museum">
<meta property="og:site_name" content="Coastal Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-10-18T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<main><article><h1>Vedby glassworks reopens as a museum</h1>
<p>The old glassworks in Vedby has reopened as a museum after four years of restoration work.</p>
<p>The museum's director, Karin Holm, said the furnaces had been rebuilt by hand from the
original drawings of 1874.</p>
<p>On its first weekend the museum had 3,400 visitors. Tickets cost 90 kroner.</p>
</article></main><footer>© 2021 Coastal Times</footer></body></html>"""


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = (200, PAGE.encode()) if self.path == "/glassworks" else (404, b"gone")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("Town note\n\nThe town hall is open on weekdays.\n")
    variables = dict(os.environ, ASSISTANT_SEEDS_DIR=str(docs), ASSISTANT_CHROMA_URL="")
    variables |= dict(ASSISTANT_STORE_PATH=str(tmp_path / "store"), ASSISTANT_LLM_URL="")
    return variables | {"NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


def _assistant(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "assistant.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def test_add_fetches_saves_with_its_address_and_ingests_and_ask_cites_it(
    site: str, env: dict[str, str]
) -> None:
    docs = Path(env["ASSISTANT_SEEDS_DIR"])
    added = _assistant("add", f"{site}/glassworks", "--json", env=env)
    assert added.returncode == 0, added.stderr
    report = json.loads(added.stdout)
    (saved,) = [name for name in report["added"] if name != "note.txt"]
    meta, _ = split_front_matter((docs / saved).read_text("utf-8"))
    described = describe_front_matter(meta)
    assert described["url"] == f"{site}/glassworks" and described["outlet"] == "Coastal Times"

    answer = json.loads(
        _assistant("ask", "--json", "Who is the director of the Vedby museum?", env=env).stdout
    )
    assert answer["found"] and "Holm" in answer["answer"]
    (cited,) = {json.dumps(c, sort_keys=True) for c in answer["citations"] if c["source"] == saved}
    citation = json.loads(cited)
    assert citation["url"] == f"{site}/glassworks" and citation["outlet"] == "Coastal Times"
    assert citation["date"] == "2021-10-18" and citation["page"] is None

    missing = _assistant("add", f"{site}/nothing-here", env=env)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.strip().splitlines() == [
        f"error: {site}/nothing-here: the server answered 404 Not Found"
    ]


def test_watch_syncs_a_new_file_and_stops_cleanly_on_ctrl_c(env: dict[str, str]) -> None:
    docs = Path(env["ASSISTANT_SEEDS_DIR"])
    command = [sys.executable, "-m", "assistant.cli", "watch", "--quiet", "0.5"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")))  # type: ignore[union-attr]
    reader.start()
    try:
        _wait(lambda: any("1 added" in line for line in lines), "the first sync", lines)
        (docs / "ferry.txt").write_text("Ferry news\n\nThe ferry now leaves at six.\n")
        _wait(lambda: sum("1 added" in line for line in lines) == 2, "the new file", lines)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        reader.join(timeout=10)
    assert "stopped watching" in process.stderr.read()  # type: ignore[union-attr]


def test_ctrl_c_stops_an_ingest_and_the_next_one_goes_on(env: dict[str, str]) -> None:
    docs = Path(env["ASSISTANT_SEEDS_DIR"])
    for seed in sorted(SEEDS.iterdir(), key=lambda p: p.stat().st_size)[:3]:  # the shortest
        (docs / seed.name).write_bytes(seed.read_bytes())
    env = env | {"ASSISTANT_COMMIT_TEXTS": "1", "ASSISTANT_EMBED_BATCH": "2"}
    command = [sys.executable, "-m", "assistant.cli", "ingest", "--json"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    shown: list[str] = []  # the progress bar rewrites its line: read characters, not lines
    reader = threading.Thread(target=lambda: shown.extend(iter(lambda: process.stderr.read(1), "")))  # type: ignore[union-attr]
    reader.start()
    try:
        _wait(lambda: "embedding: 1 of" in "".join(shown), "one document embedded", shown)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        reader.join(timeout=10)
    assert process.returncode == 130, "".join(shown)
    stopped = json.loads(process.stdout.read())  # type: ignore[union-attr]
    documents = sorted(p.name for p in docs.iterdir())
    assert stopped["stopped"] and stopped["added"] == [] and "Traceback" not in "".join(shown)
    assert "stopping after the texts being embedded now" in "".join(shown)

    again = _assistant("ingest", "--json", env=env)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["resumed"] and sorted(report["added"]) == documents
    assert report["chunks_embedded"] < report["chunks_total"]  # finished documents kept


def _wait(done: Any, what: str, lines: list[str], seconds: float = 180.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(0.2)
    raise AssertionError(f"no line for {what} within {seconds:.0f} s: {lines}")
