"""Save an uploaded article into the documents folder: a safe name, never a silent overwrite.

The browser sends a file name and bytes. The name is reduced to one plain file name (no folders,
no hidden files, a supported suffix), the size is checked against the ingest limit, and the bytes
are written to a hidden temporary file first and then moved into place, so an ingest running at
the same moment never reads half a file. An existing file is replaced only when the caller says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ingest.load import SUFFIXES

MAX_NAME_BYTES = 120
_UNSAFE = re.compile(r"[^\w.-]+")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)


class UploadStatus(Enum):
    """What happened to one uploaded file."""

    SAVED = "saved"
    UNCHANGED = "unchanged"  # the same bytes are already there under that name
    EXISTS = "exists"  # another file has that name: ask before replacing it
    TOO_LARGE = "too_large"
    REJECTED = "rejected"


@dataclass(frozen=True)
class UploadResult:
    """The outcome for one file: `name` is the safe name it has (or would have) in the folder."""

    status: UploadStatus
    name: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status in (UploadStatus.SAVED, UploadStatus.UNCHANGED)


class UnsafeNameError(ValueError):
    """No usable file name could be made from what was uploaded."""


def safe_name(filename: str) -> str:
    """One plain file name inside the documents folder, made from an uploaded file's name.

    Folders (`../`, `C:\\`), hidden-file dots, control and punctuation characters are removed;
    the suffix must be one ingest reads. Raises UnsafeNameError when nothing usable is left.
    """
    base = unicodedata.normalize("NFKC", filename).replace("\\", "/").split("/")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = f".{suffix.lower()}"
    if suffix not in SUFFIXES:
        allowed = ", ".join(s for s in SUFFIXES)
        raise UnsafeNameError(f"{base or filename!r}: only {allowed} files can be added")
    stem = _UNSAFE.sub("-", stem.replace(" ", "-"))
    stem = re.sub(r"-{2,}", "-", stem).strip(".-_ ")
    if not stem:
        stem = "article"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"{stem}-article"
    while len(stem.encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(".-_") + suffix


def free_name(root: Path, name: str) -> str:
    """`name`, or `name-2`, `name-3`, … : the first that does not exist in `root` yet."""
    stem, suffix = os.path.splitext(name)
    candidate, n = name, 1
    while (root / candidate).exists() or (root / candidate).is_symlink():
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    return candidate


def save_upload(
    root: Path, filename: str, data: bytes, max_bytes: int, *, overwrite: bool = False
) -> UploadResult:
    """Write an uploaded file into `root` under a safe name.

    Without `overwrite` an existing file is never touched: identical bytes give UNCHANGED, other
    bytes give EXISTS (ask the user, then call again with `overwrite=True` or with `free_name`).
    """
    try:
        name = safe_name(filename)
    except UnsafeNameError as exc:
        return UploadResult(UploadStatus.REJECTED, "", str(exc))
    if len(data) > max_bytes:
        return UploadResult(
            UploadStatus.TOO_LARGE,
            name,
            f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit "
            "(ASSISTANT_MAX_FILE_MB); split it or raise the limit",
        )
    if not data.strip():
        return UploadResult(UploadStatus.REJECTED, name, f"{name}: the file is empty")
    root.mkdir(parents=True, exist_ok=True)
    target = root / name
    if target.is_dir():
        return UploadResult(
            UploadStatus.REJECTED, name, f"{name}: a folder has that name; rename the file"
        )
    exists = target.exists() or target.is_symlink()
    if exists and not overwrite:
        return _existing(target, name, data)
    try:
        _write(root, target, data, overwrite)
    except FileExistsError:
        return _existing(target, name, data)
    except OSError as exc:
        return UploadResult(
            UploadStatus.REJECTED, name, f"{name}: could not be saved ({exc.strerror})"
        )
    verb = "replaced" if exists else "saved"
    return UploadResult(UploadStatus.SAVED, name, f"{name}: {verb}")


def settle_conflict(
    root: Path, name: str, data: bytes, max_bytes: int, choice: str
) -> UploadResult | None:
    """The user's answer to "already in the folder": 'replace' overwrites the file, 'copy' saves
    the upload under a free name beside it, anything else saves nothing (None)."""
    if choice not in ("replace", "copy"):
        return None
    target = name if choice == "replace" else free_name(root, name)
    return save_upload(root, target, data, max_bytes, overwrite=choice == "replace")


def _existing(target: Path, name: str, data: bytes) -> UploadResult:
    same = target.is_file() and not target.is_symlink() and target.read_bytes() == data
    if same:
        return UploadResult(
            UploadStatus.UNCHANGED, name, f"{name}: already in the folder, unchanged"
        )
    return UploadResult(
        UploadStatus.EXISTS, name, f"{name}: a different file with this name exists"
    )


def _write(root: Path, target: Path, data: bytes, overwrite: bool) -> None:
    """Write to a hidden temporary file in `root`, then move it into place atomically.

    Without `overwrite` the move is a hard link, which fails if the name appeared meanwhile.
    """
    handle, temp = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        if overwrite:
            os.replace(temp, target)  # replaces a symlink itself, never the file it points to
            return
        try:
            os.link(temp, target)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create instead
            with open(target, "xb") as out:
                out.write(data)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
