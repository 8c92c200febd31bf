"""The chat file's schema: its versions, how a file is brought up to date, and how it is opened.

`MIGRATIONS[i]` brings a file from schema version i to i + 1 (version 0 is an empty file); the
version a file has reached is kept in its `meta` table. Opening a file applies the missing steps
in order, in one transaction; a file written by a newer version of the code is refused.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from vectorstore.errors import AssistantError

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE chats (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            updated REAL NOT NULL)""",
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            answer TEXT,
            error TEXT,
            created REAL NOT NULL,
            UNIQUE (chat_id, position))""",
    ),
)


class ChatStoreError(AssistantError):
    """The chat file cannot be used (corrupt, newer, locked), or a chat operation was refused."""


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to the chat file at `path`, brought up to the latest schema.

    It may be shared by threads (the caller guards it with a lock) and other processes may open
    the same file: WAL mode, waiting up to `timeout` seconds for another writer. The connection
    is in autocommit mode; writers open their own transactions.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except (OSError, sqlite3.Error) as exc:
        raise ChatStoreError(f"cannot open the chat file {path}: {exc}") from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise unusable(path, exc) from exc
    except ChatStoreError:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    return conn


def migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the missing migrations in order, in one immediate transaction."""
    latest = len(MIGRATIONS)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn, path)
        if version > latest:
            raise ChatStoreError(
                f"{path} was written by a newer version of the assistant (chat schema "
                f"{version}, this one reads up to {latest}): update it or use another file"
            )
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        if version < latest:
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(latest),),
            )
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """The version a file has reached: 0 for an empty file."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" not in tables:
        if tables:
            raise ChatStoreError(f"{path} is a database, but not a chat store")
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    try:
        return int(row[0])
    except (TypeError, ValueError):
        raise ChatStoreError(f"{path} has no readable chat schema version") from None


def unusable(path: Path, exc: sqlite3.Error) -> ChatStoreError:
    """The one-line error for a failure of SQLite on the chat file."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return ChatStoreError(f"the chat file {path} cannot be used: {detail}")
