"""Add by URL: fetch a web page, extract its article, and save it in the documents folder.

The article is saved as Markdown with front matter (see `ingest.frontmatter`) that keeps the
link it came from, so that adding the same link again updates the file rather than adding a
second copy. Every problem is a FetchError whose message is one line naming the link.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.content import decode, looks_binary, shows_article_text
from ingest.errors import DocumentError
from ingest.frontmatter import KEYS, format_article, split_front_matter

USER_AGENT = "Mozilla/5.0 (compatible; seed-assistant/0.1; +add-by-url)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16
_SLUG_LENGTH = 60
_FOLD = str.maketrans(
    {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "đ": "d", "ł": "l", "ı": "i"}
)
"""Letters that Unicode decomposition does not reduce to ASCII."""


class FetchError(DocumentError):
    """A link could not be added; the message is one line naming the link and the reason."""


@dataclass(frozen=True)
class FetchedArticle:
    """The article of a web page; fields the page does not give are ''."""

    url: str
    """The link it was fetched from, after redirects."""
    title: str
    date: str
    """The publication date as ISO 8601 (YYYY-MM-DD)."""
    outlet: str
    """The site or publication (the page's site name, else its host)."""
    byline: str
    paragraphs: tuple[str, ...]


def add_url(url: str, folder: Path, timeout: float = 20.0, max_bytes: int = 10_000_000) -> Path:
    """Fetch the article at `url` and save it in `folder`; the path of the saved file."""
    return save_article(fetch_article(url, timeout=timeout, max_bytes=max_bytes), folder)


def fetch_article(url: str, timeout: float = 20.0, max_bytes: int = 10_000_000) -> FetchedArticle:
    """Download an http(s) page (following redirects) and extract its article and metadata.

    Raises FetchError when the link is not http(s), the server cannot be reached or does not
    answer within `timeout` seconds, answers with an error status, sends something other than
    HTML or more than `max_bytes`, or the page holds no article text.
    """
    url = url.strip()
    final, data, charset = _download(url, timeout, max_bytes)
    if looks_binary(data):
        raise FetchError(f"{url}: not an HTML page (binary content)")
    return _extract(url, final, _markup(data, charset))


def _download(url: str, timeout: float, max_bytes: int) -> tuple[str, bytes, str | None]:
    """The final URL after redirects, the body, and the charset its Content-Type names."""
    request = urllib.request.Request(_web_address(url), headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.build_opener().open(request, timeout=timeout) as response:
            _check_type(url, response.headers.get("Content-Type"))
            data = _read(url, response, max_bytes, deadline)
            return response.geturl(), data, response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        exc.close()
        phrase = exc.reason or http.client.responses.get(exc.code, "")
        raise FetchError(f"{url}: the server answered {exc.code} {_line(phrase)}") from None
    except urllib.error.URLError as exc:
        raise _unreachable(url, exc.reason, timeout) from None
    except (OSError, http.client.HTTPException) as exc:
        raise _unreachable(url, exc, timeout) from None


def _web_address(url: str) -> str:
    """The link as urllib can send it: http(s) only; a non-ASCII host in IDNA, and non-ASCII
    characters in the path and query percent-encoded (as a browser's address bar shows them)."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError(f"{url}: only http and https links can be added")
        if not parts.hostname:
            raise FetchError(f"{url}: not a valid link (no host name)")
        host = parts.hostname.encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port is not None else ""
    except (ValueError, UnicodeError):
        raise FetchError(f"{url}: not a valid link") from None
    netloc = (f"[{host}]" if ":" in host else host) + port
    safe = "/%:@!$&'()*+,;=?~-._"
    path, query = (urllib.parse.quote(part, safe=safe) for part in (parts.path, parts.query))
    return urllib.parse.urlunsplit((parts.scheme, netloc, path, query, ""))


def _check_type(url: str, content_type: str | None) -> None:
    """Refuse a response that says it is not HTML (one that does not say is tried)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in _HTML_TYPES:
        raise FetchError(f"{url}: not an HTML page ({_line(media)})")


def _read(url: str, response: Any, max_bytes: int, deadline: float) -> bytes:
    """At most `max_bytes` of the body, before the deadline (a page sent slowly byte by byte
    would otherwise keep each read just under the socket timeout)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(min(_CHUNK, max_bytes + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(
                f"{url}: the page is over the {max_bytes / 1e6:g} MB limit (ASSISTANT_MAX_FILE_MB)"
            )
        if time.monotonic() > deadline:
            raise TimeoutError
    return b"".join(chunks)


def _unreachable(url: str, reason: object, timeout: float) -> FetchError:
    """The error for a server that did not answer, or could not be reached."""
    if isinstance(reason, TimeoutError):
        return FetchError(f"{url}: no answer within {timeout:g} s")
    text = (reason.strerror if isinstance(reason, OSError) else None) or str(reason)
    return FetchError(f"{url}: cannot connect ({_line(text) or type(reason).__name__})")


def _line(text: str, limit: int = 160) -> str:
    """Server-supplied text as one line of bounded length."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _markup(data: bytes, charset: str | None) -> str:
    """The page as text: in the charset its Content-Type names, else as `decode` reads it."""
    if charset:
        try:
            return data.decode(charset, "replace")
        except LookupError:
            pass
    return decode(data).text


def _extract(url: str, final: str, markup: str) -> FetchedArticle:
    """The article and metadata of a page, with trafilatura."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            markup,
            url=final,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
        )
    except AssertionError:  # trafilatura's date finder asserts on some malformed markup
        document = None
    title = _field(document, "title")
    paragraphs = _paragraphs(getattr(document, "text", None) or "", title)
    # Asked to favour recall, extraction returns the link texts of a page of nothing but menus.
    if not paragraphs or not shows_article_text(markup):
        raise FetchError(f"{url}: no article text found on the page")
    return FetchedArticle(
        url=final,
        title=title,
        date=_field(document, "date"),
        outlet=_field(document, "sitename"),
        byline=_field(document, "author"),
        paragraphs=paragraphs,
    )


def _field(document: Any, name: str) -> str:
    """A metadata field of trafilatura's document as one line ('' when it has none)."""
    value = getattr(document, name, None)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _paragraphs(text: str, title: str) -> tuple[str, ...]:
    """The article's paragraphs (one a line in trafilatura's text), without the headline that
    opens it: the title is kept in the front matter."""
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    return tuple(paragraphs)


def save_article(article: FetchedArticle, folder: Path) -> Path:
    """Write the article to `folder` as `<slug>.md`; the path written.

    The slug comes from the title (else from the link). A file of that name that holds another
    link gets a `-2`, `-3`, … sibling; one that holds the same link is replaced, so adding a link
    again updates its article. The file appears whole: it is written under a hidden name first.
    Raises DocumentError when the folder cannot be written to.
    """
    text = format_article({key: getattr(article, key) for key in KEYS}, list(article.paragraphs))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = _free_path(
            folder, _slug(article.title) or _slug(_host_and_path(article.url)), article
        )
        _write_atomically(path, text)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DocumentError(
            f"{folder}: cannot save the article from {article.url} ({reason})"
        ) from None
    return path


def _slug(text: str) -> str:
    """A file name stem from a title: ASCII letters and digits joined by '-', at most 60 long."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    words = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
    if len(words) > _SLUG_LENGTH:
        cut = words[: _SLUG_LENGTH + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut[:_SLUG_LENGTH]
    return words.strip("-")


def _host_and_path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return f"{host} {urllib.parse.unquote(parts.path)}"


def _free_path(folder: Path, stem: str, article: FetchedArticle) -> Path:
    """`<stem>.md`, or `<stem>-2.md`, … : the first that is free or already holds this link."""
    stem = stem or "article"
    number = 1
    while True:
        path = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        if not os.path.lexists(path) or _saved_url(path) == article.url:
            return path
        number += 1


def _saved_url(path: Path) -> str | None:
    """The url in the front matter of a saved article (None: none, or the file is unreadable)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    return split_front_matter(head)[0].get("url")


def _write_atomically(path: Path, text: str) -> None:
    """Write to a hidden file beside `path`, then rename it over `path`: a folder watcher sees
    either the old file or the new one, never half of it (and passes over hidden files)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
