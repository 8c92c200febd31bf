"""Stored conversations: chats and their messages in one SQLite file, kept across restarts.

One `ChatStore` may be shared by the app's sessions and threads (its connection is guarded by a
lock), and several processes may open the same file (WAL mode, a busy timeout, and every write in
an immediate transaction). The schema and its versions are in `assistant/chat_schema.py`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant.chat_schema import ChatStoreError, connect, unusable

ROLES = ("user", "assistant")
TITLE_CHARS = 60

_SUMMARY = """SELECT c.id, c.name, c.title, c.created, c.updated,
    (SELECT COUNT(*) FROM messages m WHERE m.chat_id = c.id) AS message_count FROM chats c"""


@dataclass(frozen=True)
class ChatSummary:
    """One chat as a list shows it. `name` is stable (`assistant ask --chat NAME`)."""

    id: int
    name: str
    title: str
    created: float
    updated: float
    message_count: int = 0


@dataclass(frozen=True)
class StoredMessage:
    """One message of a chat. `answer` is the stored answer's dict (`Answer.record()`)."""

    id: int
    chat_id: int
    position: int
    role: str
    content: str
    answer: dict[str, Any] | None
    error: str
    created: float


def one_line(text: str) -> str:
    """`text` with its runs of whitespace (line breaks too) made single spaces, and stripped."""
    return " ".join(text.split())


def title_of(question: str, limit: int = TITLE_CHARS) -> str:
    """A chat title from its first question: one line, cut on a word boundary with '…'."""
    text = one_line(question)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


class ChatStore:
    """Chats and messages in the SQLite file at `path` (created, with its folder, if absent)."""

    def __init__(
        self, path: Path, *, timeout: float = 10.0, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.RLock()
        self._conn = connect(self.path, timeout)

    # -- lifetime ---------------------------------------------------------------------------
    def close(self) -> None:
        """Close the file; closing twice is harmless."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ChatStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- chats ------------------------------------------------------------------------------
    def create(self, title: str = "", name: str | None = None) -> ChatSummary:
        """A new chat. Without a name it gets a free one like 'chat-3'; a taken name is refused."""
        with self._write() as conn:
            return self._create(conn, one_line(title), name)

    def chats(self) -> list[ChatSummary]:
        """Every chat, the most recently updated first."""
        with self._lock, self._translate():
            return _summaries(self._conn, "ORDER BY c.updated DESC, c.id DESC")

    def get(self, chat_id: int) -> ChatSummary | None:
        """The chat with this id, or None."""
        with self._lock, self._translate():
            return next(iter(_summaries(self._conn, "WHERE c.id = ?", (chat_id,))), None)

    def by_name(self, name: str) -> ChatSummary | None:
        """The chat with this name, or None."""
        with self._lock, self._translate():
            return next(iter(_summaries(self._conn, "WHERE c.name = ?", (one_line(name),))), None)

    def find_or_create(self, name: str) -> ChatSummary:
        """The chat named `name`, created (untitled) if there is none yet."""
        with self._write() as conn:
            found = _summaries(conn, "WHERE c.name = ?", (one_line(name),))
            return found[0] if found else self._create(conn, "", name)

    def rename(self, chat_id: int, title: str) -> ChatSummary:
        """Give the chat a new title (one line); an empty title is refused."""
        title = one_line(title)
        if not title:
            raise ChatStoreError("a chat's title cannot be empty")
        with self._write() as conn:
            self._touch(conn, chat_id, self._clock())
            conn.execute("UPDATE chats SET title = ? WHERE id = ?", (title, chat_id))
            return _summaries(conn, "WHERE c.id = ?", (chat_id,))[0]

    def delete(self, chat_id: int) -> bool:
        """Delete the chat and its messages; False when there was no such chat."""
        with self._write() as conn:
            return conn.execute("DELETE FROM chats WHERE id = ?", (chat_id,)).rowcount > 0

    # -- messages ---------------------------------------------------------------------------
    def add_message(
        self,
        chat_id: int,
        role: str,
        content: str,
        answer: dict[str, Any] | None = None,
        error: str = "",
    ) -> StoredMessage:
        """Append a message. The first question of an untitled chat becomes its title."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        stored = None if answer is None else json.dumps(answer, ensure_ascii=False)
        now = self._clock()
        with self._write() as conn:
            chat = self._touch(conn, chat_id, now)
            if role == "user" and not chat["title"] and one_line(content):
                conn.execute(
                    "UPDATE chats SET title = ? WHERE id = ?", (title_of(content), chat_id)
                )
            (position,) = conn.execute(
                "SELECT COALESCE(MAX(position) + 1, 0) FROM messages WHERE chat_id = ?",
                (chat_id,),
            ).fetchone()
            cursor = conn.execute(
                "INSERT INTO messages (chat_id, position, role, content, answer, error, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (chat_id, position, role, content, stored, error or None, now),
            )
        return StoredMessage(
            id=int(cursor.lastrowid or 0),
            chat_id=chat_id,
            position=position,
            role=role,
            content=content,
            answer=answer,
            error=error,
            created=now,
        )

    def messages(self, chat_id: int) -> list[StoredMessage]:
        """The chat's messages in order (none for an unknown chat)."""
        with self._lock, self._translate():
            rows = self._conn.execute(
                "SELECT * FROM messages WHERE chat_id = ? ORDER BY position", (chat_id,)
            ).fetchall()
        return [self._message(row) for row in rows]

    def history(self, chat_id: int) -> list[dict[str, str]]:
        """The conversation as an `Assistant` reads it: role/content pairs, without the
        messages that failed or are empty."""
        return [
            {"role": m.role, "content": m.content}
            for m in self.messages(chat_id)
            if not m.error and m.content.strip()
        ]

    # -- inside -----------------------------------------------------------------------------
    def _create(self, conn: sqlite3.Connection, title: str, name: str | None) -> ChatSummary:
        if name is None:
            name = self._free_name(conn)
        name = one_line(name)
        if not name:
            raise ChatStoreError("a chat's name cannot be empty")
        now = self._clock()
        try:
            cursor = conn.execute(
                "INSERT INTO chats (name, title, created, updated) VALUES (?, ?, ?, ?)",
                (name, title, now, now),
            )
        except sqlite3.IntegrityError:
            raise ChatStoreError(f"a chat named {name!r} already exists") from None
        return ChatSummary(int(cursor.lastrowid or 0), name, title, now, now)

    @staticmethod
    def _free_name(conn: sqlite3.Connection) -> str:
        (number,) = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM chats").fetchone()
        while conn.execute("SELECT 1 FROM chats WHERE name = ?", (f"chat-{number}",)).fetchone():
            number += 1
        return f"chat-{number}"

    @staticmethod
    def _touch(conn: sqlite3.Connection, chat_id: int, now: float) -> sqlite3.Row:
        """Mark the chat updated at `now`; refuse an unknown chat."""
        row = conn.execute("SELECT * FROM chats WHERE id = ?", (chat_id,)).fetchone()
        if row is None:
            raise ChatStoreError(f"there is no chat {chat_id} (it may have been deleted)")
        conn.execute("UPDATE chats SET updated = ? WHERE id = ?", (now, chat_id))
        return row

    def _message(self, row: sqlite3.Row) -> StoredMessage:
        try:
            answer = None if row["answer"] is None else json.loads(row["answer"])
        except ValueError:
            raise ChatStoreError(
                f"message {row['id']} in {self.path} holds an unreadable answer"
            ) from None
        return StoredMessage(
            id=row["id"],
            chat_id=row["chat_id"],
            position=row["position"],
            role=row["role"],
            content=row["content"],
            answer=answer,
            error=row["error"] or "",
            created=row["created"],
        )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction: it holds the file's write lock from its start, so two
        writers wait for each other (up to the timeout) instead of failing half-way."""
        with self._lock, self._translate():
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def _translate(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise unusable(self.path, exc) from exc


def _summaries(
    conn: sqlite3.Connection, clause: str, parameters: tuple[Any, ...] = ()
) -> list[ChatSummary]:
    rows = conn.execute(f"{_SUMMARY} {clause}", parameters).fetchall()
    return [ChatSummary(**dict(row)) for row in rows]
