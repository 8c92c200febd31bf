"""Sources that disagree: another article's sentence, as relevant and about the same thing, whose
own answer to the question is another number."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.pipeline.check import Checked, Claim, check
from assistant.pipeline.compose import Composer
from assistant.pipeline.conflicts import find_conflicts
from assistant.pipeline.period import month_of
from assistant.pipeline.question import read_question
from assistant.types import Evidence

CITED = Evidence(1, "a.txt", "A", 0, 50, "Biden set August 31 as the final deadline.", 1.0, "en", 0)
OTHER = Evidence(2, "b.txt", "B", 0, 60, "Biden lovede, at alle tropper var ude 11. september.",
                 0.95, "da", 1)  # fmt: skip
SAME_ARTICLE = Evidence(3, "a.txt", "A", 60, 90, "Earlier it was May 1 instead.", 0.99, "en", 0)
WEAK = Evidence(4, "c.txt", "C", 0, 40, "The war cost 2,300 American lives.", 0.5, "en", 2)
CLAIM = Claim("August 31", CITED, 1.0)


def _reread(answers: dict[str, str]):  # type: ignore[no-untyped-def]
    """A model that answers from the one sentence it is shown, as scripted."""

    def reread(evidence: Sequence[Evidence]) -> Checked:
        draft = answers.get(evidence[0].source, "NOT FOUND")
        return check(draft, "By when were the troops to leave?", evidence, "en", lambda t: 1.0)

    return reread


def _find(answers: dict[str, str], related: float = 0.9, pool=(OTHER, SAME_ARTICLE, WEAK)):  # type: ignore[no-untyped-def]
    return find_conflicts(
        [CLAIM], list(pool), _reread(answers), lambda a, b: related, margin=0.15, min_related=0.7
    )


def test_another_article_answering_with_another_date_is_a_conflict() -> None:
    (conflict,) = _find({"b.txt": "11. september [1]"})
    assert conflict.other.text == "11. september" and conflict.other.evidence == OTHER
    assert conflict.describe() == "August 31 (a.txt) vs 11. september (b.txt)"


def test_agreeing_unrelated_weak_or_same_article_sentences_are_no_conflict() -> None:
    assert _find({"b.txt": "NOT FOUND"}) == []  # the model finds no answer there
    assert _find({"b.txt": "11. september [1]"}, related=0.5) == []  # about something else
    assert _find({"c.txt": "2,300 [1]"}, pool=(WEAK,)) == []  # far less relevant
    assert _find({"a.txt": "May 1 [1]"}, pool=(SAME_ARTICLE,)) == []  # the same article
    agreeing = Evidence(5, "d.txt", "D", 0, 30, "The deadline was 31 August 2021.", 0.97, "en", 3)
    assert _find({"d.txt": "31 August 2021 [1]"}, pool=(agreeing,)) == []  # the same day


def test_the_answer_says_so_and_cites_each_side() -> None:
    conflicts = _find({"b.txt": "11. september [1]"})
    question = read_question("By when?", "By when were the troops to leave?", "en")
    composed = Composer(lambda text, lang: "September 11")([CLAIM], question, conflicts)
    assert composed.text == "August 31 [1] However, another source gives September 11. [2]"
    assert [c.source for c in composed.citations] == ["a.txt", "b.txt"]


def test_sources_of_different_dates_say_which_is_newer_in_the_questions_language() -> None:
    conflicts = _find({"b.txt": "11. september [1]"})
    question = read_question("By when?", "By when were the troops to leave?", "en")
    compose = Composer(lambda text, lang: "September 11")
    dated = compose([CLAIM], question, conflicts, {"a.txt": "2021-08-20", "b.txt": "2021-10-18"})
    assert dated.text == (
        "August 31 [1] However, as of October 2021, a newer source gives September 11. [2]"
    )
    older = compose([CLAIM], question, conflicts, {"a.txt": "2021-10-18", "b.txt": "2020-08-20"})
    assert older.text.endswith(
        "That is as of October 2021; an older source, from August 2020, gives September 11. [2]"
    )
    same_month = compose(
        [CLAIM], question, conflicts, {"a.txt": "2021-10-01", "b.txt": "2021-10-18"}
    )
    undated = compose([CLAIM], question, conflicts, {"a.txt": "2021-10-18"})
    for plain in (same_month, undated):
        assert plain.text == "August 31 [1] However, another source gives September 11. [2]"
    danish = read_question("Hvornår?", "Hvornår skulle tropperne ud?", "da")
    older_b = compose([CLAIM], danish, conflicts, {"a.txt": "2021-10-18", "b.txt": "2021-08-20"})
    assert older_b.text.endswith(
        "Det er pr. oktober 2021; en ældre kilde, fra august 2021, angiver 11. september. [2]"
    )
    german = read_question("Bis wann?", "Bis wann sollten die Truppen abziehen?", "de")
    newer_de = compose([CLAIM], german, conflicts, {"a.txt": "2021-08-20", "b.txt": "2021-10-18"})
    assert "Stand Oktober 2021" in newer_de.text


def test_a_month_and_year_in_each_language_and_a_sensible_fallback() -> None:
    assert month_of("2021-10-18", "en") == "October 2021"
    assert month_of("2021-10", "es") == "octubre de 2021"
    assert month_of("2021-03-02", "fr") == "mars 2021"
    assert month_of("2021", "de") == "2021"
    assert month_of("2021-10-18", "xx") == "October 2021"  # a language without tables
    assert month_of("no date", "en") == "no date"
