"""Dates written in a text (`vectorstore.dates`) and the period a question asks about
(`assistant.pipeline.period`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pipeline.period import Period, overlaps, period_in
from vectorstore.dates import DateMention, document_date, iso_span, mentions
from vectorstore.text import detect_language

pytestmark = pytest.mark.unit

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def written(text: str, language: str) -> list[tuple[str, str, str]]:
    """Each mention as (the text it spans, its ISO date, its precision)."""
    return [(text[m.start : m.end], m.iso, m.precision) for m in mentions(text, language)]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "He resigned on 18 October 2021.", ("18 October 2021", "2021-10-18")),
        ("en", "Thursday, October 18, 2021, in Washington", ("October 18, 2021", "2021-10-18")),
        ("en", "on the 1st of March 2020 it", ("1st of March 2020", "2020-03-01")),
        ("en", "since Sept. 11, 2001 the", ("Sept. 11, 2001", "2001-09-11")),
        ("da", "Han gik af den 18. oktober 2021.", ("18. oktober 2021", "2021-10-18")),
        ("da", "fra 1. maj 2021", ("1. maj 2021", "2021-05-01")),
        ("de", "Er trat am 18. Oktober 2021 zurück.", ("18. Oktober 2021", "2021-10-18")),
        ("de", "Am 3. März 2020 begann", ("3. März 2020", "2020-03-03")),
        ("fr", "Il a démissionné le 18 octobre 2021.", ("18 octobre 2021", "2021-10-18")),
        ("fr", "le 1er août 2021, Kaboul", ("1er août 2021", "2021-08-01")),
        ("es", "Renunció el 18 de octubre de 2021.", ("18 de octubre de 2021", "2021-10-18")),
        ("es", "el 1º de enero del 2020", ("1º de enero del 2020", "2020-01-01")),
    ],
)
def test_a_full_date_in_each_language_is_found_with_its_exact_span(
    language: str, text: str, expected: tuple[str, str]
) -> None:
    assert written(text, language) == [(*expected, "day")]


@pytest.mark.parametrize(
    ("language", "text", "as_written"),
    [
        ("en", "What happened in August 2021?", "August 2021"),
        ("da", "Hvad skete der i august 2021?", "august 2021"),
        ("de", "Was geschah im August 2021?", "August 2021"),
        ("fr", "Que s'est-il passé en août 2021 ?", "août 2021"),
        ("es", "¿Qué pasó en agosto de 2021?", "agosto de 2021"),
    ],
)
def test_a_month_of_a_year_has_month_precision(language: str, text: str, as_written: str) -> None:
    assert written(text, language) == [(as_written, "2021-08", "month")]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "filed 2021-10-18 and 2021/10/19", ["2021-10-18", "2021-10-19"]),
        ("en", "date 2021-10 Han", ["2021-10"]),
        ("de", "Stand: 18.10.2021", ["2021-10-18"]),
        ("da", "opdateret 05/06/2021", ["2021-06-05"]),
        ("fr", "le 05-06-2021", ["2021-06-05"]),
        ("en", "on 18/10/2021 and 10/18/2021", ["2021-10-18", "2021-10-18"]),
        ("en", "on 05/05/2021", ["2021-05-05"]),
    ],
)
def test_numeric_dates_are_read_day_first_where_the_language_writes_them_so(
    language: str, text: str, expected: list[str]
) -> None:
    assert [m.iso for m in mentions(text, language)] == expected


def test_an_english_numeric_date_that_reads_both_ways_is_left_out() -> None:
    assert mentions("on 05/06/2021", "en") == []


def test_the_season_2010_11_is_not_read_as_november_2010() -> None:
    assert written("the 2010-11 season", "en") == [("2010", "2010", "year")]


@pytest.mark.parametrize(
    ("language", "text", "years"),
    [
        ("en", "In 1998 the envoy arrived.", ["1998"]),
        ("en", "In 2010 the envoy arrived; by 2020, he was gone.", ["2010", "2020"]),
        ("en", "from 2019 to 2021, talks went on", ["2019", "2021"]),
        ("en", "the Treaty of Rome 1957 and the Act 1855, which", ["1957", "1855"]),
        ("en", "during his mid-2013 trip", ["2013"]),
        ("en", "the theatre (1922–26) was", ["1922"]),
        ("en", "al-Biruni (973–1048 CE)", ["1048"]),
        ("de", "1998 wurde er gewählt.", ["1998"]),
        ("de", "Polonia wurde 2013 wegen Geldnot verwiesen.", ["2013"]),
        ("de", "im Jahr 2000 und von 1870 bis 1939", ["2000", "1870", "1939"]),
        ("de", "Was geschah 2021?", ["2021"]),
        ("da", "I 1998 blev han udsendt.", ["1998"]),
        ("fr", "jusqu'en 2005 et depuis l'année 1998", ["2005", "1998"]),
        ("es", "Desde 1998 hasta 2005", ["1998", "2005"]),
    ],
)
def test_a_bare_year_counts_where_the_words_around_it_make_it_a_year(
    language: str, text: str, years: list[str]
) -> None:
    found = mentions(text, language)
    assert [m.iso for m in found] == years
    assert all(m.precision == "year" and text[m.start : m.end] == m.iso for m in found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Some 1,998 people were evacuated."),
        ("en", "The ticket cost £2021 or $1998 or 2021 €."),
        ("en", "Call +45 3312 2021 or 555-2021 today."),
        ("en", "See Page 2021 of the report."),
        ("en", "In 2000 people died and 1500 soldiers left."),
        ("en", "the first time in 2000 years, in 1500 cases"),
        ("en", "It scored 12 points, 42.5 per cent, 2021.5 units and 20211018."),
        ("en", "the 1990s and the 1930's"),
        ("de", "Seite 2021 zeigt, dass 2000 Menschen kamen; 1.998 Euro."),
        ("da", "2000 personer mødte op på side 2021."),
        ("fr", "de 2000 personnes, page 2021"),
        ("es", "de 2000 personas, página 2021"),
        ("en", "He resigned on Monday; yesterday and tomorrow, in May."),
        ("en", "filed 2021-13-01 and 2021-02-30"),
    ],
)
def test_numbers_prices_labels_counts_and_relative_days_are_not_dates(
    language: str, text: str
) -> None:
    assert mentions(text, language) == []


def test_an_impossible_day_is_no_day() -> None:
    assert [m.precision for m in mentions("on 31 February 2021", "en")] != ["day"]


def test_an_unknown_language_reads_numeric_iso_and_english_dates_but_no_bare_years() -> None:
    text = "xyz 18 October 2021, 18.10.2021, 2021-10-18, agosto 2021, in 1998"
    assert written(text, "xx") == [
        ("18 October 2021", "2021-10-18", "day"),
        ("18.10.2021", "2021-10-18", "day"),
        ("2021-10-18", "2021-10-18", "day"),
    ]


def test_a_full_date_is_one_mention_not_a_month_and_a_year() -> None:
    assert written("Am 18. Oktober 2021", "de") == [("18. Oktober 2021", "2021-10-18", "day")]


def test_the_declared_date_comes_first_then_the_dateline_then_the_creation_date() -> None:
    text = "KABUL, 18 October 2021 - The envoy resigned."
    assert document_date(text, "en", {"date": "2021-10-19", "created": "2020-01-01"}) == (
        "2021-10-19"
    )
    assert document_date(text, "en", {"created": "2020-01-01"}) == "2021-10-18"
    assert document_date("No date here.", "en", {"created": "2020-01-01T10:00:00"}) == (
        "2020-01-01"
    )
    assert document_date("No date here.", "en") == ""


def test_a_declared_date_in_another_format_is_normalised() -> None:
    assert document_date("", "en", {"date": "Mon, 18 Oct 2021 10:00:00 GMT"}) == "2021-10-18"
    assert document_date("", "en", {"date": "2021-10-18T10:00:00Z"}) == "2021-10-18"
    assert document_date("", "en", {"date": "yesterday", "created": "2020-01-02"}) == "2020-01-02"


def test_the_document_date_is_a_full_date_or_an_iso_month_near_the_top() -> None:
    assert document_date("date 2021-10 Han er efter ...", "da") == "2021-10"
    assert document_date("In August 2021 the Taliban ... on 20 May 2021", "en") == "2021-05-20"
    assert document_date("Founded in 1998.", "en") == ""
    assert document_date("x" * 700 + " 18 October 2021", "en") == ""


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("en", "What happened in August 2021?"),
        ("de", "Was geschah im August 2021?"),
        ("da", "hvad skete der i august 2021?"),
        ("fr", "Que s'est-il passé en août 2021 ?"),
        ("es", "¿Qué pasó en agosto de 2021?"),
    ],
)
def test_a_question_about_a_month_asks_for_its_days(language: str, question: str) -> None:
    assert period_in(question, language) == Period("2021-08-01", "2021-08-31")


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "What happened in 2021?", Period("2021-01-01", "2021-12-31")),
        ("en", "What happened on 18 October 2021?", Period("2021-10-18", "2021-10-18")),
        ("en", "What happened in February 2024?", Period("2024-02-01", "2024-02-29")),
        ("en", "What happened from 2019 to 2021?", Period("2019-01-01", "2021-12-31")),
        ("en", "between March and May 2021?", Period("2021-03-01", "2021-05-31")),
        ("de", "Was geschah von März bis Mai 2021?", Period("2021-03-01", "2021-05-31")),
        ("da", "hvad skete der fra marts til maj 2021?", Period("2021-03-01", "2021-05-31")),
        ("fr", "Que s'est-il passé de mars à mai 2021 ?", Period("2021-03-01", "2021-05-31")),
        ("es", "¿Qué pasó de marzo a mayo de 2021?", Period("2021-03-01", "2021-05-31")),
        (
            "de",
            "zwischen dem 1. März 2021 und dem 15. April 2021",
            Period("2021-03-01", "2021-04-15"),
        ),
    ],
)
def test_a_question_names_a_day_a_year_or_a_range(
    language: str, question: str, expected: Period
) -> None:
    assert period_in(question, language) == expected


@pytest.mark.parametrize(
    "question",
    [
        "Who is Zalmay Khalilzad?",
        "What happened from 2021 to 2019?",
        "What happened in 2000, 2001 and 2002?",
        "What happened on Monday?",
    ],
)
def test_a_question_without_one_readable_period_has_none(question: str) -> None:
    assert period_in(question, "en") is None


def test_a_month_named_far_from_the_date_does_not_make_a_range() -> None:
    assert period_in("What may have happened in June 2021?", "en") == Period(
        "2021-06-01", "2021-06-30"
    )


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2021", True),
        ("2021-08", True),
        ("2021-08-31", True),
        ("2021-08-15T10:00:00", True),
        ("2021-09-01", False),
        ("2021-07", False),
        ("2020", False),
        ("", False),
        ("not a date", False),
        ("2021-02-30", False),
    ],
)
def test_a_date_of_any_precision_overlaps_a_period_when_they_share_a_day(
    iso: str, expected: bool
) -> None:
    assert overlaps(Period("2021-08-01", "2021-08-31"), iso) is expected


def test_a_year_long_period_overlaps_the_months_and_days_inside_it() -> None:
    year = Period("2019-01-01", "2021-12-31")
    assert overlaps(year, "2019-01") and overlaps(year, "2021-12-31") and overlaps(year, "2020")
    assert not overlaps(year, "2018-12-31") and not overlaps(year, "2022")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_every_mention_in_the_seeds_spans_a_date_inside_the_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    language = detect_language(text[:2000], frozenset({"en", "da"}))
    found = mentions(text, language)
    assert found, path.name
    for mention in found:
        assert isinstance(mention, DateMention)
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end].strip() == text[mention.start : mention.end]
        assert any(ch.isdigit() for ch in text[mention.start : mention.end])
        assert iso_span(mention.iso) is not None
        assert mention.precision == {10: "day", 7: "month", 4: "year"}[len(mention.iso)]


def test_the_danish_seed_is_dated_by_its_iso_month() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    danish = [t for t in texts if detect_language(t[:2000], frozenset({"en", "da"})) == "da"]
    assert [document_date(t, "da") for t in danish] == ["2021-10"]
