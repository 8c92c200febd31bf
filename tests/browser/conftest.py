"""The app served by `streamlit run` on a free local port over a copy of the seeded index, and
Debian's Chromium driven by Playwright. Screenshots go to test-artifacts/browser/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from server_support import free_port

from assistant.settings import AssistantSettings
from ingest.settings import IngestSettings

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class App:
    """A running app: its URL, and the documents folder it reads (a copy owned by the test)."""

    url: str
    docs: Path
    log: Path


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"the app did not answer on {url} within {timeout:.0f} s")


@pytest.fixture(scope="module")
def app(
    seeded: tuple[IngestSettings, AssistantSettings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[App]:
    """`streamlit run streamlit_app.py` on 127.0.0.1 and a free port, over copies of the seeded
    documents and index, so uploads and re-ingests here touch nothing else. It does not follow
    the folder: the index changes only when Re-ingest is pressed."""
    yield from serve(seeded[0], tmp_path_factory.mktemp("browser-app"), ASSISTANT_WATCH="0")


def serve(ingest_settings: IngestSettings, base: Path, **env: str) -> Iterator[App]:
    """The app over copies of the seeded documents and index in `base`, with `env` added."""
    docs, store = base / "docs", base / "store"
    shutil.copytree(ingest_settings.root, docs)
    shutil.copytree(ingest_settings.store.path, store)
    port = free_port()
    variables = dict(
        os.environ,
        ASSISTANT_STORE_PATH=str(store),
        ASSISTANT_SEEDS_DIR=str(docs),
        ASSISTANT_CHROMA_URL="",
        ASSISTANT_LLM_URL="",
        ASSISTANT_CHATS_PATH=str(base / "chats.sqlite3"),
    )
    log = base / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=variables | env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log, timeout=60)
        yield App(url=url, docs=docs, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium (installed by `make browser`), never a downloaded one."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)")
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # only this run's screenshots
    ARTIFACTS.mkdir(parents=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, app: App) -> Iterator[Any]:
    """A fresh browser session on the app."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(app.url)
    yield page
    context.close()
