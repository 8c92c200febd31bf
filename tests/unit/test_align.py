"""Finding an answer written in another language than its sentence, by meaning."""

from __future__ import annotations

import math

from assistant.pipeline.align import Aligner, phrases
from assistant.pipeline.check import Checker
from assistant.types import Evidence

SENTENCE = Evidence(
    1, "s.txt", "S", 0, 80, "Die Firma Energiprojekt AB in Schweden baute 2004 vier Motoren.", 1.0,
    "de", 0,
)  # fmt: skip
MEANINGS = {"sweden": "SE", "schweden": "SE", "norway": "NO", "four engines": "4M",
            "vier motoren": "4M", "five engines": "5M"}  # fmt: skip


def embed(texts: list[str]) -> list[list[float]]:
    """A fake multilingual embedder: a text means its entry in MEANINGS; others mean nothing
    alike (each its own direction)."""
    axes = sorted(set(MEANINGS.values()) | {t.lower() for t in texts})
    out = []
    for text in texts:
        vector = [0.0] * len(axes)
        vector[axes.index(MEANINGS.get(text.lower(), text.lower()))] = 1.0
        out.append(vector)
    return out


def test_phrases_are_every_stretch_of_up_to_so_many_words() -> None:
    assert phrases("in Schweden baute", 2) == [
        "in", "in Schweden", "Schweden", "Schweden baute", "baute"
    ]  # fmt: skip


def test_the_stretch_meaning_the_answer_stands_for_it() -> None:
    align = Aligner(embed, min_similarity=0.85)
    assert align("Sweden", [SENTENCE]) == (1.0, SENTENCE, "Schweden")
    assert align("four engines", [SENTENCE]) == (1.0, SENTENCE, "vier Motoren")
    assert align("Norway", [SENTENCE]) is None  # nothing there means it


def test_an_answer_with_a_number_the_sentence_lacks_is_not_aligned() -> None:
    def close_to_anything(texts: list[str]) -> list[list[float]]:
        return [[1 / math.sqrt(2), 1 / math.sqrt(2)] for _ in texts]

    align = Aligner(close_to_anything, min_similarity=0.85)
    assert align("in 2005", [SENTENCE]) is None
    assert align("in 2004", [SENTENCE]) is not None


def test_the_check_keeps_an_answer_found_only_by_meaning() -> None:
    checker = Checker(lambda t: 1.0, 0.6, translate=None, align=Aligner(embed, 0.85))
    checked = checker("Sweden [1]", "Where is Energiprojekt AB based?", [SENTENCE], "en")
    # Found through the German sentence, but written in English words: an English claim.
    assert [(c.text, c.evidence.n, c.language) for c in checked.claims] == [("Sweden", 1, "en")]
    assert checked.checks[0].reason == "found by its meaning"
    wrong = checker("Norway [1]", "Where is Energiprojekt AB based?", [SENTENCE], "en")
    assert not wrong.claims and wrong.checks[0].verdict == "unsupported"
