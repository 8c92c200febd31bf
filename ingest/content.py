"""From a file's bytes to the text a reader sees: decoding, and the article text of an HTML page."""

from __future__ import annotations

from typing import NamedTuple

from ingest.extracted import Extracted

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_NOT_ARTICLE = " or ".join(
    [f"self::{tag}" for tag in ("head", "script", "style", "noscript", "template")]
    + [f"self::{tag}" for tag in ("a", "nav", "menu")]
    + [f"@role='{role}'" for role in ("navigation", "menu", "menubar")]
)
"""Elements whose text is no article text: the head, code, links, navigation and menus."""
_ARTICLE_TEXT = f"//text()[normalize-space() and not(ancestor::*[{_NOT_ARTICLE}])]"


class Decoded(NamedTuple):
    """A file's text, the encoding it was read in, and how many of its bytes were not valid in
    that encoding (each shown as U+FFFD)."""

    text: str
    encoding: str
    replaced: int = 0


def decode(data: bytes) -> Decoded:
    """Decode as the Unicode encoding its byte-order mark names, as UTF-8 when it is UTF-8 (or
    mostly is: see `_mostly_utf8`), as Windows-1252 (the Latin-1 superset) when that reads as
    clean text, else as the encoding charset-normalizer detects."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(name), name.removesuffix("-sig"))
            except UnicodeDecodeError:
                break
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    damaged = _mostly_utf8(data)
    return damaged if damaged is not None else _legacy(data)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with some invalid bytes, each replaced with U+FFFD; None unless most of the
    non-ASCII characters in `data` are valid UTF-8 sequences.

    Text in a legacy 8-bit encoding almost never forms a valid multi-byte UTF-8 sequence (a
    letter would have to be followed by exactly the right symbols), so each valid sequence is
    strong evidence of UTF-8, while a stray invalid byte is what a damaged copy or a pasted
    fragment leaves behind. The side with more characters wins."""
    escaped = data.decode("utf-8", "surrogateescape")  # one U+DCxx per invalid byte
    invalid = len(data) - len(escaped.encode("utf-8", "ignore"))
    non_ascii = len(escaped) - len(escaped.encode("ascii", "ignore"))
    if non_ascii - invalid <= invalid:
        return None
    codec = "utf-8-sig" if data.startswith(_BOMS[0][0]) else "utf-8"
    return Decoded(data.decode(codec, "replace"), "utf-8", invalid)


def _legacy(data: bytes) -> Decoded:
    """Text in an 8-bit or East Asian legacy encoding."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    # Detection alone often picks a Central European or East Asian code page for short Latin-1
    # text (æ ø å read as ć ř ĺ); Latin-1 text decoded as cp1252 has no mess at all.
    if western is not None and mess_ratio(western, 0.2) < 0.05:
        return Decoded(western, "cp1252")
    matches = list(from_bytes(data))
    best = matches[0] if matches else None
    if best is not None and best.encoding.startswith("mac_"):
        # Text files come from Windows far more often than from classic Mac OS.
        windows = [m for m in matches if m.encoding.startswith("cp125")]
        if windows and windows[0].chaos <= best.chaos + 0.01:
            best = windows[0]
    if best is not None:
        try:
            return Decoded(data.decode(best.encoding), best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    if western is not None:
        return Decoded(western, "cp1252")
    return Decoded(data.decode("latin-1"), "latin-1")


def html_to_text(markup: str) -> str:
    """The main text of an HTML page (see `html_article`)."""
    return html_article(markup).text


def html_article(markup: str) -> Extracted:
    """The main text of an HTML page, without navigation, ads and comments (text '' when the
    page shows no text but links, menus and scripts), and what its metadata says of it."""
    import trafilatura

    extracted = trafilatura.extract(
        markup, include_comments=False, include_tables=False, favor_recall=True
    )
    if not extracted or not shows_article_text(markup):
        return Extracted(text="")
    meta = _metadata(markup)
    heading = meta.get("title", "")
    if heading and not extracted.startswith(heading):
        return Extracted(text=f"{heading}\n\n{extracted}\n", meta=meta)
    return Extracted(text=extracted + "\n", meta=meta)


def _metadata(markup: str) -> dict[str, str]:
    """Title, date, outlet, byline and address from the page's metadata, where it has them
    (none when reading the metadata fails on malformed markup: the date finder asserts on a
    page whose root is <svg>)."""
    import trafilatura

    try:
        found = trafilatura.extract_metadata(markup)
    except AssertionError:
        return {}
    if found is None:
        return {}
    pairs = {
        "title": found.title,
        "date": found.date,
        "outlet": found.sitename,
        "byline": found.author,
        "url": found.url,
    }
    return {key: str(value).strip() for key, value in pairs.items() if value}


def shows_article_text(markup: str) -> bool:
    """Whether the page's body shows any text outside links, navigation, menus and scripts. A
    page of nothing else (a site menu, a redirect stub) has no article, even though extraction,
    asked to favour recall, falls back to returning its link texts."""
    from trafilatura.utils import load_html

    tree = load_html(markup)
    return tree is not None and bool(tree.xpath(_ARTICLE_TEXT))


def looks_binary(data: bytes) -> bool:
    """Whether bytes are binary content rather than text (NUL bytes, many control bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return False  # UTF-16/32 with a byte-order mark: NUL bytes are expected
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return control > len(sample) * 0.05
