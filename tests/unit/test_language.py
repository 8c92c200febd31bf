"""The language tables: every supported language has each entry, questions are told apart, and a
language without a table takes the neutral path."""

from __future__ import annotations

import pytest

from assistant.language import LANGUAGES, NEUTRAL, not_found_message, question_language, table
from vectorstore.languages import reads_as, stemmer, stopwords
from vectorstore.text import tokenize

SUPPORTED = ("en", "da", "de", "fr", "es")


@pytest.mark.parametrize("code", SUPPORTED)
def test_each_supported_language_has_a_full_table_a_stemmer_and_stop_words(code: str) -> None:
    lang = table(code)
    assert lang is LANGUAGES[code]
    assert lang.not_found and lang.conflict_note.format(value="1", n=2).endswith("[2]")
    assert lang.pronouns and lang.joiners and lang.question_words and lang.quote_words
    assert len(lang.number_words) == 11
    assert stemmer(code) is not None and len(stopwords(code)) > 50


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("Who took over from the envoy in October?", "en"),
        ("Hvem skal overtage Khalilzads post som udsending?", "da"),
        ("Wo befand sich das Sommertheater?", "de"),
        ("Was garantiert das User Datagram Protokoll?", "de"),
        ("Qui a remplacé l'envoyé américain en octobre ?", "fr"),
        ("¿Quién reemplazó al enviado estadounidense en octubre?", "es"),
    ],
)
def test_the_language_of_a_question(question: str, code: str) -> None:
    assert question_language(question, frozenset({"en"})) == code


def test_a_language_without_a_table_takes_the_neutral_path() -> None:
    assert table("fi") is NEUTRAL
    assert not_found_message("fi") == not_found_message("en")
    # no stop words and no Snowball stemmer: words are kept as they are, lower-cased
    assert stopwords("xx") == frozenset() and stemmer("xx") is None
    assert tokenize("Kalevala Runot", "xx") == ["kalevala", "runot"]


def test_stems_follow_the_language_and_function_words_stay_for_idf_to_weigh() -> None:
    assert tokenize("Die Kommissionen", "de") == ["die", "kommission"]
    assert tokenize("The commissions opened", "en") == ["the", "commiss", "open"]


@pytest.mark.parametrize(
    ("language", "theirs", "other"),
    [
        ("en", "Islamist regime", "islamistisches Regime"),
        ("da", "fredsaftale", "peace agreement"),
        ("de", "Friedensabkommen", "fredsaftale"),
        ("fr", "la Commission européenne", "peace agreement"),
        ("es", "acuerdo de paz", "peace agreement"),
    ],
)
def test_a_text_reads_as_a_language_when_its_dictionary_has_every_word(
    language: str, theirs: str, other: str
) -> None:
    assert reads_as(theirs, language)
    assert not reads_as(other, language)
    assert reads_as("17.786.419", language)  # no letters: any reader reads it


def test_without_a_dictionary_only_a_text_without_letters_reads_as_the_language() -> None:
    assert reads_as("1994", "xx")
    assert not reads_as("regime", "xx")
