"""Uploads get a safe name in the documents folder, never overwrite silently, respect the limit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.load import discover
from ingest.upload import (
    UnsafeNameError,
    UploadStatus,
    free_name,
    safe_name,
    save_upload,
    settle_conflict,
)

LIMIT = 1000


@pytest.mark.parametrize(
    ("uploaded", "expected"),
    [
        ("article.md", "article.md"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\evil.html", "evil.html"),
        ("/abs/path/notes.TXT", "notes.txt"),
        (".hidden.md", "hidden.md"),
        ("my report (final).md", "my-report-final.md"),
        ("a\x00b\nc.txt", "a-b-c.txt"),
        ("Ærø kommune.txt", "Ærø-kommune.txt"),
        ("CON.txt", "CON-article.txt"),
        ("....md", "article.md"),
        ("ｆｕｌｌｗｉｄｔｈ．ｍｄ", "fullwidth.md"),
    ],
)
def test_safe_name_keeps_one_plain_file_name(uploaded: str, expected: str) -> None:
    assert safe_name(uploaded) == expected


@pytest.mark.parametrize(
    "uploaded", ["virus.exe", "article.html.exe", "noext", "image.png", "a.txt/"]
)
def test_safe_name_rejects_unsupported_files(uploaded: str) -> None:
    with pytest.raises(UnsafeNameError):
        safe_name(uploaded)


def test_safe_name_limits_length_in_bytes() -> None:
    name = safe_name("ø" * 400 + ".md")
    assert name.endswith(".md") and len(name.encode("utf-8")) <= 130


def test_upload_is_saved_inside_the_folder_and_ingest_finds_it(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    result = save_upload(root, "../outside.md", b"# Title\n\nText.", LIMIT)
    assert result.status is UploadStatus.SAVED and result.ok
    assert (root / "outside.md").read_bytes() == b"# Title\n\nText."
    assert not (tmp_path / "outside.md").exists()
    files, problems = discover(root)
    assert [f.source for f in files] == ["outside.md"] and not problems
    assert [p.name for p in root.iterdir()] == ["outside.md"]  # no temporary file left behind


def test_existing_file_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    save_upload(tmp_path, "a.txt", b"first", LIMIT)
    again = save_upload(tmp_path, "a.txt", b"second", LIMIT)
    assert again.status is UploadStatus.EXISTS and not again.ok
    assert (tmp_path / "a.txt").read_bytes() == b"first"
    replaced = save_upload(tmp_path, "a.txt", b"second", LIMIT, overwrite=True)
    assert replaced.status is UploadStatus.SAVED and "replaced" in replaced.message
    assert (tmp_path / "a.txt").read_bytes() == b"second"


def test_same_bytes_again_is_unchanged(tmp_path: Path) -> None:
    save_upload(tmp_path, "a.txt", b"same", LIMIT)
    assert save_upload(tmp_path, "a.txt", b"same", LIMIT).status is UploadStatus.UNCHANGED


def test_free_name_offers_a_copy_name(tmp_path: Path) -> None:
    save_upload(tmp_path, "a.txt", b"one", LIMIT)
    save_upload(tmp_path, "a-2.txt", b"two", LIMIT)
    assert free_name(tmp_path, "a.txt") == "a-3.txt"
    assert free_name(tmp_path, "b.txt") == "b.txt"


def test_too_large_upload_is_refused_with_the_limit_named(tmp_path: Path) -> None:
    result = save_upload(tmp_path, "big.txt", b"x" * (LIMIT + 1), LIMIT)
    assert result.status is UploadStatus.TOO_LARGE
    assert "limit" in result.message and "ASSISTANT_MAX_FILE_MB" in result.message
    assert not (tmp_path / "big.txt").exists()


def test_empty_and_unsupported_uploads_are_rejected(tmp_path: Path) -> None:
    assert save_upload(tmp_path, "empty.txt", b"  \n", LIMIT).status is UploadStatus.REJECTED
    rejected = save_upload(tmp_path, "tool.sh", b"echo", LIMIT)
    assert rejected.status is UploadStatus.REJECTED and ".txt" in rejected.message
    assert list(tmp_path.iterdir()) == []


def test_replacing_a_symlink_never_writes_through_it(tmp_path: Path) -> None:
    root, outside = tmp_path / "docs", tmp_path / "secret.txt"
    root.mkdir()
    outside.write_text("secret")
    os.symlink(outside, root / "link.txt")
    assert save_upload(root, "link.txt", b"new", LIMIT).status is UploadStatus.EXISTS
    assert save_upload(root, "link.txt", b"new", LIMIT, overwrite=True).ok
    assert outside.read_text() == "secret"
    assert not (root / "link.txt").is_symlink() and (root / "link.txt").read_bytes() == b"new"


def test_a_folder_with_the_name_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.md").mkdir()
    result = save_upload(tmp_path, "a.md", b"text", LIMIT, overwrite=True)
    assert result.status is UploadStatus.REJECTED and "folder" in result.message


def test_a_conflict_is_settled_by_replacing_keeping_both_or_cancelling(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old")
    assert settle_conflict(tmp_path, "a.txt", b"new", 1000, "cancel") is None
    assert (tmp_path / "a.txt").read_bytes() == b"old"
    copy = settle_conflict(tmp_path, "a.txt", b"new", 1000, "copy")
    assert copy is not None and copy.status is UploadStatus.SAVED and copy.name != "a.txt"
    assert (tmp_path / copy.name).read_bytes() == b"new"
    replaced = settle_conflict(tmp_path, "a.txt", b"newer", 1000, "replace")
    assert replaced is not None and replaced.message == "a.txt: replaced"
    assert (tmp_path / "a.txt").read_bytes() == b"newer"
