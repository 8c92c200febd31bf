"""The kind of answer a question asks for, and whether a sentence holds one."""

from __future__ import annotations

import pytest

from assistant.expect import (
    capitalised,
    expected,
    full_names,
    holds_answer,
    mentions,
    without_years,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many prisoners were released?", "number"),
        ("Hvor gammel er han?", "age"),
        ("What age was the general?", "age"),
        ("How long did the talks last?", "duration"),
        ("For how long had they been negotiating?", "duration"),
        ("How much longer do Afghans live now?", "duration"),
        ("Hvor længe var militæret i landet?", "duration"),
        ("How much money was spent?", "number"),
        ("When did the troops leave?", "date"),
        ("Hvornår trådte han tilbage?", "date"),
        ("Who took over the post?", "name"),
        ("Which news agency reported it?", "name"),
        ("What is his wife's name?", "name"),
        ("Where did Ghani flee first?", "place"),
        ("What did he say about the talks?", None),
    ],
)
def test_questions_ask_for_a_kind_of_answer(question: str, kind: str | None) -> None:
    assert expected(question) == kind


def test_a_sentence_holds_an_answer_only_if_it_has_that_kind_of_thing() -> None:
    many = "How many US soldiers died in the airport bombing?"
    assert not holds_answer("Hundreds of thousands of Afghans died in the war.", many)
    assert holds_answer("13 US service members died.", many)
    assert holds_answer("Han var 70 år.", "Hvor gammel var han?")
    old = "How old is the envoy?"
    for sentence in ("The 70-year-old envoy spoke.", "Khalilzad, 70, said so.", "den 70-årige"):
        assert holds_answer(sentence, old)
    assert not holds_answer("On September 28, the envoy spent 20 years in talks.", old)
    assert not holds_answer("Militæret var i Afghanistan i 20 år.", "Hvor gammel er han?")
    assert holds_answer("It took effect on Tuesday.", "Hvilken ugedag trådte det i kraft?")
    assert holds_answer("His resignation took effect on Tuesday.", "When did it take effect?")
    assert not holds_answer("He resigned after the collapse.", "When did he resign?")
    long = "For how long had the two sides been negotiating?"
    for sentence in (
        "They have talked for the past 10 months.",
        "the twenty-year war",
        "i 20 år",
        "for about two decades",
        "They have met since 2019.",
    ):
        assert holds_answer(sentence, long), sentence
    assert not holds_answer("The talks led to a deal to leave by May 2021.", long)
    assert not holds_answer("They met on Monday.", long)
    who = "Who replaced Zalmay Khalilzad?"
    assert holds_answer("Thomas West would now fulfill the role.", who)
    assert not holds_answer("He was replaced by his deputy, Khalilzad said.", who)
    assert holds_answer("Anything at all.", "Why did the talks stall?")


def test_full_names_and_mentions() -> None:
    assert full_names("How old is General Mark Milley?") == {"milley"}
    assert full_names("What had President Biden and Antony Blinken said?") == {"biden", "blinken"}
    # A single capitalised word, or the question's first words, make no full name.
    assert full_names("What did Khalilzad say?") == set()
    assert full_names("Zalmay Khalilzad resigned when?") == set()
    assert capitalised("General Mark Milley") == {"general", "mark", "milley"}
    assert mentions("said the 63-year-old general", {"general"})
    assert mentions("Khalilzad’s letter", {"khalilzad"})
    assert not mentions("a marked change", {"mark"})


def test_the_year_of_a_day_can_be_left_out() -> None:
    assert without_years("on August 15, 2021.") == "on August 15."
    assert without_years("den 18. oktober 2021") == "den 18. oktober"
    assert without_years("by May 2021, agreed in 2020") == "by May 2021, agreed in 2020"
