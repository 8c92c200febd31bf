"""Reading a question: its parts, a request for a quotation, and whether it leans on the
conversation, from the language tables only."""

from __future__ import annotations

import pytest

from assistant.pipeline.question import (
    asks_for_quote,
    leans_on_history,
    proper_names,
    read_question,
    split_parts,
)


@pytest.mark.parametrize(
    ("question", "language", "parts"),
    [
        (
            "Where did Ashraf Ghani first flee, and on what date did the Taliban take Kabul?",
            "en",
            ["Where did Ashraf Ghani first flee", "on what date did the Taliban take Kabul?"],
        ),
        (
            "Hvor mange fanger blev løsladt, og hvem blev løsladt fra Pakistan?",
            "da",
            ["Hvor mange fanger blev løsladt", "hvem blev løsladt fra Pakistan?"],
        ),
        (
            "Wo liegt Bosnien und Herzegowina, und wann wurde es gegründet?",
            "de",
            ["Wo liegt Bosnien und Herzegowina", "wann wurde es gegründet?"],
        ),
        (
            "Qui a signé le traité, et quand est-il entré en vigueur ?",
            "fr",
            ["Qui a signé le traité", "quand est-il entré en vigueur ?"],
        ),
        (
            "¿Quién ganó la final, y dónde se jugó el partido?",
            "es",
            ["¿Quién ganó la final", "dónde se jugó el partido?"],
        ),
        ("Who signed the treaty? When did it come into force?", "en",
         ["Who signed the treaty?", "When did it come into force?"]),
    ],
)  # fmt: skip
def test_a_compound_question_splits_into_its_questions(
    question: str, language: str, parts: list[str]
) -> None:
    assert split_parts(question, language) == parts


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of Bosnia and Herzegovina?",
        "How old were Zalmay Khalilzad and General Mark Milley?",
        "Which rivers, and which lakes, feed the Rhine?",  # no question after the joiner
    ],
)
def test_one_question_stays_whole(question: str) -> None:
    assert split_parts(question, "en") == [question]


def test_a_language_without_a_table_splits_only_at_question_marks() -> None:
    assert split_parts("Kuka voitti ottelun, ja missä se pelattiin?", "fi") == [
        "Kuka voitti ottelun, ja missä se pelattiin?"
    ]
    assert len(split_parts("Kuka voitti ottelun eilen? Missä se pelattiin?", "fi")) == 2


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Quote what the envoy said about the talks.", "en"),
        ("Citér hvad udsendingen sagde om forhandlingerne.", "da"),
        ("Gib das Zitat des Gesandten wieder.", "de"),
        ("Donne la citation exacte de l'envoyé.", "fr"),
        ("Dame la cita exacta del enviado.", "es"),
    ],
)
def test_a_request_for_the_sources_words_is_seen(question: str, language: str) -> None:
    assert asks_for_quote(question, language)
    assert read_question(question, question, language).quote


def test_an_ordinary_question_asks_for_no_quotation() -> None:
    assert not asks_for_quote("Who wrote the report on the talks?", "en")


def test_follow_ups_lean_on_the_conversation_and_full_questions_do_not() -> None:
    assert leans_on_history("How old is he?", "en")
    assert leans_on_history("Hvilken stilling havde han før?", "da")
    assert leans_on_history("Und wo lebt er heute?", "de")
    assert leans_on_history("In which city did the signing take place?", "en")  # names nothing
    assert not leans_on_history("Which ambassador posts did Khalilzad hold under Bush?", "en")


def test_names_are_found_in_any_script_with_capitals() -> None:
    assert proper_names("Wer baute das Schloss Élysée und die Øresund-Brücke?") >= {
        "élysée",
        "øresund-brücke",
        "schloss",
    }
    assert "wer" not in proper_names("Wer baute das Schloss?")  # a sentence's first word
