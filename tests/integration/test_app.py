"""The app's logic through streamlit.testing.v1.AppTest, with the real models over the seeded index:
answers with sources and "how it was made", history, refusals, and one clear line for each
problem a user can fix (empty index, failed ingest, missing model)."""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assistant.settings import AssistantSettings
from ingest.load import SourceFile
from ingest.read import read_document
from ingest.settings import IngestSettings

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"
TIMEOUT = 240


def start(monkeypatch: pytest.MonkeyPatch, docs: Path, store: Path, **env: str) -> AppTest:
    """The app over these folders (settings are read from the environment on every run)."""
    variables = {"STORE_PATH": str(store), "SEEDS_DIR": str(docs), "CHROMA_URL": "", "LLM_URL": ""}
    variables["WATCH"] = "0"  # the index changes when Re-ingest is pressed (the test's clock)
    variables["CHATS_PATH"] = str(Path(tempfile.mkdtemp(prefix="chats-")) / "chats.sqlite3")
    for name, value in (variables | env).items():
        monkeypatch.setenv(f"ASSISTANT_{name}", value)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)


def rerun_until(at: AppTest, done: Any, seconds: float = TIMEOUT) -> None:
    """Run the page again until `done()` (a Re-ingest syncs in the background)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the page never showed what was waited for"
        time.sleep(0.5)
        at.run()
        assert not at.exception


def component_data(at: AppTest, name: str) -> list[dict[str, Any]]:
    """The data each mounted component of that name was given."""
    found = [e.proto for e in at.get("bidi_component") if e.proto.component_name == name]
    return [json.loads(proto.json) for proto in found]


def unescape(markdown: str) -> str:
    """A label as the reader sees it: the app escapes markdown in titles, file names and errors,
    and breaks autolinks with an invisible word joiner."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "text", "caption") for e in at.get(kind))


def test_empty_index_and_failed_ingest_are_one_clear_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.txt").write_bytes(b"\x00\x01\x02 not text \x00" * 20)
    at = start(monkeypatch, docs, tmp_path / "store").run()
    assert not at.exception
    assert at.title[0].value == "Ask the articles"
    assert "collection is empty" in at.main.info[-1].value and "Re-ingest" in at.main.info[-1].value
    assert at.chat_input[0].disabled
    assert any("Not indexed yet: broken.txt" in unescape(i.value) for i in at.sidebar.info)

    next(b for b in at.sidebar.button if b.label == "Re-ingest").click().run()
    assert not at.exception
    rerun_until(at, lambda: bool(at.sidebar.warning))  # the sync runs in the background
    assert "1 failed" in at.sidebar.warning[0].value
    assert "error: broken.txt: not a text file" in texts(at)
    assert "collection is empty" in at.main.info[-1].value


def test_missing_model_is_one_clear_message(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    seeded: tuple[IngestSettings, AssistantSettings],
) -> None:
    ingest_settings, _ = seeded
    missing = str(tmp_path / "no-such-model.gguf")
    at = start(
        monkeypatch, ingest_settings.root, ingest_settings.store.path, LLM_MODEL=missing
    ).run()
    assert not at.exception
    assert at.title[0].value == "Ask the articles"
    message = unescape(at.error[0].value)
    assert "A model is missing" in message and missing in message and "make models" in message
    assert "5 documents" in texts(at)  # the rest of the page is there


def test_answer_has_clickable_sources_history_and_how_it_was_made(
    monkeypatch: pytest.MonkeyPatch, seeded: tuple[IngestSettings, AssistantSettings]
) -> None:
    ingest_settings, _ = seeded
    at = start(monkeypatch, ingest_settings.root, ingest_settings.store.path).run()
    assert not at.exception and not at.chat_input[0].disabled

    at.chat_input[0].set_value("How old is Zalmay Khalilzad?").run()
    assert not at.exception
    answer = at.session_state["messages"][-1]["answer"]
    assert answer.found and answer.citations, answer.text
    [shown] = component_data(at, "answer_view")
    assert {p["n"] for p in shown["parts"] if "n" in p} == {c.n for c in answer.citations}
    assert "".join(p.get("text", f"[{p.get('n')}]") for p in shown["parts"]) == answer.text
    labels = [unescape(b.label) for b in at.button if b.label.startswith("\\[")]
    assert labels == [f"[{c.n}] {c.title} · {c.source}" for c in answer.citations]
    assert [e.label for e in at.expander if "answer was made" in e.label]
    assert len(at.table) >= 2  # retrieved passages with scores, citation verdicts
    assert f"{answer.prompt_tokens} tokens" in texts(at) and "first token" in texts(at)

    citation = answer.citations[0]
    next(b for b in at.button if unescape(b.label).startswith(f"[{citation.n}] ")).click().run()
    assert not at.exception
    [viewer] = component_data(at, "source_view")
    path = ingest_settings.root / citation.source
    text = read_document(SourceFile(citation.source, path), ingest_settings.max_bytes).text
    assert viewer["cited"] == text[citation.start : citation.end] == citation.text
    assert viewer["before"] + viewer["cited"] + viewer["after"] == text
    assert viewer["source"] == citation.source and viewer["title"] == citation.title

    at.chat_input[0].set_value("When did his resignation take effect?").run()
    assert not at.exception
    messages = at.session_state["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    follow_up = messages[-1]["answer"]
    assert "Khalilzad" in follow_up.standalone_question  # rewritten with the history
    assert follow_up.standalone_question in texts(at)


def test_not_found_answer_looks_different_and_has_no_sources(
    monkeypatch: pytest.MonkeyPatch, seeded: tuple[IngestSettings, AssistantSettings]
) -> None:
    ingest_settings, _ = seeded
    at = start(monkeypatch, ingest_settings.root, ingest_settings.store.path).run()
    at.chat_input[0].set_value("Who won the 2018 FIFA World Cup?").run()
    assert not at.exception
    answer = at.session_state["messages"][-1]["answer"]
    assert not answer.found and not answer.citations
    assert at.main.info[0].value == answer.text and at.main.info[0].icon == ":material/search_off:"
    assert not component_data(at, "answer_view")
    assert not [b for b in at.button if unescape(b.label).startswith("[")]


def test_a_question_sent_while_the_page_is_redrawn_is_still_answered(
    monkeypatch: pytest.MonkeyPatch, seeded: tuple[IngestSettings, AssistantSettings]
) -> None:
    """The sidebar draws the whole page again when a sync changed the collection since it was
    drawn; a question that arrives in that very run is answered by the run after it."""
    ingest_settings, _ = seeded
    at = start(monkeypatch, ingest_settings.root, ingest_settings.store.path).run()
    at.session_state["generation"] = -1  # as if a sync had ended since the page was drawn
    at.chat_input[0].set_value("Who won the 2018 FIFA World Cup?").run()
    assert not at.exception
    assert at.session_state["generation"] != -1  # the page was drawn again
    assert [m["role"] for m in at.session_state["messages"]] == ["user", "assistant"]
    assert at.session_state["messages"][0]["content"] == "Who won the 2018 FIFA World Cup?"
