"""Find and read articles: .txt, .md and .html, decoded safely, each problem one clear line.

`read_document` returns the text that every span points into. For .txt and .md that is the
file's own text (UTF-8, or the legacy encoding it is really in); for .html it is the article text
extracted from the markup, since offsets into tags would highlight nothing a reader can see.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

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


def discover(root: Path, paths: list[Path] | None = None) -> tuple[list[SourceFile], list[str]]:
    """The supported files under `root` (or under the given paths inside it), and problems found.

    Symlinks are followed only when they point inside `root`; anything else is reported.
    """
    root = root.resolve()
    problems: list[str] = []
    found: dict[str, SourceFile] = {}
    targets = paths or [root]
    for target in targets:
        absolute = (target if target.is_absolute() else Path.cwd() / target).absolute()
        if not _inside(absolute.resolve(), root) and not _inside(absolute, root):
            problems.append(f"{target}: outside the documents folder {root}, skipped")
            continue
        if absolute.is_dir():
            candidates = sorted(p for p in absolute.rglob("*") if not p.is_dir())
        elif absolute.exists() or absolute.is_symlink():
            candidates = [absolute]
        else:
            problems.append(f"{target}: no such file or folder")
            continue
        for path in candidates:
            if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_symlink() and not _inside(path.resolve(), root):
                problems.append(f"{_relative(path, root)}: a link to outside the documents folder, skipped")
                continue
            source = _relative(path, root)
            found[source] = SourceFile(source=source, path=path)
    return [found[key] for key in sorted(found)], problems


def read_document(file: SourceFile, max_bytes: int) -> LoadedDocument:
    """Read, check and decode one file. Raises DocumentError with a one-line reason."""
    try:
        size = file.path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                f"{file.source}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
                f"(ASSISTANT_MAX_FILE_MB), skipped"
            )
        data = file.path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"{file.source}: deleted while ingesting, skipped") from None
    except PermissionError:
        raise DocumentError(f"{file.source}: no permission to read it, skipped") from None
    except IsADirectoryError:
        raise DocumentError(f"{file.source}: is a folder, skipped") from None
    except OSError as exc:
        raise DocumentError(f"{file.source}: cannot be read ({exc.strerror}), skipped") from None
    if not data.strip():
        raise DocumentError(f"{file.source}: empty file, skipped")
    if _looks_binary(data):
        raise DocumentError(f"{file.source}: not a text file (binary content), skipped")
    text, encoding = decode(data)
    kind = "html" if file.path.suffix.lower() in (".html", ".htm") else "text"
    if kind == "html":
        text = html_to_text(text)
        if not text.strip():
            raise DocumentError(f"{file.source}: no article text found in the HTML, skipped")
    return LoadedDocument(
        source=file.source,
        text=text,
        content_hash=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        kind=kind,
    )


def file_hash(path: Path) -> str:
    """sha256 of a file's bytes, the key that decides whether a document changed."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def decode(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 when it is UTF-8, else as the detected legacy encoding (Latin-1 family)."""
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in ("latin_1", "iso8859_1", "ascii"):
        encoding = "cp1252"  # a superset for the printable range: curly quotes decode too
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1"), "latin-1"


def html_to_text(markup: str) -> str:
    """The main text of an HTML page, without navigation, ads and comments."""
    import trafilatura

    extracted = trafilatura.extract(
        markup, include_comments=False, include_tables=False, favor_recall=True
    )
    if extracted:
        title = trafilatura.extract_metadata(markup)
        heading = title.title if title is not None and title.title else ""
        if heading and not extracted.startswith(heading):
            return f"{heading}\n\n{extracted}\n"
        return extracted + "\n"
    return ""


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.absolute().relative_to(root).as_posix()


def is_supported(name: str) -> bool:
    """Whether a file name has a suffix ingest reads."""
    return os.path.splitext(name)[1].lower() in SUFFIXES
