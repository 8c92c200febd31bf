"""Front matter: the saved-article format, and reading the metadata block of any Markdown file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.frontmatter import describe_front_matter, format_article, split_front_matter

pytestmark = pytest.mark.unit

NOTHING = {"title": "", "date": "", "outlet": "", "byline": "", "url": ""}


def test_saved_article_has_front_matter_then_blank_separated_paragraphs() -> None:
    meta = {
        "title": "Harbour council approves new ferry timetable",
        "date": "2021-10-18",
        "outlet": "Coastal Times",
        "byline": "Jane Doe",
        "url": "https://example.com/news/ferry",
    }
    text = format_article(meta, ["First paragraph.", "Second paragraph."])
    assert text == (
        "---\n"
        "title: Harbour council approves new ferry timetable\n"
        "date: 2021-10-18\n"
        "outlet: Coastal Times\n"
        "byline: Jane Doe\n"
        "url: https://example.com/news/ferry\n"
        "---\n"
        "\n"
        "First paragraph.\n"
        "\n"
        "Second paragraph.\n"
    )
    found, start = split_front_matter(text)
    assert found == meta
    assert describe_front_matter(found) == meta
    assert text[start:] == "First paragraph.\n\nSecond paragraph.\n"


def test_empty_values_and_empty_paragraphs_are_left_out() -> None:
    text = format_article({"title": "T", "byline": "", "date": "  "}, ["One.", "  ", "", "Two."])
    assert text == "---\ntitle: T\n---\n\nOne.\n\nTwo.\n"
    assert format_article({"title": ""}, ["Only text."]) == "Only text.\n"


@pytest.mark.parametrize(
    "title",
    [
        "Året rundt på Ærø: bønder høster blåbær og jordbær",
        "Größere Brücke über die Förde: Anwohner äußern Kritik",
        "« Ça ne peut pas durer » : l'été où la Côte d'Azur a brûlé",
        "¿Qué pasó en La Coruña? El año en que el niño cambió todo",
        "yes",
        "2021-10-18",
        "null",
        "Title: with a colon # and a hash",
        "'quoted' and \"double\" – ‘curly’",
    ],
)
def test_titles_round_trip_exactly(title: str) -> None:
    text = format_article({"title": title, "url": "https://example.dk/a"}, ["Body."])
    assert split_front_matter(text)[0]["title"] == title
    assert "\\x" not in text and "\\u" not in text  # letters are written as letters


def test_jekyll_front_matter_maps_onto_our_keys() -> None:
    text = (
        "---\n"
        "layout: post\n"
        "title: My first post\n"
        "published: 2021-10-18 10:00:00 +0200\n"
        "author: Jane Doe\n"
        "tags: [a, b]\n"
        "---\n"
        "Hello.\n"
    )
    meta, start = split_front_matter(text)
    assert meta["tags"] == "a, b"
    assert meta["layout"] == "post"
    assert text[start:] == "Hello.\n"
    assert describe_front_matter(meta) == NOTHING | {
        "title": "My first post",
        "date": "2021-10-18",
        "byline": "Jane Doe",
    }


def test_obsidian_front_matter_with_source_link_and_list_of_authors() -> None:
    text = (
        "---\r\n"
        "Title: Clipped article\r\n"
        "source: https://news.example.org/2021/10/article?id=7\r\n"
        "authors:\r\n  - Ann\r\n  - Bo\r\n"
        "created: 2023-01-05\r\n"
        "aliases: []\r\n"
        "---\r\n"
        "\r\n"
        "Body text.\r\n"
    )
    meta, start = split_front_matter(text)
    assert meta["title"] == "Clipped article"  # keys are lower-cased
    assert text[start:] == "Body text.\r\n"
    assert describe_front_matter(meta) == NOTHING | {
        "title": "Clipped article",
        "date": "2023-01-05",
        "byline": "Ann, Bo",
        "url": "https://news.example.org/2021/10/article?id=7",  # a link source is the url...
    }


def test_a_source_that_is_not_a_link_is_the_outlet() -> None:
    meta = {"source": "The Guardian", "link": "https://www.theguardian.com/x", "pubdate": "x"}
    assert describe_front_matter(meta) == NOTHING | {
        "outlet": "The Guardian",
        "url": "https://www.theguardian.com/x",
    }


def test_dates_are_read_as_iso() -> None:
    for written, iso in [
        ("2021-10-18T10:00:00Z", "2021-10-18"),
        ("2021-10", "2021-10"),
        ("October 18, 2021", "2021-10-18"),
        ("18 Oct 2021", "2021-10-18"),
        ("someday", ""),
    ]:
        assert describe_front_matter({"date": written})["date"] == iso


def test_hugo_toml_front_matter_is_read() -> None:
    text = (
        '+++\ntitle = "Hugo post"\ndate = 2021-10-18\ndraft = false\ntags = ["x", "y"]\n+++\nBody\n'
    )
    meta, start = split_front_matter(text)
    assert meta == {"title": "Hugo post", "date": "2021-10-18", "draft": "false", "tags": "x, y"}
    assert text[start:] == "Body\n"


def test_scalars_keep_the_text_written() -> None:
    meta, _ = split_front_matter(
        "---\ndate: 2021-02-30\ndraft: yes\nweight: 012\nempty:\nnested: {a: 1}\n---\nBody"
    )
    assert meta == {"date": "2021-02-30", "draft": "yes", "weight": "012", "nested": "{'a': '1'}"}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Just text.\n",
        "---\ntitle: never closed\n\nBody.\n",  # an unclosed '---' is no front matter
        "---\ntitle: [unclosed\n---\nBody.\n",  # malformed YAML
        "---\ntitle: a: b: c\n---\nBody.\n",
        "---\n- a list\n- not a mapping\n---\nBody.\n",
        "---\nJust a sentence between rules.\n---\nBody.\n",
        "---\n? [a, b]\n: unhashable key\n---\nBody.\n",
        "---\ndate: !!timestamp 2021-02-30\n---\nBody.\n",
        "Text first\n---\ntitle: x\n---\n",
        "+++\ntitle = \n+++\nBody\n",  # malformed TOML
    ],
)
def test_no_or_bad_front_matter_means_the_whole_text_is_the_body(text: str) -> None:
    assert split_front_matter(text) == ({}, 0)


def test_empty_front_matter_and_closing_at_the_end_of_the_text() -> None:
    assert split_front_matter("---\n---\nBody") == ({}, 8)
    assert split_front_matter("---\ntitle: T\n---") == ({"title": "T"}, 16)
    assert split_front_matter("\ufeff---\ntitle: T\n...\nBody") == ({"title": "T"}, 18)


def test_a_block_of_aliases_does_not_blow_up() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]" for p, c in
              zip("abcdefgh", "bcdefghi", strict=True)]  # fmt: skip
    meta, _ = split_front_matter("---\n" + "\n".join(lines) + "\n---\nBody")
    assert len(meta["i"]) < 10_000  # written in full, it would be 9**9 items


@given(st.text())
def test_split_never_raises_and_the_offset_is_in_the_text(text: str) -> None:
    meta, start = split_front_matter(text)
    assert 0 <= start <= len(text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())


@given(st.text(alphabet=st.characters(), max_size=40).map(lambda s: "---\n" + s + "\n---\n"))
def test_split_never_raises_on_anything_between_fences(text: str) -> None:
    meta, start = split_front_matter(text)
    assert 0 <= start <= len(text)
    assert all(isinstance(v, str) for v in meta.values())


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_any_title_round_trips_with_its_spaces_collapsed(title: str) -> None:
    text = format_article({"title": title, "url": "https://e.com/"}, ["Body."])
    meta, start = split_front_matter(text)
    assert meta.get("title", "") == " ".join(title.split())
    assert text[start:] == "Body.\n"
