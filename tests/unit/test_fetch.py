"""Fetching by URL from a real HTTP server on 127.0.0.1: the article text and its metadata are
extracted, and every failure is one line naming the link and the reason."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fetch_support import DANISH, DANISH_TITLE, SENTENCES, TITLE
from fetch_support import no_proxy as no_proxy  # fixtures: imported so that pytest finds them here
from fetch_support import server as server

from ingest.fetch import FetchedArticle, FetchError, fetch_article, save_article
from ingest.frontmatter import split_front_matter

pytestmark = pytest.mark.unit


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


def test_the_url_saved_is_the_one_redirected_to(server: str, tmp_path: Path) -> None:
    article = fetch_article(f"{server}/old-link")
    assert article.url == f"{server}/news/ferry"
    assert article.paragraphs == SENTENCES


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
