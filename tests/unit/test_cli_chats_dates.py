"""The CLI's saved chats (`ask --chat NAME`), Markdown answers (`--format markdown`), date
options and `timeline`, with fakes in place of the models."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant import cli
from assistant.chats import ChatStore
from assistant.timeline import timeline
from assistant.types import Answer, Citation, DateFilter, Passage, Timings

pytestmark = pytest.mark.unit


class Recorder:
    """Answers with one citation; records each question's history and date filter."""

    def __init__(self, chats: Path) -> None:
        self.settings = SimpleNamespace(chats_file=chats)
        self.calls: list[tuple[str, list[dict[str, str]], Any]] = []

    def ask(self, question: str, history: Any = None, dates: Any = None) -> Answer:
        self.calls.append((question, list(history or []), dates))
        cited = Citation(1, "a.pdf", "Harbour report", 10, 40, "The terminal was designed by Mia Lund.",
                         page=3, date="2022-05-01", outlet="Gazette")  # fmt: skip
        return Answer(question, f"Mia Lund [1] ({question})", True, question, (cited,),
                      (Passage("a.pdf", "A", 0, 50, "x" * 50, 0.5),), Timings())  # fmt: skip


def test_a_named_chat_is_continued_with_its_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = Recorder(tmp_path / "chats.sqlite3")
    monkeypatch.setattr(cli, "_assistant", lambda: fake)
    assert cli.main(["ask", "--chat", "harbour", "Who designed it?"]) == 0
    assert cli.main(["ask", "--chat", "harbour", "When?"]) == 0
    assert fake.calls[0][1] == []
    assert [m["role"] for m in fake.calls[1][1]] == ["user", "assistant"]
    with ChatStore(tmp_path / "chats.sqlite3") as store:
        (chat,) = store.chats()
        stored = store.messages(chat.id)
    assert chat.name == "harbour" and chat.title == "Who designed it?"
    assert Answer.from_record(stored[1].answer or {}).citations[0].page == 3
    capsys.readouterr()


def test_markdown_format_gives_footnotes_quoting_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_assistant", lambda: Recorder(tmp_path / "c.sqlite3"))
    assert cli.main(["ask", "--format", "markdown", "Who designed it?"]) == 0
    out = capsys.readouterr().out
    assert "Mia Lund [^1]" in out
    assert "[^1]: “The terminal was designed by Mia Lund.” — Harbour report, Gazette" in out
    assert "a.pdf, p. 3" in out


def test_date_options_reach_the_assistant_and_bad_dates_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = Recorder(tmp_path / "c.sqlite3")
    monkeypatch.setattr(cli, "_assistant", lambda: fake)
    assert cli.main(["ask", "--since", "2021-10", "--until", "2021-10-31", "Who?"]) == 0
    assert fake.calls[-1][2] == DateFilter("2021-10", "2021-10-31", False)
    assert cli.main(["ask", "Who?"]) == 0 and fake.calls[-1][2] is None
    with pytest.raises(SystemExit) as stopped:
        cli.main(["ask", "--since", "last Tuesday", "Who?"])
    assert stopped.value.code == 2
    assert "'last Tuesday' is not a date like 2021-10-18" in capsys.readouterr().err


def test_timeline_lines_are_dated_sentences_of_the_collection_oldest_first(
    fake_assistant: Any, docs_dir: Path
) -> None:
    assistant = fake_assistant("NOT FOUND")
    events = timeline(assistant, "Khalilzad resignation and the Afghanistan withdrawal")
    assert events  # the fake embedder's vectors carry no meaning: few sentences count as relevant
    assert [e.date for e in events] == sorted(e.date for e in events)
    for event in events:
        for c in event.citations:
            text = (docs_dir / c.source).read_text("utf-8")
            assert text[c.start : c.end] == c.text and event.date[:4] in c.text
    later = timeline(assistant, "Khalilzad resignation", DateFilter("2021-01-01", "", True))
    assert all(e.date >= "2021" for e in later)


def test_timeline_json_has_events_with_citations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_assistant: Any
) -> None:
    import assistant.core

    monkeypatch.setattr(assistant.core, "Assistant", lambda: fake_assistant("NOT FOUND"))
    assert cli.main(["timeline", "--json", "Khalilzad resignation"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["events"] and set(payload["events"][0]) == {"date", "text", "citations"}
    assert {"source", "start", "end", "text", "page"} <= set(payload["events"][0]["citations"][0])


def test_a_topic_naming_a_period_gives_only_events_in_it(fake_assistant: Any) -> None:
    assistant = fake_assistant("NOT FOUND")
    events = timeline(assistant, "Khalilzad and the Taliban in 2021")
    assert events and all(e.date.startswith("2021") for e in events)
