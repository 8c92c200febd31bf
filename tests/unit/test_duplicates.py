"""Near-duplicates: an outlet's copy of a report is grouped with it; other outlets' reports of the
same story, other articles and translations are not. The pairs here are the ones the threshold was
chosen on (see ingest/duplicates.py); every score must clear it by MARGIN."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from ingest.clean import clean
from vectorstore.duplicates import (
    PERMUTATIONS,
    THRESHOLD,
    containment,
    from_json,
    groups,
    is_near_duplicate,
    signature,
    similarity,
    to_json,
)

pytestmark = pytest.mark.unit

PROJECT = Path(__file__).resolve().parents[2]
SEEDS = sorted((PROJECT / "seeds").glob("*.txt"))
XQUAD_GATE = PROJECT / "tests" / "data" / "xquad-gate"
XQUAD_DEV = PROJECT.parent / "shared" / "corpora" / "xquad-dev"
MARGIN = 0.25

HEADLINE = "Envoy steps down as talks collapse, officials say in Washington"
MASTHEAD = (
    "World News | Politics | Business | Opinion | Sign in | Our network: The Courier, Evening Post"
)
FOOTER = (
    "Copyright 2021 The Daily Courier Media Group. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed without permission. Follow us on Twitter "
    "and Facebook for the latest news, and download our app for breaking alerts."
)


def _article(path: Path) -> str:
    """The text as ingest would sign it: the kept paragraphs."""
    text = path.read_text(encoding="utf-8")
    return "\n\n".join(text[s:e] for s, e in clean(text).paragraphs)


def _pairs(folder: Path) -> list[tuple[str, str]]:
    """(English, German) texts of the same articles."""
    return [(_article(en), _article(folder / "de" / en.name)) for en in sorted(folder.glob("en/*"))]


@cache
def _sig(text: str) -> tuple[int, ...]:
    return signature(text)


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def new_headline(text: str, other: str) -> str:
    body = _paragraphs(text)
    if len(body[0].split()) < 20:  # the original's own headline
        body = body[1:]
    return "\n\n".join([HEADLINE, *body])


def dateline(text: str, other: str) -> str:
    body = _paragraphs(text)
    body[0] = "WASHINGTON, Oct 19 (Reuters) - " + body[0]
    return "\n\n".join(["Published 19 October 2021, 14:05 GMT", *body])


def boilerplate(text: str, other: str) -> str:
    return "\n\n".join([MASTHEAD, text, FOOTER])


def paragraph_added(text: str, other: str) -> str:
    """An update: a paragraph of up to 90 words (from another article) in the middle."""
    body = _paragraphs(text)
    body.insert(max(1, len(body) // 2), " ".join(other.split()[:90]))
    return "\n\n".join(body)


def words_edited(text: str, other: str, every: int = 60) -> str:
    words = text.split(" ")
    for i in range(every // 2, len(words), every):
        words[i] = words[i].upper()[::-1] + "x"
    return " ".join(words)


def everything(text: str, other: str) -> str:
    copy = words_edited(paragraph_added(text, other), other)
    return boilerplate(dateline(new_headline(copy, other), other), other)


COPIES: dict[str, Callable[[str, str], str]] = {
    "new headline": new_headline,
    "dateline": dateline,
    "boilerplate": boilerplate,
    "paragraph added": paragraph_added,
    "words edited": words_edited,
    "all at once": everything,
}
BASES = [_article(p) for p in SEEDS] + [t for pair in _pairs(XQUAD_GATE) for t in pair]
needs_xquad_dev = pytest.mark.skipif(
    not XQUAD_DEV.is_dir(), reason="the shared xquad-dev corpus is not here"
)


@pytest.mark.parametrize("kind", COPIES)
def test_outlets_copy_of_an_article_is_grouped_with_it(kind: str) -> None:
    for i, text in enumerate(BASES):
        copy = COPIES[kind](text, BASES[(i + 1) % len(BASES)])
        original, republished = _sig(text), _sig(copy)
        assert containment(original, republished) >= THRESHOLD + MARGIN, (kind, text[:60])
        assert groups({"a.txt": original, "b.txt": republished}) == {
            "a.txt": "a.txt",
            "b.txt": "a.txt",
        }


def test_every_seed_and_its_copy_form_one_group_each() -> None:
    signatures = {p.name: _sig(_article(p)) for p in SEEDS}
    for i, path in enumerate(SEEDS):
        signatures[f"copy_{path.name}"] = _sig(everything(_article(path), BASES[i + 1]))
    found = groups(signatures)
    assert found == {name: name.removeprefix("copy_") for name in signatures}


def test_reports_of_one_story_by_different_outlets_are_not_grouped() -> None:
    signatures = {p.name: _sig(_article(p)) for p in SEEDS}
    assert groups(signatures) == {}
    for a, b in itertools.combinations(signatures.values(), 2):
        assert containment(a, b) <= THRESHOLD - MARGIN


def test_article_and_its_translation_are_not_grouped() -> None:
    for english, german in _pairs(XQUAD_GATE):
        assert containment(_sig(english), _sig(german)) <= THRESHOLD - MARGIN
        assert groups({"en.txt": _sig(english), "de.txt": _sig(german)}) == {}


@needs_xquad_dev
def test_no_xquad_dev_article_is_grouped_with_its_translation() -> None:
    for english, german in _pairs(XQUAD_DEV):
        assert containment(_sig(english), _sig(german)) <= THRESHOLD - MARGIN


@needs_xquad_dev
@pytest.mark.parametrize("language", ["en", "de"])
def test_different_xquad_dev_articles_are_not_grouped(language: str) -> None:
    signatures = {p.name: _sig(_article(p)) for p in sorted((XQUAD_DEV / language).glob("*"))}
    assert len(signatures) > 20
    assert groups(signatures) == {}
    worst = max(containment(a, b) for a, b in itertools.combinations(signatures.values(), 2))
    assert worst <= THRESHOLD - MARGIN


def test_signature_is_the_same_in_every_process() -> None:
    text = _article(SEEDS[0])
    program = "import sys; from vectorstore.duplicates import signature, to_json; "
    program += "print(to_json(signature(sys.stdin.read())))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outputs == {to_json(signature(text))}


def test_signature_of_a_known_text_does_not_change_between_versions() -> None:
    # Stored signatures are compared with new ones: a change here makes them all stale.
    sig = signature("The harbour reopened on Monday after the storm, the port authority said.")
    assert sig[:4] == (8, 1149983334, 381832997, 310966981)
    assert len(sig) == PERMUTATIONS + 1
    assert all(0 <= v < 2**32 for v in sig[1:])


def test_signature_survives_a_json_round_trip() -> None:
    sig = _sig(BASES[0])
    stored = to_json(sig)
    assert from_json(stored) == sig
    assert json.loads(stored) == list(sig)
    assert len(stored) < 1500


@pytest.mark.parametrize("stored", ["not json", "[1, 2, 3]", '{"a": 1}', json.dumps(["x"] * 129)])
def test_anything_else_read_back_as_a_signature_is_refused(stored: str) -> None:
    with pytest.raises(ValueError):
        from_json(stored)


def test_signatures_of_another_length_cannot_be_compared() -> None:
    with pytest.raises(ValueError):
        similarity(_sig(BASES[0]), _sig(BASES[0])[:65])


def test_case_and_unicode_forms_do_not_change_the_signature() -> None:
    danish = _article(SEEDS[0])
    assert signature(danish.upper()) == signature(danish)
    assert signature("ﬁnal ﬁgures were released by the ministry") == signature(
        "final figures were released by the ministry"
    )


def test_groups_are_transitive_through_a_shared_middle_document() -> None:
    words = _article(SEEDS[4]).split()
    first, second, third = words[:300], words[300:550], words[600:650]
    a = _sig(" ".join(first))
    b = _sig(" ".join(first + second))
    c = _sig(" ".join(second + third))
    assert is_near_duplicate(a, b) and is_near_duplicate(b, c)
    assert not is_near_duplicate(a, c)
    unrelated = _sig(BASES[0])
    assert groups({"c.txt": c, "b.txt": b, "a.txt": a, "z.txt": unrelated}) == {
        "a.txt": "a.txt",
        "b.txt": "a.txt",
        "c.txt": "a.txt",
    }


def test_representative_is_the_earliest_dated_then_the_alphabetically_first() -> None:
    text = BASES[1]
    copies = {
        "a.txt": _sig(text),
        "b.txt": _sig(dateline(text, "")),
        "c.txt": _sig(boilerplate(text, "")),
    }
    assert set(groups(copies).values()) == {"a.txt"}
    dated = {"a.txt": "2021-10-20", "b.txt": "2021-10-18", "c.txt": "2021-10-18"}
    assert set(groups(copies, dates=dated).values()) == {"b.txt"}
    assert set(groups(copies, dates={"c.txt": "2021-10-19"}).values()) == {"c.txt"}


def test_empty_texts_are_duplicates_of_nothing() -> None:
    empty, punctuation = signature(""), signature("  — … !! \n\n ")
    assert empty[0] == 0 and punctuation[0] == 0
    assert similarity(empty, empty) == 0.0 and containment(empty, punctuation) == 0.0
    assert groups({"a.txt": empty, "b.txt": punctuation, "c.txt": _sig(BASES[0])}) == {}


def test_text_shorter_than_a_shingle_is_one_shingle() -> None:
    short = signature("Breaking news")
    assert short[0] == 1
    assert is_near_duplicate(short, signature("BREAKING NEWS!"))
    assert not is_near_duplicate(short, signature("Breaking news from Kabul"))
    assert not is_near_duplicate(short, _sig("Breaking news\n\n" + BASES[2]))


def test_a_lead_quoted_alone_is_not_a_copy_of_the_article() -> None:
    article = BASES[2]
    lead = " ".join(article.split()[:60])  # wholly contained, a tenth of the length
    assert not is_near_duplicate(_sig(lead), _sig(article))


def test_many_exact_copies_and_a_near_copy_form_one_group() -> None:
    text = BASES[3]
    signatures: dict[str, tuple[int, ...]] = {f"{i:03}.txt": _sig(text) for i in range(300)}
    signatures["updated.txt"] = _sig(paragraph_added(text, BASES[0]))
    signatures["other.txt"] = _sig(BASES[0])
    found = groups(signatures)
    assert "other.txt" not in found
    assert len(found) == 301 and set(found.values()) == {"000.txt"}
