"""The check of a draft against the evidence sentences it cites."""

from __future__ import annotations

import pytest

from assistant.pipeline.check import _brings_news, check
from assistant.pipeline.grounding import locate, numbers, support
from assistant.types import Evidence

EVIDENCE = [
    Evidence(1, "a.txt", "A", 0, 45, "Ghani first fled to Uzbekistan in August.", 1.0, "en", 0),
    Evidence(
        2, "b.txt", "B", 100, 160, "The agreement freed 5,000 prisoners in 2020.", 0.9, "en", 1
    ),
    Evidence(3, "c.txt", "C", 10, 60, "Tom West overtager posten som udsending.", 0.8, "da", 2),
    Evidence(
        4, "d.txt", "D", 0, 50, "Das Werk hatte vier Turbinen und zwölf Kessel.", 0.7, "de", 3
    ),
]


def _check(draft: str, question: str = "Where did Ghani flee first?"):  # type: ignore[no-untyped-def]
    return check(draft, question, EVIDENCE, "en", lambda t: 1.0, min_support=0.6)


def test_an_answer_standing_in_its_sentence_is_kept_with_that_sentence() -> None:
    checked = _check("Uzbekistan [1]")
    assert [(c.text, c.evidence.n) for c in checked.claims] == [("Uzbekistan", 1)]
    assert checked.checks[0].verdict == "supported"


def test_an_answer_cited_to_the_wrong_sentence_is_re_cited() -> None:
    checked = _check("5,000 prisoners [3]", "How many prisoners were freed?")
    assert [c.evidence.n for c in checked.claims] == [2]
    assert checked.checks[0].reason == "citation corrected"


def test_an_answer_restating_the_question_is_judged_by_what_it_adds() -> None:
    question = "Which country did the president of Afghanistan escape to?"
    checked = _check("The president of Afghanistan escaped to Uzbekistan [1]", question)
    assert [(c.text, c.evidence.n) for c in checked.claims] == [("Uzbekistan", 1)]
    wrong = _check("The president of Afghanistan escaped to Kazakhstan [1]", question)
    assert not wrong.claims and wrong.checks[0].verdict == "unsupported"


def test_what_a_restating_answer_adds_is_its_longest_run_of_new_words() -> None:
    from assistant.pipeline.check import _news

    question = "What do supporters of Islamism believe their views reflect?"
    assert _news("They believe their views reflect the Islam", question, "en") == "the Islam"
    assert _news("Islam", question, "en") == "Islam"  # all of it is new: as written
    asked = "Wohin floh Ghani zuerst?"
    assert _news("Ghani, der Präsident, floh nach Usbekistan im August", asked, "de") == (
        "nach Usbekistan im August"
    )


def test_an_answer_no_sentence_holds_is_dropped() -> None:
    for draft in ("Kazakhstan [1]", "7,000 prisoners [2]", "Ghani fled in 2021 [1]"):
        checked = _check(draft)
        assert not checked.claims and checked.checks[0].verdict == "unsupported", draft


def test_repeating_the_question_or_a_bare_number_or_not_found_is_no_answer() -> None:
    assert not _check("Ghani first fled [1]", "Where had Ghani first fled to?").claims
    assert not _check("[1]").claims
    refused = _check("NOT FOUND")
    assert not refused.claims and refused.refused


def test_the_model_wrapping_is_taken_off_the_answer() -> None:
    checked = _check('Answer: "Uzbekistan." [1]')
    assert checked.claims[0].text == "Uzbekistan"


def test_each_line_is_one_answer_with_its_own_source() -> None:
    checked = _check("Uzbekistan [1]\n5,000 [2]", "Where did Ghani flee, and how many were freed?")
    assert [(c.text, c.evidence.n) for c in checked.claims] == [("Uzbekistan", 1), ("5,000", 2)]


def test_a_number_the_source_spells_out_is_written_as_the_source_writes_it() -> None:
    checked = _check("4 [4]", "Wie viele Turbinen hatte das Werk?")
    assert checked.claims[0].text == "vier"
    assert numbers("zwölf Kessel", "de") == {"12"} and numbers("zwölf Kessel") == set()


def test_what_stands_is_said_in_the_sentences_own_words() -> None:
    sentence = Evidence(1, "k.txt", "K", 0, 80, "Most were aged 9–18 and lived in the Coast Province.",
                        1.0, "en", 0)  # fmt: skip
    assert locate("9-18 years old", sentence) == "9–18"
    assert locate("the coast province", sentence) == "the Coast Province"
    assert locate("Coast Province people", sentence) == "Coast Province"
    assert locate("aged 9-18, in the Coast", sentence) == "aged 9–18 and lived in the Coast"
    assert locate("Most aged Province", sentence) == "Most aged Province"  # too far apart
    checked = check("9-18 years old [1]", "How old were most of them?", [sentence], "en",
                    lambda t: 1.0, min_support=0.5)  # fmt: skip
    assert checked.claims[0].text == "9–18"


def test_of_two_stretches_alike_the_one_with_the_answers_own_word_is_taken() -> None:
    sentence = Evidence(1, "i.txt", "I", 0, 99, "Islamism is contested, as its supporters say "
                        "their views reflect Islam.", 1.0, "en", 0)  # fmt: skip
    assert locate("Islam", sentence) == "Islam"  # not "Islamism", which only shares its stem
    assert locate("islamisms", sentence) == "Islamism"


def test_support_is_full_in_order_and_partial_by_content_words() -> None:
    sentence = EVIDENCE[1]
    assert support("5,000 prisoners", sentence, lambda t: 1.0) == 1.0
    assert support("prisoners freed", sentence, lambda t: 1.0) == 1.0  # stems, any order
    assert support("5.000", sentence, lambda t: 1.0) == 1.0  # the same number, other separator
    assert 0 < support("prisoners of war freed", sentence, lambda t: 1.0) < 1
    assert support("6,000 prisoners", sentence, lambda t: 1.0) == 0.0


def test_an_answer_found_only_across_languages_is_put_into_the_questions_language() -> None:
    from assistant.pipeline.check import Checker
    from assistant.pipeline.compose import Composer
    from assistant.pipeline.question import read_question

    to_danish = {"the post of envoy": "posten som udsending"}
    asked: list[tuple[str, str]] = []

    def translate(text: str, language: str) -> str:
        asked.append((text, language))
        return to_danish.get(text, text) if language == "da" else text

    checker = Checker(lambda t: 1.0, 0.6, translate)
    question = read_question("Which post?", "Which post does Tom West take over?", "en")
    checked = checker("the post of envoy [3]", question.text, EVIDENCE, "en")
    # The check found it by translating it; its words already read as English, so the claim is
    # English, and composing does not send it to be translated again.
    claims = [(c.text, c.evidence.n, c.language) for c in checked.claims]
    assert claims == [("the post of envoy", 3, "en")]
    assert Composer(translate)(checked.claims, question).text == "the post of envoy [1]"
    assert asked == [("the post of envoy", "da")]


def test_an_answer_the_model_wrote_in_the_questions_language_keeps_its_words() -> None:
    """From a German sentence, "Islamist regime" stays as the model wrote it (putting the
    sentence's "islamistisches Regime" back into English came out "Islamic regime"); a copy of
    the sentence's words, or a bare number, is said in the sentence's words, to be translated."""
    from assistant.pipeline.compose import Composer
    from assistant.pipeline.question import read_question

    german = Evidence(
        1, "s.txt", "S", 0, 101, "Viele Jahre lang herrschte im Sudan ein islamistisches Regime "
        "unter der Führung von Hassan al-Turabi, das drei Jahrzehnte hielt.", 1.0, "de", 0,
    )  # fmt: skip
    asked = "What type of regime ruled over Sudan for many years?"
    claims = {draft: check(draft, asked, [german], "en", lambda t: 1.0).claims[0]
              for draft in ("Islamist regime [1]", "islamistisches Regime [1]", "3 [1]")}  # fmt: skip
    assert [(c.text, c.language) for c in claims.values()] == [
        ("Islamist regime", "en"),
        ("islamistisches Regime", "de"),
        ("drei", "de"),
    ]
    translated: list[str] = []

    def translate(text: str, language: str) -> str:
        translated.append(text)
        return "Islamic regime"

    question = read_question(asked, asked, "en")
    composed = Composer(translate)([claims["Islamist regime [1]"]], question)
    assert composed.text == "Islamist regime [1]" and translated == []
    Composer(translate)([claims["islamistisches Regime [1]"]], question)
    assert translated == ["islamistisches Regime"]


def test_a_source_number_cut_off_at_the_end_of_the_draft_still_counts() -> None:
    from assistant.pipeline.check import answers

    assert answers("Uzbekistan [1]\nin 2020 [2") == ["Uzbekistan [1]", "in 2020 [2]"]
    assert answers("Ghani first fled to Uzbekistan in August. [") == [
        "Ghani first fled to Uzbekistan in August"
    ]
    checked = _check("Ghani first fled to Uzbekistan [")
    assert [c.evidence.n for c in checked.claims] == [1]


@pytest.mark.parametrize(
    ("language", "question", "repeat", "news"),
    [
        ("en", "What do supporters of Islamism believe?", "supporter of Islamism", "Islam"),
        ("en", "Why did the envoy resign?", "The envoys resigned", "Taliban"),
        ("da", "Hvornår trådte ministeren tilbage?", "Ministre trådte tilbage", "i august"),
        ("de", "Wer hat die Gebäude gebaut?", "Gebäude baute", "Bauarbeiter"),
        ("fr", "Qui a construit les maisons ?", "Construit la maison", "construction"),
        ("es", "¿Quién renunció al cargo?", "Renunciaron al cargo", "la renuncia"),
        ("xx", "Qui kubwa resign?", "resign", "Taliban"),  # no dictionary: the words as written
    ],
)
def test_an_answer_is_news_unless_its_words_are_the_questions_inflected(
    language: str, question: str, repeat: str, news: str
) -> None:
    """Inflections fold ("resigned" repeats "resign"); derivations do not ("Islam" answers a
    question about "Islamism", "construction" one about building)."""
    assert _brings_news(news, question, language)
    assert not _brings_news(repeat, question, language)
