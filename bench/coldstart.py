"""4. Cold start: from `streamlit run` to the app's first paint, and to its first answer.

A fresh app process serves the benchmark's index of the seeds; real Chromium (Debian's, through
Playwright) opens it as soon as the server is healthy. Peers, started the same way: a one-line
Streamlit app (the floor of Streamlit's own start and first paint), and `assistant ask` in a
fresh process (the same models loaded and the same question answered, without a UI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import fmt, free_port, provenance, save_json, stop, table, write_section
from vectorstore.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
QUESTION_ID = "envoy-age"
TIMEOUT_S = 240.0
MINIMAL_APP = 'import streamlit as st\n\nst.title("Ask the articles")\n'


def _serve(script: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    return process, f"http://127.0.0.1:{port}"


def _healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} was not healthy within {TIMEOUT_S:.0f} s")


def _question() -> str:
    from assistant.evaluation import DEFAULT_SET, load_questions

    questions = load_questions(DEFAULT_SET)
    return next((q.question for q in questions if q.id == QUESTION_ID), questions[0].question)


def app_cold_start(browser: Any, env: dict[str, str], question: str, log: Path) -> dict[str, float]:
    """Seconds from spawning the app to: healthy, title painted, models ready, answer complete."""
    from playwright.sync_api import expect

    page = browser.new_page()
    started = time.perf_counter()
    process, url = _serve(PROJECT_ROOT / "streamlit_app.py", env, log)
    try:
        _healthy(url, process)
        healthy = time.perf_counter() - started
        page.goto(url)
        expect(page.get_by_role("heading", name="Ask the articles")).to_be_visible(
            timeout=TIMEOUT_S * 1000
        )
        painted = time.perf_counter() - started
        box = page.get_by_test_id("stChatInputTextArea")
        expect(box).to_be_enabled(timeout=TIMEOUT_S * 1000)
        ready = time.perf_counter() - started  # the models may still be loading: ask at once
        messages = page.get_by_test_id("stChatMessage")
        box.fill(question)
        box.press("Enter")
        asked = time.perf_counter()
        first_text = 0.0
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if messages.count() >= 2:
                last = messages.last
                if not first_text and "▌" in (last.text_content(timeout=1000) or ""):
                    first_text = time.perf_counter() - started
                if last.get_by_text("How this answer was made").count():
                    break
            time.sleep(0.05)
        else:
            raise RuntimeError("no answer appeared in the app")
        answered = time.perf_counter() - started
        found = messages.last.get_by_text("Sources").count() > 0
    finally:
        page.close()
        stop(process)
    return {
        "healthy_s": healthy,
        "first_paint_s": painted,
        "ready_s": ready,
        "first_text_s": first_text or answered,
        "first_answer_s": answered,
        "answer_after_ready_s": answered - (asked - started),
        "found": float(found),
    }


def minimal_app_paint(browser: Any, env: dict[str, str], log: Path) -> float:
    """Seconds from spawning a one-line Streamlit app to its title painted."""
    from playwright.sync_api import expect

    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "minimal_app.py"
        script.write_text(MINIMAL_APP)
        page = browser.new_page()
        started = time.perf_counter()
        process, url = _serve(script, env, log)
        try:
            _healthy(url, process)
            page.goto(url)
            expect(page.get_by_role("heading", name="Ask the articles")).to_be_visible(
                timeout=60_000
            )
            return time.perf_counter() - started
        finally:
            page.close()
            stop(process)


def cli_cold_answer(env: dict[str, str], question: str) -> float:
    """Seconds for `assistant ask` in a fresh process to print the answer."""
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).with_name("assistant")), "ask", "--json", question],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    return time.perf_counter() - started


def run() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from bench.common import RESULTS
    from bench.seeded import environment, seeded

    if not (PROJECT_ROOT / "streamlit_app.py").exists():
        raise RuntimeError("streamlit_app.py does not exist yet")
    started = time.perf_counter()
    seeded()
    env = {**os.environ, **environment(), "PYTHONUNBUFFERED": "1"}
    question = _question()
    logs = RESULTS / "coldstart-logs"
    logs.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            minimal = minimal_app_paint(browser, env, logs / "minimal.log")
            app = app_cold_start(browser, env, question, logs / "app.log")
        finally:
            browser.close()
    cli = cli_cold_answer(env, question)
    result = {
        "question": question,
        **app,
        "minimal_paint_s": minimal,
        "cli_answer_s": cli,
        "paint_ratio": app["first_paint_s"] / minimal,
        "answer_ratio": app["first_answer_s"] / cli,
        "seconds": time.perf_counter() - started,
    }
    save_json("coldstart", result)
    write_section("coldstart", render(result))
    return result


def render(r: dict[str, Any]) -> str:
    rows = [
        ["server healthy", fmt(r["healthy_s"], 1, " s"), "", ""],
        ["first paint (title visible)", fmt(r["first_paint_s"], 1, " s"),
         f"{fmt(r['minimal_paint_s'], 1, ' s')} (one-line Streamlit app)", f"**{r['paint_ratio']:.2f}**"],
        ["chat input enabled (question typed at once)", fmt(r["ready_s"], 1, " s"), "", ""],
        ["first answer text on screen", fmt(r["first_text_s"], 1, " s"), "", ""],
        ["first answer complete", fmt(r["first_answer_s"], 1, " s"),
         f"{fmt(r['cli_answer_s'], 1, ' s')} (`assistant ask`, fresh process)", f"**{r['answer_ratio']:.2f}**"],
    ]  # fmt: skip
    return f"""## 4. Cold start

From spawning `streamlit run streamlit_app.py` (a fresh process; files already in the OS page
cache) to what a user sees in Chromium, then the first question: "{r["question"]}"
({"answered" if r["found"] else "refused"}; {fmt(r["answer_after_ready_s"], 1, " s")} from
pressing Enter to the complete answer).

{table(["moment", "app", "peer", "ratio"], rows)}

{provenance(r["seconds"])}
"""
