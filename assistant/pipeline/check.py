"""Check: every line of the draft must stand in the sentence it cites.

The model was asked to copy its answer from a numbered sentence, so the check can be strict and
needs no grammar of any language: the answer's words must occur in that sentence (in order, or
most of them, weighted by rarity; inflections are folded by the sentence language's stemmer), and
every number in the answer must be there too. What stands is then said in the sentence's own
words: the shortest stretch of it that holds the answer. An answer found in another evidence
sentence than the one cited is re-cited to it; an answer found nowhere is dropped. So is one that
only repeats the question's own words, a bare source number, and a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.language import LANGUAGES
from assistant.pipeline.grounding import Idf, ground, locate, words
from assistant.prompt import NOT_FOUND
from assistant.types import Check, Evidence
from vectorstore.languages import has_lemmas, lemma, reads_as
from vectorstore.text import tokenize

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_WORD = re.compile(r"\w+")
_PREAMBLE = re.compile(r"^\W*(?:answer|svar|antwort|réponse|respuesta)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    """One answer of the draft, the evidence sentence it stands in, and the language its words
    are in: the sentence's when copied from it, the question's when written in it, empty when
    not known (composing then puts them into the question's language)."""

    text: str
    evidence: Evidence
    support: float
    language: str = ""


@dataclass(frozen=True)
class Checked:
    """What survived the check, the verdict on every answer of the draft, whether the model
    refused, and the sentences it pointed at with a bare source number."""

    claims: tuple[Claim, ...]
    checks: tuple[Check, ...]
    refused: bool = False
    pointed: tuple[Evidence, ...] = ()


Translate = Callable[[str, str], str]
"""(text, language) → the text in that language."""
Align = Callable[[str, Sequence[Evidence]], "tuple[float, Evidence, str] | None"]
"""(answer, sentences) → (similarity, sentence, its words) meaning the answer (`align.Aligner`)."""


class Checker:
    """Holds each answer of a draft to the evidence sentence it cites.

    An answer the model wrote in the question's language from a sentence in another language
    cannot be found in it word for word; with `translate`, such an answer is put into the
    sentence's language and looked for again (the answer keeps the model's words).
    """

    def __init__(
        self,
        idf: Idf,
        min_support: float = 0.6,
        translate: Translate | None = None,
        align: Align | None = None,
    ):
        self.idf = idf
        self.min_support = min_support
        self.translate = translate
        self.align = align

    def __call__(
        self, draft: str, question: str, evidence: Sequence[Evidence], language: str
    ) -> Checked:
        """The claims of the draft that stand in the evidence, each tied to its sentence."""
        by_n = {e.n: e for e in evidence}
        claims: list[Claim] = []
        checks: list[Check] = []
        pointed: list[Evidence] = []
        refused = False
        for line in answers(draft):
            cited = [by_n[n] for n in _markers(line) if n in by_n]
            marks = tuple(e.n for e in cited)
            text = answer_words(line)
            if NOT_FOUND.lower() in text.lower():
                refused = True
                checks.append(Check(line, marks, "dropped", 0.0, "says not found"))
            elif not _WORD.search(text):
                pointed.extend(cited)
                checks.append(Check(line, marks, "dropped", 0.0, "a source number without words"))
            else:
                claim, verdict = self._claim(text, question, cited, evidence, language)
                checks.append(Check(line, (claim.evidence.n,) if claim else marks, *verdict))
                if claim and not any(c.evidence == claim.evidence and c.text == claim.text
                                     for c in claims):  # fmt: skip
                    claims.append(claim)
        return Checked(tuple(claims), tuple(checks), refused and not claims, tuple(pointed))

    def _claim(
        self,
        text: str,
        question: str,
        cited: Sequence[Evidence],
        evidence: Sequence[Evidence],
        language: str,
    ) -> tuple[Claim | None, tuple[str, float, str]]:
        """The claim an answer makes, and the verdict (verdict, support, reason)."""
        if not _brings_news(text, question, language):
            return None, ("dropped", 0.0, "only repeats the question")
        found = ground(text, cited, evidence, self.idf, self.min_support)
        news = _news(text, question, language)
        if found is None and news != text:  # a sentence restating the question: what it adds
            found = ground(news, cited, evidence, self.idf, self.min_support)
            text = news if found is not None else text
        if found is not None:
            score, source = found
            reason = "in the cited sentence" if source in cited else "citation corrected"
            if _written_in(text, source, language):  # "Islamist regime", "islamistisches Regime"
                return Claim(text, source, score, language), ("supported", score, reason)
            words = locate(text, source)
            if not _brings_news(words, question, language):
                return None, ("dropped", 0.0, "only repeats the question")
            return Claim(words, source, score, source.language), ("supported", score, reason)
        for said in dict.fromkeys((text, news)):
            found = self._across_languages(said, cited, evidence, language)
            if found is not None:
                score, source = found
                claim = Claim(said, source, score, _words_of(said, language))
                return claim, ("supported", score, "found in the source's language")
        aligned = self._by_meaning(news, cited, evidence, language)
        if aligned is not None:
            score, source = aligned
            claim = Claim(news, source, score, _words_of(news, language))
            return claim, ("supported", score, "found by its meaning")
        return None, ("unsupported", 0.0, "no source says this")

    def _by_meaning(
        self, text: str, cited: Sequence[Evidence], evidence: Sequence[Evidence], language: str
    ) -> tuple[float, Evidence] | None:
        """The stretch of a sentence in another language that means what the answer says."""
        if self.align is None:
            return None
        mine = [e for e in cited if e.language not in ("", language)]
        found = self.align(text, mine or [e for e in evidence if e.language not in ("", language)])
        return None if found is None else found[:2]

    def _across_languages(
        self, text: str, cited: Sequence[Evidence], evidence: Sequence[Evidence], language: str
    ) -> tuple[float, Evidence] | None:
        """The answer put into each other language of the evidence and looked for there."""
        if self.translate is None:
            return None
        others = dict.fromkeys(e.language for e in evidence if e.language not in ("", language))
        for other in others:
            translated = self.translate(text, other)
            mine = [e for e in cited if e.language == other]
            theirs = [e for e in evidence if e.language == other]
            found = ground(translated, mine, theirs, self.idf, self.min_support)
            if found is not None:
                return found
        return None


def check(
    draft: str,
    question: str,
    evidence: Sequence[Evidence],
    language: str,
    idf: Idf,
    *,
    min_support: float = 0.6,
) -> Checked:
    """The claims of the draft that stand in the evidence word for word (see `Checker`)."""
    return Checker(idf, min_support)(draft, question, evidence, language)


def answer_words(line: str) -> str:
    """An answer of the draft without its source numbers and the model's wrapping."""
    return clean(_MARKER.sub(" ", line))


def clean(text: str) -> str:
    """An answer line without the model's wrapping: "Answer:", quotes, a final full stop."""
    text = _PREAMBLE.sub("", " ".join(text.split()))
    return text.strip(" \"'“”‘’«»„.,;:").strip()


def _written_in(text: str, source: Evidence, language: str) -> bool:
    """Whether the model wrote the answer in the question's language from a sentence in another:
    its words are not copied from the sentence, and the language's dictionary has each of them.
    Then the answer keeps the model's words; putting the sentence's back into the question's
    language would be a second, worse translation. A bare number takes the sentence's words."""
    if not any(ch.isalpha() for ch in text) or source.language in ("", language):
        return False
    copied = " ".join(text.split()).casefold() in " ".join(source.text.split()).casefold()
    return not copied and reads_as(text, language)


def _words_of(text: str, language: str) -> str:
    """The language of an answer found only through a translation: the question's when its
    dictionary has every word, else "" (copied from the source, or unknown), which composing
    puts into the question's language."""
    return language if reads_as(text, language) else ""


def _brings_news(text: str, question: str, language: str) -> bool:
    """Whether the answer says anything the question does not already say."""
    asked = _asked(question, language)
    return any(not _among(w, asked, language) for w in _WORD.findall(text))


def _news(text: str, question: str, language: str) -> str:
    """What an answer adds to the question: its longest run of words the question does not hold
    (the later of two as long: "They believe their views reflect the Islam" → "the Islam" for
    "What do supporters of Islamism believe their views reflect?"); the answer as written when it
    adds all of its words."""
    asked = _asked(question, language)
    runs: list[list[str]] = [[]]
    for word in _WORD.findall(text):
        if _among(word, asked, language):
            runs.append([])
        else:
            runs[-1].append(word)
    if len(runs) == 1:
        return text
    longest: list[str] = max(runs[::-1], key=len)
    return " ".join(longest)


def _among(word: str, asked: set[str], language: str) -> bool:
    """Whether a word is one of the question's, as written or inflected otherwise."""
    return set(words(word)) <= asked or set(_forms(word, language)) <= asked


def _asked(question: str, language: str) -> set[str]:
    """The question's words, as written and in their dictionary forms."""
    return set(words(question)) | set(_forms(question, language))


def _forms(text: str, language: str) -> list[str]:
    """The dictionary forms of the text's words (inflections folded, derivations kept: "Islam"
    is news for a question about "Islamism", "resigned" is not for one about resigning); stems
    for a language without a dictionary."""
    if has_lemmas(language):
        return [lemma(w, language) for w in words(text)]
    return tokenize(text, language)


def answers(draft: str) -> list[str]:
    """The draft's answers, each with its markers: one per line, and one per marked stretch of a
    line ("63 [3] 70 [4]", "CBS [1] and Politico [3]"); markers opening a line belong to it."""
    out = []
    for line in draft.strip().splitlines():
        line = _CUT_MARKER.sub(lambda m: f" [{m.group(1)}]" if m.group(1) else "", line).strip()
        opening = _OPENING_MARKERS.match(line)
        if opening:  # "[2] Uzbekistan" → "Uzbekistan [2]"
            line = f"{line[opening.end() :]} {opening.group(0).strip()}"
        for piece in _MARKED.findall(line):
            words = piece.strip(" ,;:.").split()
            while words and words[0].lower() in _JOINERS:
                words = words[1:]
            if _WORD.search(" ".join(words)) or _MARKER.search(piece):
                out.append(" ".join(words))
    return out


_CUT_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)?[\s,;]*$")
"""A source number the draft's token budget cut off at the end of a line ("… sind. [1", "… [")."""
_OPENING_MARKERS = re.compile(r"^(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+")
_MARKED = re.compile(r"[^\[\]]*?(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+|[^\[\]]+$")
_JOINERS = frozenset().union(*(lang.joiners for lang in LANGUAGES.values()))


def _markers(line: str) -> list[int]:
    found: list[int] = []
    for group in _MARKER.findall(line):
        found.extend(
            int(n)
            for n in re.split(r"\s*[,;]\s*", group)
            if n.strip().isdigit() and len(n.strip()) < 9
        )
    return list(dict.fromkeys(found))
