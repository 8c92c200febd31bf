"""Grounding: whether, and where, an evidence sentence holds an answer.

No grammar of any language is needed: a word of the answer matches a word of the sentence when
they are the same, or the same after the sentence language's stemmer (so "prisoner" finds
"prisoners"), and a number matches in digits or in the language's number words ("4" finds
"four"); every number of the answer must be in the sentence. Words are weighted by rarity (BM25's
idf), so "the" counts for next to nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.language import table
from assistant.types import Evidence
from vectorstore.languages import stemmer

Idf = Callable[[str], float]

_NUMBER = re.compile(r"\d+(?:[.,\s’']\d+)*")
_WORD = re.compile(r"\w+")


def ground(
    text: str, cited: Sequence[Evidence], evidence: Sequence[Evidence], idf: Idf, needed: float
) -> tuple[float, Evidence] | None:
    """The best sentence holding the answer: the cited one when it does, else any other."""
    for group in (cited, evidence):
        scored = [(support(text, e, idf), e) for e in group]
        scored = [(s, e) for s, e in scored if s >= needed]
        if scored:
            return max(scored, key=lambda item: (item[0], -item[1].n))
    return None


def support(text: str, sentence: Evidence, idf: Idf) -> float:
    """How well a sentence holds an answer: 1 when it holds its words in order, else the
    rarity-weighted share of the answer's words it holds (a word matches in any inflection the
    sentence's stemmer folds together, a number in digits or in words), or `NUMBERS_HOLD` when
    the answer holds numbers; 0 when a number of the answer is not in it."""
    if not numbers(text) <= numbers(sentence.text, sentence.language):
        return 0.0
    mine, held = _tokens(text, sentence.language), _tokens(sentence.text, sentence.language)
    if not mine:
        return 0.0
    if any(all(_same(a, b) for a, b in zip(mine, held[i:], strict=False))
           for i in range(len(held) - len(mine) + 1)):  # fmt: skip
        return 1.0
    total = sum(idf(t.stem) for t in mine)
    found = sum(idf(t.stem) for t in mine if any(_same(t, h) for h in held))
    share = found / total if total else 0.0
    # An answer whose numbers all stand in the sentence holds by them ("9-18 years old" for
    # "aged 9–18"): the words around a number are the model's, the number is the source's.
    return max(share, NUMBERS_HOLD) if numbers(text) else share


NUMBERS_HOLD = 0.75
"""The support of an answer whose every number stands in the sentence, at the least."""


def locate(text: str, sentence: Evidence) -> str:
    """The sentence's own words for the answer: the shortest stretch of the sentence holding the
    most of the answer's words ("9-18 years old" → "9–18", "4" → "four", "the commission" →
    "the Commission"); the answer as written when its words lie too far apart to be one phrase."""
    mine, held = _tokens(text, sentence.language), _tokens(sentence.text, sentence.language)
    hits = [(i, {j for j, t in enumerate(mine) if _same(t, h)}) for i, h in enumerate(held)]
    hits = [(i, matched) for i, matched in hits if matched]
    written = {t.word for t in mine}
    best: tuple[int, int, int, int] | None = None  # (-covered, length, words only alike, first)
    for x, (first, _) in enumerate(hits):
        covered: set[int] = set()
        alike = 0  # matched by stem or value, not as written: "Islamism" for "Islam"
        for last, matched in hits[x:]:
            covered |= matched
            alike += held[last].word not in written
            key = (-len(covered), last - first, alike, first)
            if best is None or key < best:
                best = key
    if best is None or best[1] + 1 > len(mine) + 3:
        return text
    first, last = best[3], best[3] + best[1]
    return sentence.text[held[first].start : held[last].end]


@dataclass(frozen=True)
class _Token:
    word: str
    stem: str
    number: str
    start: int
    end: int


def _tokens(text: str, language: str) -> list[_Token]:
    """The words of a text, with their stems, numeric values and places in it."""
    stem = stemmer(language)
    words = table(language).number_words
    out = []
    for match in _WORD.finditer(text):
        word = unicodedata.normalize("NFKC", match.group(0)).casefold()
        value = word if word.isdigit() else str(words.index(word) + 2) if word in words else ""
        root = stem.stemWord(word) if stem is not None else word
        out.append(_Token(word, root, value, match.start(), match.end()))
    return out


def _same(a: _Token, b: _Token) -> bool:
    if a.number or b.number:
        return a.number == b.number
    return a.word == b.word or a.stem == b.stem


def numbers(text: str, language: str = "") -> set[str]:
    """The numbers of a text as bare digits ("17,786,419" and "17.786.419" are one number);
    with a language, its number words count too ("four" is 4)."""
    found = {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}
    spelled = table(language).number_words if language else ()
    if spelled:
        held = set(words(text))
        found |= {str(i + 2) for i, word in enumerate(spelled) if word in held}
    return found


def words(text: str) -> list[str]:
    """The lower-cased words of a text."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
