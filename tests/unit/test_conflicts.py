"""Sources that disagree on a date or a number: found in code, said in the answer, both cited."""

from __future__ import annotations

from assistant.conflicts import asked_kind, find_conflicts, values, with_conflicts
from assistant.types import Citation, Evidence
from assistant.verify import Verified


def _evidence(source: str, text: str, score: float = 1.0, language: str = "en") -> Evidence:
    return Evidence(0, source, source.upper(), 0, len(text), text, score, language, 0)


AUG = _evidence("a.txt", "The president later moved the date to August 31.", 1.0)
SEPT = _evidence("b.txt", "It is in line with the order to get out by Sept. 11.", 0.95)
SEPT_DA = _evidence("c.txt", "Tilbagetrækningen skulle afsluttes senest 11. september.", 0.9, "da")
AUG_AGAIN = _evidence("d.txt", "Troops left the country by August 31.", 0.97)
FAR = _evidence("e.txt", "The attacks of September 11 changed everything.", 0.4)


def test_values_read_dates_in_both_languages_and_counted_numbers() -> None:
    assert [v.value for v in values("by Sept. 11 and 31 August")] == [(9, 11), (8, 31)]
    assert values("senest 11. september", "da")[0].value == (9, 11)
    assert values("by May 2021")[0].kind == "month"
    (age,) = values("The 70-year-old envoy")
    assert (age.key, age.value) == ("envoy", (70,))
    prisoners = values("releasing 5,000 prisoners")[0]
    assert prisoners.value == (5000,) and prisoners.key == "prison"


def test_only_date_and_number_questions_are_checked() -> None:
    assert asked_kind("By what date were the troops to leave?") == "date"
    assert asked_kind("Hvornår skulle tropperne være ude?") == "date"
    assert asked_kind("How many prisoners were released?") == "number"
    assert asked_kind("Who took over the post?") is None


def test_a_different_deadline_from_other_sources_is_a_conflict() -> None:
    question = "By what date were the last troops to be out?"
    answer = "The last troops were to be out by August 31. [1]"
    pool = [AUG, SEPT, SEPT_DA, AUG_AGAIN, FAR]
    conflicts = find_conflicts(question, "en", answer, [AUG], pool, lambda e: e.score, 0.85)
    assert [(c.value.value, c.other_value.value, c.other.source) for c in conflicts] == [
        ((8, 31), (9, 11), "b.txt")
    ]


def test_agreeing_or_unrelated_sources_are_no_conflict() -> None:
    question = "By what date were the last troops to be out?"
    answer = "By August 31. [1]"
    assert not find_conflicts(
        question, "en", answer, [AUG], [AUG_AGAIN, FAR], lambda e: e.score, 0.85
    )
    assert not find_conflicts("Who set the date?", "en", answer, [AUG], [SEPT], lambda e: 1.0, 0)


def test_numbers_about_different_things_do_not_conflict() -> None:
    envoy = _evidence("a.txt", "The 70-year-old envoy spent years in talks.")
    general = _evidence("b.txt", "said the 63-year-old general, the top military advisor.")
    found = find_conflicts(
        "How old is the envoy?", "en", "He is 70. [1]", [envoy], [general], lambda e: 1.0, 0.5
    )
    assert found == []


def test_the_answer_says_so_and_cites_each_side() -> None:
    question = "By what date were the last troops to be out?"
    verified = Verified(
        text="The last troops were to be out by August 31. [1]",
        citations=(Citation(1, "a.txt", "A.TXT", 0, len(AUG.text), AUG.text),),
        checks=(),
        found=True,
    )
    conflicts = find_conflicts(question, "en", verified.text, [AUG], [SEPT], lambda e: 1.0, 0.5)
    checked = with_conflicts(verified, conflicts, "en")
    assert checked.text.startswith(verified.text)
    assert "Sept. 11" in checked.text and checked.text.endswith("[2]")
    assert [(c.n, c.source) for c in checked.citations] == [(1, "a.txt"), (2, "b.txt")]
    assert checked.citations[1].text == SEPT.text
