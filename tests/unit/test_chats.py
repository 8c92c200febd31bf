"""Stored chats survive restarts and stay consistent under several writers."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import chat_schema
from assistant.chats import ChatStore, ChatStoreError, title_of

pytestmark = pytest.mark.unit


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "chats.sqlite3"


@pytest.fixture
def store(path: Path) -> Iterator[ChatStore]:
    with ChatStore(path, clock=Clock()) as opened:
        yield opened


# -- chats and messages ---------------------------------------------------------------------
def test_chats_and_answers_survive_closing_and_reopening_the_file(path: Path) -> None:
    answer = {"answer": "Ann Lee replaced him [1].", "citations": [{"n": 1, "source": "a.txt"}]}
    with ChatStore(path) as store:
        chat = store.create(name="work")
        store.add_message(chat.id, "user", "Who replaced the envoy?")
        store.add_message(chat.id, "assistant", "Ann Lee replaced him [1].", answer=answer)
    with ChatStore(path) as restarted:
        again = restarted.by_name("work")
        assert again is not None and again.id == chat.id
        assert again.title == "Who replaced the envoy?"
        assert again.message_count == 2
        stored = restarted.messages(chat.id)
    assert [(m.position, m.role) for m in stored] == [(0, "user"), (1, "assistant")]
    assert stored[1].answer == answer
    assert stored[0].answer is None and stored[0].error == ""


def test_new_chats_get_free_generated_names_and_an_empty_title(store: ChatStore) -> None:
    store.create(name="chat-2")
    first, second = store.create(), store.create()
    assert (first.name, first.title) == ("chat-3", "")
    assert second.name == "chat-4"
    with pytest.raises(ChatStoreError, match="already exists"):
        store.create(name="chat-2")


def test_first_question_becomes_the_title_cut_on_a_word_boundary(store: ChatStore) -> None:
    chat = store.create()
    question = "What did the report say about the\nharbour expansion and their new ferry terminal?"
    store.add_message(chat.id, "user", question)
    store.add_message(chat.id, "user", "And the costs?")
    title = store.get(chat.id).title  # type: ignore[union-attr]
    assert title == "What did the report say about the harbour expansion and…"
    assert len(title) <= 60 and "\n" not in title


def test_a_given_title_is_kept_when_the_first_question_arrives(store: ChatStore) -> None:
    chat = store.create(title="Harbour")
    store.add_message(chat.id, "user", "What about the ferry?")
    assert store.get(chat.id).title == "Harbour"  # type: ignore[union-attr]


def test_title_of_short_questions_and_single_long_words() -> None:
    assert title_of("  Who   won? ") == "Who won?"
    assert title_of("x" * 100) == "x" * 59 + "…"


def test_chats_are_listed_most_recently_updated_first(store: ChatStore) -> None:
    old, new = store.create(title="old"), store.create(title="new")
    assert [c.title for c in store.chats()] == ["new", "old"]
    store.add_message(old.id, "user", "Still there?")
    assert [c.id for c in store.chats()] == [old.id, new.id]
    store.rename(new.id, "renamed")
    assert [c.id for c in store.chats()] == [new.id, old.id]


def test_rename_strips_to_one_line_and_refuses_an_empty_title(store: ChatStore) -> None:
    chat = store.create()
    assert store.rename(chat.id, "  Harbour\n plans ").title == "Harbour plans"
    with pytest.raises(ChatStoreError, match="empty"):
        store.rename(chat.id, " \n ")
    with pytest.raises(ChatStoreError, match="no chat"):
        store.rename(chat.id + 99, "Elsewhere")


def test_deleting_a_chat_deletes_its_messages(store: ChatStore, path: Path) -> None:
    kept, gone = store.create(), store.create()
    for chat in (kept, gone):
        store.add_message(chat.id, "user", "A question")
    assert store.delete(gone.id) is True
    assert store.delete(gone.id) is False
    assert store.get(gone.id) is None and store.messages(gone.id) == []
    with sqlite3.connect(path) as raw:
        chat_ids = {row[0] for row in raw.execute("SELECT chat_id FROM messages")}
    assert chat_ids == {kept.id}
    with pytest.raises(ChatStoreError, match="no chat"):
        store.add_message(gone.id, "user", "Anyone?")


def test_find_or_create_returns_the_same_chat_for_a_name(store: ChatStore) -> None:
    made = store.find_or_create("notes")
    store.add_message(made.id, "user", "First")
    found = store.find_or_create(" notes ")
    assert found.id == made.id and found.message_count == 1
    assert store.by_name("missing") is None
    with pytest.raises(ChatStoreError, match="name"):
        store.find_or_create("  ")


def test_history_gives_role_and_content_without_failed_or_empty_messages(
    store: ChatStore,
) -> None:
    chat = store.create()
    store.add_message(chat.id, "user", "Who resigned?")
    store.add_message(chat.id, "assistant", "", error="the model is missing")
    store.add_message(chat.id, "user", "Who resigned in May?")
    store.add_message(chat.id, "assistant", "The envoy [1].", answer={"answer": "The envoy [1]."})
    store.add_message(chat.id, "user", "   ")
    assert store.history(chat.id) == [
        {"role": "user", "content": "Who resigned?"},
        {"role": "user", "content": "Who resigned in May?"},
        {"role": "assistant", "content": "The envoy [1]."},
    ]
    assert store.messages(chat.id)[1].error == "the model is missing"


def test_an_unknown_role_is_refused(store: ChatStore) -> None:
    chat = store.create()
    with pytest.raises(ValueError, match="role"):
        store.add_message(chat.id, "system", "You are…")


# -- the file -------------------------------------------------------------------------------
def test_two_stores_on_one_file_see_each_others_writes(path: Path) -> None:
    with ChatStore(path) as app, ChatStore(path) as cli:
        chat = app.create(name="shared")
        assert cli.find_or_create("shared").id == chat.id
        cli.add_message(chat.id, "user", "From the command line")
        app.add_message(chat.id, "assistant", "From the app")
        assert [m.content for m in app.messages(chat.id)] == [
            "From the command line",
            "From the app",
        ]
        with pytest.raises(ChatStoreError, match="already exists"):
            cli.create(name="shared")
        assert cli.delete(chat.id)
        assert app.chats() == []


def test_threads_sharing_one_store_append_in_distinct_positions(store: ChatStore) -> None:
    chat = store.create()

    def write(n: int) -> None:
        for i in range(10):
            store.add_message(chat.id, "user", f"thread {n} message {i}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [m.position for m in store.messages(chat.id)] == list(range(40))


def test_the_file_is_in_wal_mode_with_the_current_schema_version(
    store: ChatStore, path: Path
) -> None:
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = raw.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == ("1",)


def test_a_file_from_a_newer_version_is_refused_in_one_line(path: Path) -> None:
    ChatStore(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(ChatStoreError, match="newer version") as refused:
        ChatStore(path)
    assert "\n" not in str(refused.value) and str(path) in str(refused.value)


def test_an_older_file_is_migrated_in_order_and_keeps_its_chats(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ChatStore(path) as store:
        store.create(title="Before the upgrade", name="old")
    added = ("ALTER TABLE chats ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",)
    monkeypatch.setattr(chat_schema, "MIGRATIONS", (*chat_schema.MIGRATIONS, added))
    with ChatStore(path) as upgraded:
        assert upgraded.by_name("old").title == "Before the upgrade"  # type: ignore[union-attr]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT value FROM meta").fetchone() == ("2",)
        assert raw.execute("SELECT pinned FROM chats").fetchall() == [(0,)]


def test_a_file_that_is_not_a_database_is_refused_naming_it(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are not the chats you are looking for\n" * 200)
    with pytest.raises(ChatStoreError) as refused:
        ChatStore(path)
    message = str(refused.value)
    assert str(path) in message and "not a database" in message and "\n" not in message


def test_another_programs_database_is_not_taken_over(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(ChatStoreError, match="not a chat store"):
        ChatStore(path)


def test_a_closed_store_says_so(path: Path) -> None:
    store = ChatStore(path)
    store.close()
    store.close()
    with pytest.raises(ChatStoreError, match="cannot be used"):
        store.chats()
