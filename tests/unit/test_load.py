"""Bad input: every problem file is reported in one clear line and the rest is ingested."""

from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path
from typing import Any

import pytest

from ingest import IngestReport, ingest, load, read
from ingest.content import decode
from ingest.errors import DocumentError
from ingest.load import SourceFile, discover
from ingest.plan import scope_of
from ingest.read import read_document

pytestmark = pytest.mark.unit

DANISH = (
    "Året rundt høster bønderne på Ærø blåbær, jordbær og hindbær.\n\n"
    "Præsidenten for øens forening siger, at sæsonen var god. Smørrebrød blev serveret.\n"
)
ENGLISH = "Harbour news\n\nThe harbour council met on Monday. It approved a new ferry timetable.\n"
BAD_UTF8 = b"The bakery opened in 1990. Caf\xe9 is here. \xc3\xa6\xc3\xb8\xc3\xa5 more UTF-8 text."
MENU = (
    '<html><head><script>var x=1;</script></head><body><nav><a href="/">Home</a> '
    '<a href="/about">About</a></nav><script>alert(1)</script></body></html>'
)


def _read(path: Path, root: Path, max_bytes: int = 10_000_000) -> Any:
    return read_document(SourceFile(path.relative_to(root).as_posix(), path), max_bytes)


def _deny_reading(monkeypatch: pytest.MonkeyPatch, victim: Path) -> None:
    """chmod 000, and when running as root (who reads anyway) fail the open as the OS would."""
    victim.chmod(0)
    if os.geteuid() != 0:
        return
    real_open = builtins.open

    def guarded(file: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(str(file)).absolute() == victim.absolute():
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(read, "open", guarded, raising=False)


def test_latin1_text_is_decoded_without_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "gammel.txt"
    path.write_bytes(DANISH.encode("latin-1"))
    loaded = _read(path, tmp_path)
    assert loaded.text == DANISH
    assert loaded.encoding == "cp1252"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Café crème, déjà vu; naïve façade. Niño, señor, año.", "cp1252"),
        ("Price: 5 £ — “quoted” – and € signs.", "cp1252"),
        ("Straße „Fuß“: Größe und Öl.", "cp1252"),  # 'ß“' in cp1252 is a valid UTF-8 sequence
        ("Москва — столица России, крупнейший город страны.", "cp1251"),
        ("Zażółć gęślą jaźń. Polski tekst o historii Krakowa i Wrocławia.", "cp1250"),
        ("Hello wörld in UTF-16 with a byte-order mark.", "utf-16"),
        ("UTF-8 with a BOM: æøå.", "utf-8-sig"),
    ],
)
def test_legacy_and_unicode_encodings_round_trip(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)).text == text


def test_binary_content_in_a_txt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    with pytest.raises(DocumentError, match=r"^photo\.txt: not a text file"):
        _read(path, tmp_path)


@pytest.mark.parametrize("content", [b"", b"  \n\t\n  "])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=r"^empty\.md: empty file"):
        _read(path, tmp_path)


def test_oversize_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as out:
        out.truncate(50_000_000)  # 50 MB, sparse
    with pytest.raises(DocumentError, match=r"^huge\.txt: 50\.0 MB is over the 10 MB limit"):
        _read(path, tmp_path)


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ENGLISH)
    _deny_reading(monkeypatch, path)
    with pytest.raises(DocumentError, match=r"^secret\.txt: no permission to read it"):
        _read(path, tmp_path)


def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    files, _ = discover(tmp_path)
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document(files[0], 1000)
    assert read.file_hash(tmp_path / "pipe.txt") == ""


def test_links_outside_and_broken_links_are_reported_inside_aliases_passed_over(
    tmp_path: Path,
) -> None:
    root, outside = tmp_path / "docs", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret text from outside.\n")
    (root / "real.txt").write_text(ENGLISH)
    (root / "out.txt").symlink_to(outside / "secret.txt")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    (root / "alias.txt").symlink_to(root / "real.txt")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / ".trash").mkdir()
    (root / ".trash" / "old.txt").write_text(ENGLISH)

    files, problems = discover(root)

    assert [f.source for f in files] == ["real.txt"]
    assert sorted(problems) == [
        "broken.txt: a broken link (its target does not exist), skipped",
        "out.txt: a link to outside the documents folder, skipped",
        "outdir: a link to a folder outside the documents folder, skipped",
    ]


def test_names_with_spaces_and_non_ascii_keep_exact_spans(
    fake_settings: Any, fake_embedder: Any
) -> None:
    root = fake_settings.root
    for name in ("my notes.txt", "økonomi – år 2021.md", "日本語 ノート.txt"):
        (root / name).write_text(ENGLISH.replace("ferry", name), encoding="utf-8")
    report = ingest(fake_settings, embedder=fake_embedder)
    assert report.ok
    assert {"my notes.txt", "økonomi – år 2021.md", "日本語 ノート.txt"} <= set(report.added)
    from vectorstore.store import Store

    store = Store.open(fake_settings.store, fake_settings.store.chunking, create=False)
    chunks = [c for c in store.all_chunks() if c.source == "økonomi – år 2021.md"]
    text = (root / "økonomi – år 2021.md").read_text(encoding="utf-8")
    assert chunks and all(text[c.start : c.end] == c.text for c in chunks)


def test_file_name_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(ENGLISH)
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff name.txt"), "wb") as out:
        out.write(ENGLISH.encode())
    files, problems = discover(tmp_path)
    assert [f.source for f in files] == ["good.txt"]
    assert problems == [
        "bad? name.txt: the file name is not valid UTF-8, skipped (rename the file)"
    ]


def test_every_bad_input_is_one_line_and_the_rest_is_ingested(
    fake_settings: Any, fake_embedder: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = fake_settings.root
    good = sorted(p.name for p in root.iterdir())
    (root / "photo.txt").write_bytes(b"\x00\x01\x02PNG" * 500)
    (root / "empty.txt").write_bytes(b"")
    (root / "latin1 ø.txt").write_bytes(DANISH.encode("latin-1"))
    with open(root / "huge.txt", "wb") as out:
        out.truncate(50_000_000)
    (root / "secret.txt").write_text(ENGLISH)
    _deny_reading(monkeypatch, root / "secret.txt")
    (tmp_path / "elsewhere.txt").write_text(ENGLISH)
    (root / "link.txt").symlink_to(tmp_path / "elsewhere.txt")
    (root / "vanishing.txt").write_text(ENGLISH)
    (root / "loop.txt").symlink_to("loop.txt")
    (root / "menu.html").write_text(MENU)
    (root / "bad.txt").write_bytes(BAD_UTF8)
    (root / "new\nline.txt").write_text(ENGLISH.replace("ferry", "bus"))
    real_discover = load.discover

    def discover_then_delete(*args: Any) -> Any:
        found = real_discover(*args)
        (root / "vanishing.txt").unlink()  # deleted after the folder was listed
        return found

    monkeypatch.setattr("ingest.sync.discover", discover_then_delete)

    report = ingest(fake_settings, embedder=fake_embedder)

    assert not report.ok
    assert sorted(report.added) == sorted([*good, "latin1 ø.txt", "bad.txt", "new\nline.txt"])
    assert sorted(report.errors) == [
        "empty.txt: empty file, skipped",
        "huge.txt: 50.0 MB is over the 10 MB limit (ASSISTANT_MAX_FILE_MB), skipped",
        "link.txt: a link to outside the documents folder, skipped",
        "loop.txt: a symlink loop, skipped",
        "menu.html: no article text found in the HTML, skipped",
        "photo.txt: not a text file (binary content), skipped",
        "secret.txt: no permission to read it, skipped",
        "vanishing.txt: deleted while ingesting, skipped",
    ]
    assert report.warnings == ("bad.txt: 1 byte is not valid UTF-8, replaced with \ufffd",)
    lines = report.lines()  # one per entry, the newline in a name escaped
    assert len(lines) == len(report.errors) + len(report.warnings) + len(report.added) + 1
    assert "added: new\\nline.txt" in lines
    from vectorstore.store import Store

    store = Store.open(fake_settings.store, fake_settings.store.chunking, create=False)
    danish = [c for c in store.all_chunks() if c.source == "latin1 ø.txt"]
    assert danish and "blåbær" in " ".join(c.text for c in danish)
    assert store.documents()["latin1 ø.txt"].encoding == "cp1252"


def test_symlink_loops_are_one_line_each_and_the_rest_is_listed(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(ENGLISH)
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "c.txt").symlink_to("c.txt")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "self").symlink_to("../loop", target_is_directory=True)
    files, problems = discover(tmp_path)
    assert [f.source for f in files] == ["ok.txt"]
    assert problems == [f"{name}: a symlink loop, skipped" for name in ("a.txt", "b.txt", "c.txt")]
    assert discover(tmp_path, [tmp_path / "a.txt"]) == ([], ["a.txt: a symlink loop, skipped"])


@pytest.mark.parametrize(
    ("code", "line"),
    [(errno.EACCES, "no permission to read it"), (errno.ENOENT, "deleted while ingesting")],
)
def test_folder_that_cannot_be_listed_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, line: str
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "z.txt").write_text(ENGLISH)
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:  # chmod 000 does not stop root, nor vanish a folder
        if Path(path) != tmp_path / "locked":
            return real_scandir(path)
        raise OSError(code, os.strerror(code), os.fspath(path))

    monkeypatch.setattr(os, "scandir", scandir)
    files, problems = discover(tmp_path)
    assert ([f.source for f in files], problems) == (["z.txt"], [f"locked: {line}, skipped"])


OUTSIDE = "docs/../outside.txt docs/sub/../../outside.txt ./docs/../outside.txt docs/.. outside.txt"


@pytest.mark.parametrize(
    ("spelling", "scope"),
    [*((p, None) for p in OUTSIDE.split()), ("docs/sub/../ok.txt", "ok.txt"), ("docs/sub/..", ".")],
)
def test_path_given_with_dotdot_is_judged_by_where_it_leads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spelling: str, scope: str | None
) -> None:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "ok.txt").write_text(ENGLISH)
    (tmp_path / "outside.txt").write_text(ENGLISH)
    monkeypatch.chdir(tmp_path)
    files, problems = discover(root, [Path(spelling)])
    outside = f"{Path(spelling)}: outside the documents folder {root}, skipped"
    expected = ([], [outside]) if scope is None else (["ok.txt"], [])
    assert ([f.source for f in files], problems) == expected
    assert scope_of(root, [Path(spelling)]) == ([] if scope is None else [scope])


def test_utf8_with_a_bad_byte_stays_utf8_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(BAD_UTF8)
    loaded = _read(tmp_path / "bad.txt", tmp_path)
    assert (loaded.encoding, loaded.text[27:49]) == ("utf-8", "Caf\ufffd is here. æøå more")


def test_report_lines_escape_control_characters_and_warnings_are_not_failures() -> None:
    note = "bad\r.txt: 1 byte is not valid UTF-8, replaced with \ufffd"
    added = ("new\nline.txt", "red\x1b[31m\u2028.md")
    report = IngestReport(added, (), (), (), (), 0, 0, 2, 0.0, warnings=(note,))
    assert report.ok and report.to_dict()["warnings"] == [note]
    assert report.lines()[:3] == [
        "warning: bad\\r.txt: 1 byte is not valid UTF-8, replaced with \ufffd",
        "added: new\\nline.txt",
        "added: red\\x1b[31m\\u2028.md",
    ]
