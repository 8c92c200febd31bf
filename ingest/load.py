"""Find and read articles: .txt, .md and .html, decoded safely, each problem one clear line.

`read_document` returns the text that every span points into. For .txt and .md that is the
file's own text (UTF-8, or the legacy encoding it is really in); for .html it is the article text
extracted from the markup, since offsets into tags would highlight nothing a reader can see.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ingest.content import decode, html_to_text, looks_binary
from ingest.errors import DocumentError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class SourceFile:
    """A file under the documents folder, named by its path relative to that folder."""

    source: str
    path: Path


@dataclass(frozen=True)
class LoadedDocument:
    """A decoded document: `text` is what every span's offsets point into."""

    source: str
    text: str
    content_hash: str
    encoding: str
    kind: str
    warnings: tuple[str, ...] = ()
    """Lines about what reading changed, such as invalid bytes replaced."""


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


def read_document(file: SourceFile, max_bytes: int) -> LoadedDocument:
    """Read, check and decode one file. Raises DocumentError with a one-line reason."""
    try:
        info = file.path.stat()  # before opening: opening a named pipe would block
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(f"{file.source}: not a regular file, skipped")
        with open(file.path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise DocumentError(f"{file.source}: deleted while ingesting, skipped") from None
    except PermissionError:
        raise DocumentError(f"{file.source}: no permission to read it, skipped") from None
    except IsADirectoryError:
        raise DocumentError(f"{file.source}: is a folder, skipped") from None
    except OSError as exc:
        raise DocumentError(f"{file.source}: cannot be read ({exc.strerror}), skipped") from None
    if len(data) > max_bytes:
        size = max(info.st_size, len(data))
        raise DocumentError(
            f"{file.source}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            f"(ASSISTANT_MAX_FILE_MB), skipped"
        )
    if not data.strip():
        raise DocumentError(f"{file.source}: empty file, skipped")
    if looks_binary(data):
        raise DocumentError(f"{file.source}: not a text file (binary content), skipped")
    text, encoding, replaced = decode(data)
    kind = "html" if file.path.suffix.lower() in (".html", ".htm") else "text"
    if kind == "html":
        text = html_to_text(text)
        if not text.strip():
            raise DocumentError(f"{file.source}: no article text found in the HTML, skipped")
    elif not text.strip():
        raise DocumentError(f"{file.source}: empty file, skipped")
    return LoadedDocument(
        source=file.source,
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        kind=kind,
        warnings=_replaced_note(file.source, encoding, replaced),
    )


def _replaced_note(source: str, encoding: str, replaced: int) -> tuple[str, ...]:
    """The line that says how many bytes decoding replaced (none when it replaced none)."""
    if not replaced:
        return ()
    count = "1 byte is" if replaced == 1 else f"{replaced} bytes are"
    return (f"{source}: {count} not valid {encoding.upper()}, replaced with \ufffd",)


def file_hash(path: Path) -> str:
    """sha256 of a regular file's bytes, the key that decides whether a document changed
    ('' for anything else, such as a named pipe, which reading would block on)."""
    digest = hashlib.sha256()
    if not stat.S_ISREG(path.stat().st_mode):
        return ""
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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
