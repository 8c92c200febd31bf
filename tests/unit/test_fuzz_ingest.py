"""Property tests on what ingest reads from the documents folder: any bytes in a file, any markup
in an HTML page, any file names. Nothing found there may raise anything but a DocumentError, and
every name reaches the report on one line."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import IngestReport
from ingest.content import decode, html_to_text
from ingest.errors import DocumentError
from ingest.load import SUFFIXES, SourceFile, discover
from ingest.read import LoadedDocument, read_document

pytestmark = pytest.mark.unit

FUZZ = settings(max_examples=400, deadline=None, database=None)

BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "cp1251", "latin-1", "gbk"]
TAGS = [
    *"html head body title p div span a nav menu script style article h1 ul li".split(),
    *"table td br img header footer main noscript template svg math xmp plaintext".split(),
]
ATTRIBUTES = ["", " role='navigation'", ' href="/x"', " class=content", ' style="display:none"']
FRAGMENTS = ["<!--", "-->", "<![CDATA[", "]]>", "&amp;", "&#0;", "&#xD800;", "<!DOCTYPE html>"]
SENTENCES = ["The harbour council met on Monday. ", "It approved a new ferry timetable. ", "Home"]

encoded_text = st.builds(
    lambda text, encoding: text.encode(encoding, "replace"),
    st.text(max_size=300),
    st.sampled_from(ENCODINGS),
)
html_ish = st.recursive(
    st.text(max_size=40) | st.sampled_from([*FRAGMENTS, *SENTENCES, "<", ">", "</", "\x00"]),
    lambda inner: (
        st.lists(inner, max_size=5).map("".join)
        | st.builds(
            lambda tag, attributes, body, close: (
                f"<{tag}{attributes}>{body}" + (f"</{tag}>" if close else "")
            ),
            st.sampled_from(TAGS),
            st.sampled_from(ATTRIBUTES),
            inner,
            st.booleans(),
        )
    ),
    max_leaves=30,
)
payloads = st.one_of(
    st.binary(max_size=1200),
    encoded_text,
    html_ish.map(str.encode),
    st.builds(bytes.__add__, st.sampled_from(BOMS), st.binary(max_size=300)),
)
name_characters = st.one_of(
    st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
    st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF),  # a byte that is not UTF-8
)
file_names = st.builds(
    str.__add__,
    st.text(name_characters, min_size=1, max_size=30) | st.integers(200, 250).map("n".__mul__),
    st.sampled_from([*SUFFIXES, "", ".jpg"]),
).filter(lambda name: name not in (".", "..") and len(os.fsencode(name)) <= 255)
entries = st.lists(
    st.tuples(file_names, st.sampled_from(["file", "folder", "link", "outside link"]), payloads),
    max_size=6,
    unique_by=lambda entry: entry[0],
)


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A fresh documents folder, removed afterwards."""
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "docs"
        root.mkdir()
        yield root


@FUZZ
@given(st.one_of(st.binary(max_size=2000), payloads))
def test_decode_returns_text_for_any_bytes(data: bytes) -> None:
    text, encoding, replaced = decode(data)
    assert isinstance(text, str) and encoding
    if replaced:
        assert text == data.decode(
            encoding + ("-sig" if data.startswith(BOMS[0]) else ""), "replace"
        )
    elif not data.startswith(BOMS[0]) and _is_utf8(data):
        assert (text, encoding) == (data.decode("utf-8"), "utf-8")


@FUZZ
@given(
    st.lists(st.characters(min_codepoint=0x80, blacklist_categories=["Cs"]), min_size=4),
    st.text(st.characters(max_codepoint=0x7F), max_size=50),
    st.lists(st.sampled_from([*range(0x80, 0xC0), *range(0xF5, 0x100)]), min_size=1, max_size=3),
)
def test_utf8_with_fewer_bad_bytes_than_good_characters_is_utf8(
    letters: list[str], ascii_text: str, bad: list[int]
) -> None:
    good = (ascii_text + "".join(letters)).encode("utf-8")
    data = bytes(bad[:1]) + good + bytes(bad[1:])  # a lone continuation byte is never valid
    decoded = decode(data)
    assert (decoded.encoding, decoded.replaced) == ("utf-8", len(bad))
    assert decoded.text == data.decode("utf-8", "replace")


@FUZZ
@given(payloads, st.sampled_from([".txt", ".md", ".html"]))
def test_read_document_loads_or_reports_any_bytes(data: bytes, suffix: str) -> None:
    with folder() as root:
        path = root / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            loaded = read_document(SourceFile(path.name, path), max_bytes=1000)
        except DocumentError as exc:
            assert str(exc).startswith(f"{path.name}: ") and "\n" not in str(exc)
            return
    assert isinstance(loaded, LoadedDocument) and loaded.text.strip()


@FUZZ
@given(st.one_of(st.text(max_size=500), html_ish))
def test_html_to_text_returns_text_for_any_markup(markup: str) -> None:
    text = html_to_text(markup)
    assert isinstance(text, str)
    assert not text or text.endswith("\n")


@settings(max_examples=150, deadline=None, database=None)
@given(entries)
def test_discover_reports_any_folder_in_one_line_per_entry(
    entries: list[tuple[str, str, bytes]],
) -> None:
    with folder() as root:
        names = [name for name, _, _ in entries]
        for index, (name, kind, data) in enumerate(entries):
            _make(root, name, kind, data, names[(index + 1) % len(names)])
        files, problems = discover(root)
        singles = [discover(root, [root / name]) for name in names]
        for file in files:
            with contextlib.suppress(DocumentError):
                read_document(file, max_bytes=1000)
    sources = [f.source for f in files]
    assert sources == sorted(set(sources))
    assert set(sources) <= {*names, *(f"{name}/inner.txt" for name in names)}
    assert all({file.source for file in found} <= set(sources) for found, _ in singles)
    everything = [*problems, *(line for _, lines in singles for line in lines)]
    report = IngestReport(tuple(sources), (), (), (), tuple(everything), 0, 0, 0, 0.0)
    assert all(len(line.splitlines()) == 1 for line in report.lines())
    assert len(report.lines()) == len(sources) + len(everything) + 1


def test_html_page_whose_root_is_svg_is_read() -> None:
    """Found by fuzzing: reading the title of b"<svg>html" failed an assertion deep in lxml."""
    with folder() as root:
        (root / "page.html").write_bytes(b"<svg>html")
        assert "html" in read_document(SourceFile("page.html", root / "page.html"), 1000).text


def test_link_to_a_folder_given_as_a_path_is_followed_only_inside() -> None:
    """Found by fuzzing: `ingest docs/link` entered a link to a folder, naming the files inside
    after the link (a second copy of each) or, for a folder outside, ingesting what is outside."""
    with folder() as root:
        (root / "real").mkdir()
        (root / "real" / "inner.txt").write_text("The harbour council met on Monday.\n")
        (root / "link").symlink_to("real")
        (root.parent / "elsewhere").mkdir()
        (root.parent / "elsewhere" / "secret.txt").write_text("Secret text from outside.\n")
        (root / "out").symlink_to(root.parent / "elsewhere")
        files, problems = discover(root, [root / "link", root / "out"])
    assert [f.source for f in files] == ["real/inner.txt"]
    assert problems == [f"{root / 'out'}: outside the documents folder {root}, skipped"]


def _make(root: Path, name: str, kind: str, data: bytes, other: str) -> None:
    """One entry of a fuzzed folder; a link leads to the next entry (itself when alone)."""
    path = root / name
    if kind == "file":
        path.write_bytes(data)
    elif kind == "folder":
        path.mkdir()
        (path / "inner.txt").write_bytes(data)
    elif kind == "link":
        path.symlink_to(other)
    else:
        path.symlink_to(root.parent / other)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
