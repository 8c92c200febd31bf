"""Shared by the add-by-URL tests (test_fetch.py, test_save_article.py): a real HTTP server on
127.0.0.1 serving news pages, a menu, a PDF, redirects, a slow answer and a 404."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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
