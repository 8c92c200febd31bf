"""Find and read articles: .txt, .md and .html, decoded safely, each problem one clear line.

`read_document` returns the text that every span points into. For .txt and .md that is the
file's own text (UTF-8, or the legacy encoding it is really in); for .html it is the article text
extracted from the markup, since offsets into tags would highlight nothing a reader can see.
"""

from __future__ import annotations

import hashlib
import os
import stat
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

    Hidden files and folders (a name starting with '.') are passed over. A link is followed only
    when it points inside `root`; a link to a file that is ingested under its own name is passed
    over (no duplicate passages); a link to outside, a broken link and a file name that is not
    valid UTF-8 are each reported in one line.
    """
    real_root = root.resolve()
    problems: list[str] = []
    found: dict[str, SourceFile] = {}
    for target in paths or [root]:
        absolute = (target if target.is_absolute() else Path.cwd() / target).absolute()
        if not (_inside(absolute.resolve(), real_root) or _inside(absolute, root.absolute())):
            problems.append(f"{target}: outside the documents folder {root}, skipped")
            continue
        if absolute.is_dir():
            candidates = sorted(absolute.rglob("*"))
        elif absolute.exists() or absolute.is_symlink():
            candidates = [absolute]
        else:
            problems.append(f"{target}: no such file or folder")
            continue
        for path in candidates:
            source = _relative(path, root)
            problem = _problem(path, source, real_root)
            if problem:
                problems.append(problem)
            elif problem is not None and source is not None:
                found[source] = SourceFile(source=source, path=path)
    return [found[key] for key in sorted(found)], problems


def _problem(path: Path, source: str | None, real_root: Path) -> str | None:
    """None: not a document (pass over); '': a document to ingest; else the reason it is not."""
    if source is None or any(part.startswith(".") for part in Path(source).parts):
        return None
    shown = _printable(source)
    if path.is_dir():
        outside = path.is_symlink() and not _inside(path.resolve(), real_root)
        return (
            f"{shown}: a link to a folder outside the documents folder, skipped"
            if outside
            else None
        )
    if path.suffix.lower() not in SUFFIXES:
        return None
    if path.is_symlink():
        real = path.resolve()
        if not _inside(real, real_root):
            return f"{shown}: a link to outside the documents folder, skipped"
        if not real.exists():
            return f"{shown}: a broken link (its target does not exist), skipped"
        if (
            _relative(real, real_root)
            and _problem(real, _relative(real, real_root), real_root) == ""
        ):
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
    if _looks_binary(data):
        raise DocumentError(f"{file.source}: not a text file (binary content), skipped")
    text, encoding = decode(data)
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
    )


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


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def decode(data: bytes) -> tuple[str, str]:
    """Decode as the Unicode encoding its byte-order mark names, as UTF-8 when it is UTF-8, as
    Windows-1252 (the Latin-1 superset) when that reads as clean text, else as the encoding
    charset-normalizer detects."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name.removesuffix("-sig")
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    # Detection alone often picks a Central European or East Asian code page for short Latin-1
    # text (æ ø å read as ć ř ĺ); Latin-1 text decoded as cp1252 has no mess at all.
    if western is not None and mess_ratio(western, 0.2) < 0.05:
        return western, "cp1252"
    matches = list(from_bytes(data))
    best = matches[0] if matches else None
    if best is not None and best.encoding.startswith("mac_"):
        # Text files come from Windows far more often than from classic Mac OS.
        windows = [m for m in matches if m.encoding.startswith("cp125")]
        if windows and windows[0].chaos <= best.chaos + 0.01:
            best = windows[0]
    if best is not None:
        try:
            return data.decode(best.encoding), best.encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return (western, "cp1252") if western is not None else (data.decode("latin-1"), "latin-1")


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False  # UTF-16/32 with a byte-order mark: NUL bytes are expected
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


def _relative(path: Path, root: Path) -> str | None:
    """`path` relative to the documents folder, however either was spelled (None: not inside)."""
    for base in (root.absolute(), root.resolve()):
        try:
            return path.absolute().relative_to(base).as_posix()
        except ValueError:
            continue
    try:
        return (path.absolute().parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


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
