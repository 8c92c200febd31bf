"""Cleaning keeps offsets; chunks are whole sentences whose text is the original's slice."""

from __future__ import annotations

import itertools
from pathlib import Path

from ingest.chunk import chunk, chunk_id
from ingest.clean import clean, is_boilerplate, paragraphs
from ingest.load import SourceFile
from ingest.metadata import describe
from ingest.read import read_document
from vectorstore.dates import document_date

ARTICLE = (
    "Harbour reopens after storm\n\n"
    "The harbour reopened on Monday. Ferries resumed at noon, the port authority said.\n\n"
    "Photo: Jane Doe\n\n"
    "Officials expect full traffic by Friday. Repairs will cost 2 million kroner.\n\n"
    "Leave a Reply\n\nYour email address will not be published.\n\n"
    "Sign up for our daily newsletter\n"
)


def test_paragraph_spans_point_into_the_original_text() -> None:
    for start, end in paragraphs(ARTICLE):
        piece = ARTICLE[start:end]
        assert piece == piece.strip() and piece


def test_boilerplate_paragraphs_are_dropped_and_article_kept() -> None:
    cleaned = clean(ARTICLE)
    kept = [ARTICLE[s:e] for s, e in cleaned.paragraphs]
    dropped = [ARTICLE[s:e] for s, e in cleaned.dropped]
    assert any("harbour reopened" in k for k in kept)
    assert any("Repairs will cost" in k for k in kept)
    assert "Leave a Reply" in dropped and "Photo: Jane Doe" in dropped
    assert any("newsletter" in d for d in dropped)


def test_long_article_paragraph_mentioning_a_newsletter_is_kept() -> None:
    text = (
        "The minister said "
        + "the plan will proceed as agreed. " * 30
        + "She sign up for a newsletter."
    )
    assert not is_boilerplate(text)


def test_chunks_hold_whole_sentences_within_the_size_limit() -> None:
    text = " ".join(f"Sentence number {i} talks about the harbour." for i in range(40))
    cleaned = clean(text)
    pieces = chunk(text, cleaned, "en", max_chars=200, overlap=1)
    assert len(pieces) > 5
    for piece in pieces:
        assert piece.end - piece.start <= 200
        assert text[piece.start : piece.end].startswith("Sentence number")
        assert text[piece.start : piece.end].endswith("harbour.")
        assert piece.sentences[0][0] == piece.start and piece.sentences[-1][1] == piece.end
    for before, after in itertools.pairwise(pieces):
        assert after.sentences[0] == before.sentences[-1], "neighbours share one sentence"


def test_chunks_never_span_a_dropped_paragraph() -> None:
    cleaned = clean(ARTICLE)
    pieces = chunk(ARTICLE, cleaned, "en", max_chars=2000, overlap=0)
    for piece in pieces:
        assert "Photo: Jane Doe" not in ARTICLE[piece.start : piece.end]


def test_chunk_ids_are_stable_and_depend_on_content() -> None:
    cleaned = clean(ARTICLE)
    first = chunk(ARTICLE, cleaned, "en")
    again = chunk(ARTICLE, clean(ARTICLE), "en")
    assert [chunk_id("a.txt", "h1", p) for p in first] == [
        chunk_id("a.txt", "h1", p) for p in again
    ]
    assert chunk_id("a.txt", "h1", first[0]) != chunk_id("a.txt", "h2", first[0])


def test_every_seed_chunk_satisfies_the_span_invariant() -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    files = sorted(seeds.glob("*.txt"))
    assert files
    for path in files:
        loaded = read_document(SourceFile(path.name, path), 10_000_000)
        original = path.read_text(encoding="utf-8")
        assert loaded.text == original
        cleaned = clean(loaded.text)
        for piece in chunk(loaded.text, cleaned, "en"):
            for s, e in piece.sentences:
                assert piece.start <= s < e <= piece.end
                assert original[s:e].strip() == original[s:e]


def test_title_date_and_language_are_derived() -> None:
    info = describe(ARTICLE, clean(ARTICLE).paragraphs, "fallback")
    assert info.title == "Harbour reopens after storm"
    assert info.language == "en"
    danish = (
        "date 2021-10 Regeringen har besluttet at havnen skal åbne igen på mandag efter stormen."
    )
    described = describe(danish, clean(danish).paragraphs, "x")
    assert described.date == "2021-10"
    assert described.language == "da"


def test_a_leading_date_label_is_metadata_not_part_of_the_first_sentence() -> None:
    text = " date 2021-10 Han er blevet kritiseret for aftalen. Det sagde han i går.\n\nMere tekst."
    cleaned = clean(text)
    first = text[cleaned.paragraphs[0][0] : cleaned.paragraphs[0][1]]
    assert first.startswith("Han er blevet kritiseret")
    assert [text[s:e] for s, e in cleaned.dropped] == ["date 2021-10 "]
    pieces = chunk(text, cleaned, "da", max_chars=600, overlap=0)
    assert pieces[0].start == pieces[0].sentences[0][0] == 14
    assert describe(text, cleaned.paragraphs, "x").date == "2021-10"
    # A date inside a sentence is text, not a label.
    plain = "The date 2021-10 was chosen for the talks."
    assert clean(plain).paragraphs == ((0, len(plain)),)


def test_dates_in_several_formats() -> None:
    assert document_date("Published June 11, 2021 by the desk", "en") == "2021-06-11"
    assert document_date("Updated 3 March 2020", "en") == "2020-03-03"
    assert document_date("Opdateret 3. marts 2020", "da") == "2020-03-03"
    assert document_date("no date here", "en") == ""


def test_markdown_heading_marks_are_not_part_of_the_title() -> None:
    text = "# Lighthouse restored on the coast\n\nThe lighthouse reopened after repairs."
    assert describe(text, clean(text).paragraphs, "x").title == "Lighthouse restored on the coast"
