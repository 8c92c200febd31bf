"""Saving fetched articles: the file round-trips through the front matter, re-adding a link
updates its file, other files are never overwritten, and a failed write is one line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fetch_support import SENTENCES, TITLE
from fetch_support import no_proxy as no_proxy  # fixtures: imported so that pytest finds them here
from fetch_support import server as server

from ingest.errors import DocumentError
from ingest.fetch import FetchedArticle, add_url, fetch_article, save_article
from ingest.frontmatter import describe_front_matter, split_front_matter

pytestmark = pytest.mark.unit


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
