"""Snapshots of the embedded Chroma folder, so that no process ever reads a folder being written.

Chroma's embedded client is not safe across processes (measured with chromadb 1.5.9):
- a process that opens a folder while another process writes it can crash with a segfault;
- a process that stays open never sees vectors another process added (its HNSW index is cached);
- a writer killed with SIGKILL can leave the folder unreadable for good ("Failed to apply logs
  to the hnsw segment writer").

So the embedded store is a folder of snapshots, and only ingest (holding the ingest lock) writes:

    <store>/CURRENT             names the published snapshot (and the one before it)
    <store>/snapshots/<name>/   a complete Chroma folder, never written after it is published
    <store>/staging/<name>/     the copy one ingest writes; renamed into snapshots/ when complete
    <store>/staging/<name>.base the snapshot it was copied from, and how often it was resumed

An ingest copies the published snapshot into staging, applies its changes there, closes it, and
publishes it: rename into snapshots/, then an atomic replace of CURRENT. A killed ingest leaves the
published snapshot untouched; the next ingest resumes the staging copy when it still opens cleanly,
else starts from a fresh copy. Readers follow CURRENT (one small file read per refresh) and reopen
on a switch; the previous snapshot is kept so that a reader still on it is not pulled from under it.

A store written before snapshots existed (a Chroma folder at the top of <store>) is read in place
and moved into a snapshot by the first ingest that changes anything.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

CURRENT = "CURRENT"
SQLITE = "chroma.sqlite3"
MAX_RESUMES = 2
"""A staging copy that failed to open this often in a row is started afresh (a crash while
opening a damaged copy must not repeat forever)."""

_SEGMENT = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class Staging:
    """A private copy of the published store that one ingest writes."""

    folder: Path
    base: str
    resumed: bool


def published(root: Path) -> tuple[str, str]:
    """The names of the published snapshot and of the one before it ('' when there is none)."""
    try:
        lines = (root / CURRENT).read_text(encoding="utf-8").split("\n")
    except (FileNotFoundError, NotADirectoryError):
        return "", ""
    return lines[0].strip(), (lines[1].strip() if len(lines) > 1 else "")


def folder_of(root: Path, name: str) -> Path | None:
    """The Chroma folder readers should open: the published snapshot, a pre-snapshot store at the
    top of `root`, or None when nothing was ever ingested."""
    if name:
        return root / "snapshots" / name
    if (root / SQLITE).exists():
        return root
    return None


def stage(root: Path) -> Staging:
    """The staging copy for an ingest: the one a killed ingest left (if still based on the
    published snapshot and not resumed too often), else a fresh copy of the published store."""
    base, _ = published(root)
    area = root / "staging"
    area.mkdir(parents=True, exist_ok=True)
    for marker in sorted(area.glob("*.base")):
        folder = marker.with_suffix("")
        recorded, resumes = _read_marker(marker)
        if recorded == base and resumes < MAX_RESUMES and (folder / SQLITE).exists():
            _write_marker(marker, base, resumes + 1)
            discard_others(root, keep=folder)
            return Staging(folder=folder, base=base, resumed=True)
    discard_others(root, keep=None)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    folder = area / name
    source = folder_of(root, base)
    if source is None:
        folder.mkdir()
    else:
        _copy_store(source, folder)
    _write_marker(area / f"{name}.base", base, 0)
    return Staging(folder=folder, base=base, resumed=False)


def opened(staging: Staging) -> None:
    """Record that a resumed copy opened and validated cleanly (resets its failure count)."""
    _write_marker(staging.folder.with_name(staging.folder.name + ".base"), staging.base, 0)


def discard(staging: Staging) -> None:
    """Throw a staging copy away (it failed to open, or there turned out to be nothing to do)."""
    shutil.rmtree(staging.folder, ignore_errors=True)
    staging.folder.with_name(staging.folder.name + ".base").unlink(missing_ok=True)


def discard_others(root: Path, keep: Path | None) -> None:
    """Remove staging copies other than `keep` (leftovers of killed ingests)."""
    area = root / "staging"
    if not area.is_dir():
        return
    for entry in area.iterdir():
        if keep is not None and entry.name in (keep.name, keep.name + ".base"):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def publish(root: Path, staging: Staging) -> str:
    """Make a complete (closed) staging copy the published snapshot; return its name.

    The copy is flushed to disk, renamed into snapshots/, then CURRENT is replaced atomically, so
    a reader sees either the old snapshot or the new one, whole.
    """
    _fsync_tree(staging.folder)
    name = staging.folder.name
    target = root / "snapshots" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staging.folder, target)
    staging.folder.with_name(name + ".base").unlink(missing_ok=True)
    current, _ = published(root)
    temporary = root / f"{CURRENT}.tmp"
    with open(temporary, "w", encoding="utf-8") as out:
        out.write(f"{name}\n{current}\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, root / CURRENT)
    _fsync_dir(root)
    return name


def prune(root: Path) -> list[str]:
    """Delete snapshots older than the previous one (and a pre-snapshot store no longer used)."""
    current, previous = published(root)
    if not current:
        return []
    removed: list[str] = []
    snapshots = root / "snapshots"
    for entry in sorted(snapshots.iterdir()) if snapshots.is_dir() else []:
        if entry.name not in (current, previous):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    if previous and (root / SQLITE).exists():
        (root / SQLITE).unlink(missing_ok=True)
        for entry in root.iterdir():
            if entry.is_dir() and _SEGMENT.match(entry.name):
                shutil.rmtree(entry, ignore_errors=True)
        removed.append("(pre-snapshot store)")
    return removed


def _copy_store(source: Path, target: Path) -> None:
    """Copy a Chroma folder: SQLite through its backup API (consistent even if a reader touches
    it meanwhile), the segment folders file by file (published segments are never rewritten)."""
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name == SQLITE:
            with sqlite3.connect(f"file:{entry}?mode=ro", uri=True) as src:
                dst = sqlite3.connect(target / SQLITE)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
            src.close()
        elif entry.is_dir() and _SEGMENT.match(entry.name):
            shutil.copytree(entry, target / entry.name)


def _read_marker(marker: Path) -> tuple[str, int]:
    try:
        lines = marker.read_text(encoding="utf-8").split("\n")
        return lines[0].strip(), int(lines[1]) if len(lines) > 1 and lines[1].strip() else 0
    except (OSError, ValueError):
        return "\0unreadable", MAX_RESUMES


def _write_marker(marker: Path, base: str, resumes: int) -> None:
    marker.write_text(f"{base}\n{resumes}\n", encoding="utf-8")


def _fsync_tree(folder: Path) -> None:
    for directory, _, files in os.walk(folder):
        for name in files:
            descriptor = os.open(os.path.join(directory, name), os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        _fsync_dir(Path(directory))


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
