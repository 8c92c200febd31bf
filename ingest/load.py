"""Find the articles in the documents folder, each problem with a file or folder one clear line.

Reading a file found here is `ingest.read`.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


@dataclass(frozen=True)
class SourceFile:
    """A file under the documents folder, named by its path relative to that folder."""

    source: str
    path: Path


def discover(root: Path, paths: list[Path] | None = None) -> tuple[list[SourceFile], list[str]]:
    """The supported files under `root` (or under the given paths inside it), and problems found.

    Hidden files and folders (a name starting with '.') are passed over. A link is followed only
    when it points inside `root`; a link to a file that is ingested under its own name is passed
    over (no duplicate passages); a link to outside, a broken link, a symlink loop, a folder that
    cannot be read and a file name that is not valid UTF-8 are each reported in one line. Nothing
    in the folder makes it raise: the app lists the folder with it on every page.
    """
    real_root = _real(root) or root.absolute()
    problems: list[str] = []
    found: dict[str, SourceFile] = {}
    for target in paths or [root]:
        for path in _candidates(target, root, problems):
            source = source_of(path, root)
            try:
                problem = _problem(path, source, real_root)
            except OSError as exc:
                problem = _unreadable(_printable(source or str(path)), exc)
            if problem:
                problems.append(problem)
            elif problem is not None and source is not None:
                found[source] = SourceFile(source=source, path=path)
    return [found[key] for key in sorted(found)], problems


def _candidates(target: Path, root: Path, problems: list[str]) -> list[Path]:
    """The entries a path given by the user stands for: itself, or every entry under it when it
    is a folder. When there are none for a reason (outside the folder, no such path, cannot be
    read), the reason is added to `problems`."""
    start = locate(target, root)
    if start is None:
        problems.append(f"{target}: outside the documents folder {root}, skipped")
        return []
    try:
        if start.is_dir():
            return _walk(start, root, problems)
        if start.exists() or start.is_symlink():
            return [start]
    except OSError as exc:
        problems.append(_unreadable(str(target), exc))
        return []
    problems.append(f"{target}: no such file or folder")
    return []


def locate(target: Path, root: Path) -> Path | None:
    """Where a path given by the user leads in the documents folder (None: outside it): the entry
    it names, except that a link to a folder, or a link from elsewhere into the folder, leads to
    where it points, so that files are named as when the whole folder is ingested."""
    entry = _entry(target)
    if source_of(entry, root) is not None and not (os.path.islink(entry) and os.path.isdir(entry)):
        return entry
    real = _real(entry)
    return real if real is not None and source_of(real, root) is not None else None


def source_of(path: Path, root: Path) -> str | None:
    """`path` relative to the documents folder, however either was spelled ('.' for the folder
    itself, None for a path outside it)."""
    absolute, base = path.absolute(), root.absolute()
    if ".." not in absolute.parts and _inside(absolute, base):
        return absolute.relative_to(base).as_posix()
    entry = _entry(path)
    for folder in (_entry(root), _real(root)):
        if folder is not None and _inside(entry, folder):
            return entry.relative_to(folder).as_posix()
    return None


def _walk(top: Path, root: Path, problems: list[str]) -> list[Path]:
    """Every entry under the folder `top`, sorted. Links to folders are listed but not entered,
    hidden folders neither; a folder that cannot be read is added to `problems`, the rest listed."""
    entries: list[Path] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else top
        name = source_of(where, root)
        shown = name if name not in (None, ".") else str(where)
        problems.append(_unreadable(_printable(shown), exc))

    for folder, folders, files in os.walk(top, onerror=unreadable):
        folders[:] = [name for name in folders if not name.startswith(".")]
        entries += [Path(folder, name) for name in folders + files]
    return sorted(entries)


def _unreadable(shown: str, exc: OSError) -> str:
    """The line for an entry of the folder that could not be examined."""
    if isinstance(exc, FileNotFoundError):
        return f"{shown}: deleted while ingesting, skipped"
    if isinstance(exc, PermissionError):
        return f"{shown}: no permission to read it, skipped"
    return f"{shown}: cannot be read ({exc.strerror}), skipped"


def _problem(path: Path, source: str | None, real_root: Path) -> str | None:
    """None: not a document (pass over); '': a document to ingest; else the reason it is not."""
    if source is None or any(part.startswith(".") for part in Path(source).parts):
        return None
    shown = _printable(source)
    if path.is_dir():
        outside = path.is_symlink() and not _inside(_real(path) or path, real_root)
        return (
            f"{shown}: a link to a folder outside the documents folder, skipped"
            if outside
            else None
        )
    if not is_supported(path.name):
        return None
    if path.is_symlink():
        real = _real(path)
        if real is None:
            return f"{shown}: a symlink loop, skipped"
        if not _inside(real, real_root):
            return f"{shown}: a link to outside the documents folder, skipped"
        if not real.exists():
            return f"{shown}: a broken link (its target does not exist), skipped"
        own = source_of(real, real_root)
        if own and _problem(real, own, real_root) == "":
            return None  # the target is ingested under its own name
    if shown != source:
        return f"{shown}: the file name is not valid UTF-8, skipped (rename the file)"
    return ""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _entry(path: Path) -> Path:
    """The folder entry `path` names: absolute, with '..' and links resolved in every part but
    the last (which may itself be a link)."""
    absolute = path.absolute()
    if absolute.name in ("", ".."):
        return _real(absolute) or Path(os.path.normpath(absolute))
    parent = _real(absolute.parent) or Path(os.path.normpath(absolute.parent))
    return parent / absolute.name


def _real(path: Path) -> Path | None:
    """`path` absolute with every link followed (None: its links go round in a loop)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None
    return Path(os.path.realpath(path))


def _printable(source: str) -> str:
    """A name as text even when its bytes are not UTF-8 (undecodable bytes become '?')."""
    try:
        source.encode("utf-8")
        return source
    except UnicodeEncodeError:
        raw = source.encode("utf-8", "surrogateescape")
        return raw.decode("utf-8", "replace").replace("\ufffd", "?")


def is_supported(name: str) -> bool:
    """Whether a file name has a suffix ingest reads."""
    return os.path.splitext(name)[1].lower() in SUFFIXES
