"""Add by URL against a real HTTP server on 127.0.0.1: the article and its metadata are saved,
re-adding a link updates its file, and every failure is one line naming the link and the reason."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.errors import DocumentError
from ingest.fetch import FetchedArticle, FetchError, add_url, fetch_article, save_article
from ingest.frontmatter import describe_front_matter, split_front_matter

pytestmark = pytest.mark.unit

TITLE = "Harbour council approves new ferry timetable"
SENTENCES = (
    "The harbour council met on Monday evening and approved a new ferry timetable for the "
    "winter season, after months of debate among islanders.",
    "Under the new plan, the first ferry will leave the island at six in the morning, an hour "
    "earlier than before, so that commuters can reach the mainland by eight.",
    "The council chair said the change would cost the municipality about two million kroner a "
    "year, which will be covered by higher ticket prices for tourists.",
    "Islanders who spoke at the meeting welcomed the earlier departure but asked for more "
    "evening sailings on Fridays and Saturdays.",
)
MENU = (
    '<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li>'
    '<li><a href="/sport">Sport results</a></li><li><a href="/subscribe">Subscribe today</a>'
    "</li></ul></nav></header>"
)


def _page(title: str, sentences: tuple[str, ...], charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{s}</p>\n" for s in sentences)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="{charset}">
<title>{title} | Coastal Times</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Coastal Times">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-10-18T10:00:00Z">
</head><body>
{MENU}
<main><article><h1>{title}</h1>
<p class="byline">By Jane Doe</p>
{paragraphs}</article></main>
<footer><p>© 2021 Coastal Times. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"""


DANISH_TITLE = "Året rundt på Ærø: færgen sejler før solopgang"
DANISH = (
    "Færgen til Ærø sejler fra i år en time tidligere om morgenen, så pendlerne når fastlandet.",
    "Øens borgmester siger, at ændringen koster kommunen omkring to millioner kroner om året.",
    "Beløbet skal dækkes af højere billetpriser for turister i sommersæsonen, når færgerne er fulde.",
)
HTML = "text/html; charset=utf-8"
PAGES: dict[str, tuple[int, str, bytes]] = {
    "/news/ferry": (200, HTML, _page(TITLE, SENTENCES).encode()),
    "/news/ferry-again": (200, HTML, _page(TITLE, SENTENCES[:2]).encode()),
    "/news/same-title": (200, HTML, _page(TITLE, SENTENCES[2:]).encode()),
    "/nyheder/ærø": (200, "text/html; charset=iso-8859-1", _page(DANISH_TITLE, DANISH).encode("latin-1")),
    "/no-charset": (200, "text/html", _page(DANISH_TITLE, DANISH).encode()),
    "/brief": (200, HTML, _page("Ferry delayed", ("The morning ferry is delayed by fog.",)).encode()),
    "/report.pdf": (200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    "/big": (200, HTML, _page(TITLE, SENTENCES * 50).encode()),
    "/menu": (200, HTML, f"<html><head><title>Home</title></head><body>{MENU}</body></html>".encode()),
    "/missing": (404, HTML, b"<html><body><h1>Not here</h1></body></html>"),
}  # fmt: skip
REDIRECTS = {"/old-link": "/news/ferry", "/loop": "/loop"}


class _Handler(BaseHTTPRequestHandler):
    release: threading.Event

    def do_GET(self) -> None:
        path = urllib.parse.unquote(self.path)
        if path == "/slow":
            self.release.wait(10)  # answers after the client has given up
        if path in REDIRECTS:
            self.send_response(301)
            self.send_header("Location", REDIRECTS[path])
            self.end_headers()
            return
        status, content_type, body = PAGES.get(path, PAGES["/missing"])
        self.send_response(status if path in PAGES else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the slow page writes to a client that has already given up


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A web server on 127.0.0.1 serving PAGES; its base URL."""
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to 127.0.0.1 go straight to the test server, whatever proxy the shell names."""
    for scheme in ("http", "https", "all"):
        monkeypatch.delenv(f"{scheme}_proxy", raising=False)
        monkeypatch.delenv(f"{scheme.upper()}_PROXY", raising=False)


def _failure(url: str, timeout: float = 20.0, max_bytes: int = 10_000_000) -> str:
    """The message of the FetchError that fetching `url` raises, checked to be one line that
    starts with the link."""
    with pytest.raises(FetchError) as caught:
        fetch_article(url, timeout=timeout, max_bytes=max_bytes)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(url)
    return message


def test_article_text_and_metadata_are_extracted_without_the_menu(server: str) -> None:
    article = fetch_article(f"{server}/news/ferry")
    assert article == FetchedArticle(
        url=f"{server}/news/ferry",
        title=TITLE,
        date="2021-10-18",
        outlet="Coastal Times",
        byline="Jane Doe",
        paragraphs=SENTENCES,
    )


def test_saved_file_round_trips_through_the_front_matter(server: str, tmp_path: Path) -> None:
    path = add_url(f"{server}/news/ferry", tmp_path)
    assert path == tmp_path / "harbour-council-approves-new-ferry-timetable.md"
    text = path.read_text(encoding="utf-8")
    meta, start = split_front_matter(text)
    assert describe_front_matter(meta) == {
        "title": TITLE,
        "date": "2021-10-18",
        "outlet": "Coastal Times",
        "byline": "Jane Doe",
        "url": f"{server}/news/ferry",
    }
    body = text[start:]
    assert body.split("\n\n") == [*SENTENCES[:-1], SENTENCES[-1] + "\n"]
    for boilerplate in ("Home", "Subscribe", "World news", "All rights reserved", "By Jane"):
        assert boilerplate not in body
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_the_url_saved_is_the_one_redirected_to(server: str, tmp_path: Path) -> None:
    article = fetch_article(f"{server}/old-link")
    assert article.url == f"{server}/news/ferry"
    assert article.paragraphs == SENTENCES


def test_adding_a_link_again_updates_its_file(server: str, tmp_path: Path) -> None:
    first = add_url(f"{server}/news/ferry", tmp_path)
    shorter = fetch_article(f"{server}/news/ferry-again")  # as if the page had been edited
    assert save_article(replace(shorter, url=f"{server}/news/ferry"), tmp_path) == first
    assert SENTENCES[2] not in first.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [first.name]


def test_another_link_with_the_same_title_gets_a_numbered_file(server: str, tmp_path: Path) -> None:
    first = add_url(f"{server}/news/ferry", tmp_path)
    second = add_url(f"{server}/news/same-title", tmp_path)
    third = add_url(f"{server}/news/ferry-again", tmp_path)
    assert first.name == "harbour-council-approves-new-ferry-timetable.md"
    assert second.name == "harbour-council-approves-new-ferry-timetable-2.md"
    assert third.name == "harbour-council-approves-new-ferry-timetable-3.md"
    assert add_url(f"{server}/news/same-title", tmp_path) == second  # found past the first
    assert SENTENCES[0] in first.read_text(encoding="utf-8")
    assert split_front_matter(second.read_text(encoding="utf-8"))[0]["url"].endswith("same-title")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (first, second, third))  # fmt: skip


def test_a_file_the_user_wrote_is_never_overwritten(server: str, tmp_path: Path) -> None:
    own = tmp_path / "harbour-council-approves-new-ferry-timetable.md"
    own.write_text("My own notes on the ferry.\n", encoding="utf-8")
    path = add_url(f"{server}/news/ferry", tmp_path)
    assert path.name == "harbour-council-approves-new-ferry-timetable-2.md"
    assert own.read_text(encoding="utf-8") == "My own notes on the ferry.\n"


def test_charset_from_the_header_and_a_non_ascii_link(server: str, tmp_path: Path) -> None:
    article = fetch_article(f"{server}/nyheder/ærø")
    assert article.title == DANISH_TITLE
    assert article.paragraphs == DANISH
    assert article.url == f"{server}/nyheder/%C3%A6r%C3%B8"
    path = save_article(article, tmp_path)
    assert path.name == "aret-rundt-pa-aero-faergen-sejler-for-solopgang.md"
    assert split_front_matter(path.read_text(encoding="utf-8"))[0]["title"] == DANISH_TITLE


def test_without_a_charset_the_bytes_are_decoded_as_files_are(server: str) -> None:
    assert fetch_article(f"{server}/no-charset").paragraphs == DANISH


def test_a_short_article_is_kept_though_in_one_paragraph(server: str) -> None:
    # Under 250 characters of text, trafilatura falls back to the text of the whole <article>
    # element: one line, headline and byline included.
    article = fetch_article(f"{server}/brief")
    assert article.title == "Ferry delayed"
    assert "The morning ferry is delayed by fog." in article.paragraphs[-1]


def test_slug_is_short_ascii_and_falls_back_to_the_link(tmp_path: Path) -> None:
    long = FetchedArticle(
        "https://www.example.com/a", "Ünïcödé " + "word " * 30, "", "", "", ("Text.",)
    )
    name = save_article(long, tmp_path).name
    assert name.startswith("unicode-word-word") and name.isascii()
    assert len(name.removesuffix(".md")) <= 60 and not name.removesuffix(".md").endswith("-")
    untitled = FetchedArticle("https://www.example.com/news/2021/ferry", "", "", "", "", ("Text.",))
    assert save_article(untitled, tmp_path).name == "example-com-news-2021-ferry.md"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    article = FetchedArticle("https://example.com/a", "T", "", "", "", ("Text.",))
    with pytest.raises(
        DocumentError, match=r"cannot save the article from https://example\.com/a \(.+\)$"
    ):
        save_article(article, blocker / "docs")


def test_a_failed_write_leaves_neither_file_nor_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ingest.fetch.os.replace", disk_full)
    article = FetchedArticle("https://example.com/a", "T", "", "", "", ("Text.",))
    with pytest.raises(DocumentError, match=r"\(No space left on device\)$"):
        save_article(article, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_only_web_links_can_be_added() -> None:
    for url in ("ftp://example.com/a.html", "file:///etc/passwd", "example.com/news"):
        assert _failure(url).endswith(": only http and https links can be added")
    assert "not a valid link" in _failure("http:///no-host")


def test_an_error_status_is_one_line(server: str) -> None:
    assert _failure(f"{server}/missing").endswith(": the server answered 404 Not Found")


def test_a_redirect_loop_is_one_line(server: str) -> None:
    assert "the server answered 301" in _failure(f"{server}/loop")


def test_a_page_that_is_not_html_is_refused(server: str) -> None:
    assert _failure(f"{server}/report.pdf").endswith(": not an HTML page (application/pdf)")


def test_a_page_over_the_size_limit_is_refused(server: str) -> None:
    message = _failure(f"{server}/big", max_bytes=20_000)
    assert message.endswith(": the page is over the 0.02 MB limit (ASSISTANT_MAX_FILE_MB)")


def test_a_slow_server_times_out(server: str) -> None:
    assert _failure(f"{server}/slow", timeout=0.5).endswith(": no answer within 0.5 s")


def test_a_page_of_only_a_menu_has_no_article(server: str) -> None:
    assert _failure(f"{server}/menu").endswith(": no article text found on the page")


def test_nothing_listening_is_cannot_connect() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/news"
        assert _failure(url).endswith(": cannot connect (Connection refused)")


def test_an_unknown_host_is_cannot_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)  # no DNS lookups in unit tests
    message = _failure("http://no-such-host.invalid/news")
    assert message.endswith(": cannot connect (Name or service not known)")
