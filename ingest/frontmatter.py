"""Front matter: the metadata block at the top of a Markdown file, and the file format of an
article added by URL.

An added article is saved as Markdown with YAML front matter (keys with no value left out)::

    ---
    title: Harbour council approves new ferry timetable
    date: 2021-10-18
    outlet: Coastal Times
    byline: Jane Doe
    url: https://example.com/news/ferry
    ---

    First paragraph…

    Second paragraph…

`split_front_matter` reads that block from any Markdown file (Jekyll, Hugo, Obsidian: YAML
between '---' lines, or Hugo's TOML between '+++' lines), and `describe_front_matter` maps the
usual names of its fields (published, author, source, …) onto ours.
"""

from __future__ import annotations

import datetime
import re
import reprlib
import tomllib
from typing import Any

import yaml

from vectorstore.dates import iso_date

KEYS = ("title", "date", "outlet", "byline", "url")
"""Our metadata keys, in the order an article's front matter lists them."""

_SYNONYMS = {
    "title": ("title",),
    "date": ("date", "published", "pubdate", "created"),
    "outlet": ("outlet", "site", "site_name", "sitename", "publisher", "source"),
    "byline": ("byline", "author", "authors"),
    "url": ("url", "link", "source", "canonical"),
}
"""Where each of our keys is found, first name first."""

_OPENING = re.compile(r"\ufeff?(---|\+\+\+)[ \t]*\r?\n")
_CLOSING = {
    "---": re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE),
    "+++": re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE),
}
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_WEB_LINK = re.compile(r"https?://[^\s/?#]+\S*", re.IGNORECASE)

_SHORT = reprlib.Repr()
"""Writes a nested value in bounded length (YAML aliases can make a tiny block a huge value)."""
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 200, 200


class _TextLoader(yaml.SafeLoader):
    """A YAML loader that keeps every plain scalar as the text written ('2021-10-18', 'yes',
    '012'), so that a title reads as written and an impossible date does not void the block;
    only null (and merge keys) are still resolved."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag.endswith((":null", ":merge"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """The front matter of a Markdown text and the offset in `text` where its body starts.

    Keys are lower-cased; every value is text: scalars as written, dates in ISO, lists joined
    with ', ' (`tags: [a, b]` gives 'a, b'); empty (null) values are left out. The body starts at
    the first line after the closing fence that is not blank. Without front matter, or when the
    block is not closed, is not valid YAML (TOML after '+++') or is not a mapping, the result
    is ({}, 0): the whole text is the body. Never raises.
    """
    opening = _OPENING.match(text)
    if opening is None:
        return {}, 0
    closing = _CLOSING[opening.group(1)].search(text, opening.end())
    if closing is None:
        return {}, 0
    block = text[opening.end() : closing.start()]
    try:
        data = _parse(block, toml=opening.group(1) == "+++")
    except Exception:  # any input: YAML and TOML raise more than their own errors
        return {}, 0
    if data is not None and not isinstance(data, dict):
        return {}, 0
    meta: dict[str, str] = {}
    for key, value in (data or {}).items():
        if value is not None:
            meta.setdefault(str(key).lower(), _text(value))
    return meta, _body_start(text, closing.end())


def _body_start(text: str, offset: int) -> int:
    """The offset of the first line at or after `offset` that is not blank."""
    blank = _BLANK_LINES.match(text, offset)
    return blank.end() if blank else offset


def _parse(block: str, toml: bool) -> Any:
    if toml:
        return tomllib.loads(block)
    return yaml.load(block, Loader=_TextLoader)


def _text(value: Any) -> str:
    """A front matter value as text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list | tuple) and not any(isinstance(v, list | dict) for v in value):
        return ", ".join(_text(v) for v in value if v is not None)
    if isinstance(value, list | tuple | dict):
        return _SHORT.repr(value)
    return str(value)


def describe_front_matter(meta: dict[str, str]) -> dict[str, str]:
    """Our keys (title, date, outlet, byline, url) from front matter that may use other names:
    date from date, published, pubdate or created (as ISO, '' when no date can be read);
    byline from byline, author or authors; outlet from outlet, site, site_name, sitename,
    publisher or source, when it is not a link; url from url, link, source or canonical, when it
    is an http(s) link. Every key is present, '' when the front matter does not give it."""
    found: dict[str, str] = {}
    for key in KEYS:
        values = (" ".join(meta.get(name, "").split()) for name in _SYNONYMS[key])
        found[key] = next((v for v in values if v and _fits(key, v)), "")
    found["date"] = iso_date(found["date"])
    return found


def _fits(key: str, value: str) -> bool:
    """Whether a value can stand for the key: a url must be a web link, an outlet must not."""
    is_link = _WEB_LINK.fullmatch(value) is not None
    if key == "url":
        return is_link
    if key == "outlet":
        return not is_link
    return True


def format_article(meta: dict[str, str], paragraphs: list[str]) -> str:
    """An article as Markdown: front matter of the non-empty `meta` values, in the order given
    (none at all when every value is empty), then the paragraphs, a blank line between each."""
    fields: dict[str, Any] = {}
    for key, value in meta.items():
        text = " ".join(str(value).split())
        if text:
            fields[key] = _iso_day(text) if key == "date" else text
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip()) + "\n"
    if not fields:
        return body
    header = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{header}---\n\n{body}"


def _iso_day(text: str) -> str | datetime.date:
    """A full ISO date as a date, which YAML writes unquoted (date: 2021-10-18); else the text."""
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else text
    except ValueError:
        return text
