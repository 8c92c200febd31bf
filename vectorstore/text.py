"""Text helpers shared by ingest and the assistant: sentences, word tokens, language.

Both sides must split and tokenize alike (the BM25 index is built at ingest and queried by the
assistant), so these live next to the store rather than in either of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from vectorstore.languages import stemmer

Span = tuple[int, int]

_WORD = re.compile(r"\w+", re.UNICODE)
_FALLBACK_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+[\"'”’)\]]*|$)")

_PYSBD_LANGUAGES = {"en", "da", "de", "es", "fr", "it", "nl", "pl", "ru", "ja", "zh", "ar", "el"}


def tokenize(text: str, language: str = "en") -> list[str]:
    """Lower-case word tokens, stemmed by the language's stemmer (for BM25 and overlap checks);
    a language without one is not stemmed.

    Function words are kept: every use weighs a term by its rarity (BM25's idf), which puts "the"
    near zero in any language, while a stop word list would also drop words that matter in a
    question (stopwords-iso's English list holds "million", "open" and "system")."""
    folded = unicodedata.normalize("NFKC", text).lower()
    words = [w for w in _WORD.findall(folded) if len(w) > 1 or w.isdigit()]
    stem = stemmer(language)
    return stem.stemWords(words) if stem is not None else words


def split_sentences(text: str, start: int, end: int, language: str = "en") -> list[Span]:
    """Sentence spans inside text[start:end], as offsets into `text`, trimmed of white space."""
    # Line breaks become spaces (same length, so offsets hold): the segmenter then sees wrapped
    # lines as one sentence, and _split_lines decides which breaks really end a unit of text.
    segment = text[start:end].replace("\n", " ")
    pieces = _segment(segment, language)
    spans: list[Span] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        found = segment.find(stripped, cursor)
        if found < 0:
            return _regex_sentences(text, start, end)
        spans.append((start + found, start + found + len(stripped)))
        cursor = found + len(stripped)
    return [piece for span in _split_lines(text, spans) for piece in split_overlong(text, span)]


LONG_SENTENCE = 250
_BOUNDARY = re.compile(r"(?<=[a-zæøå0-9)\]][.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-ZÆØÅ])")
_ABBREVIATIONS = frozenset(
    "gen col maj capt sgt lt mr mrs ms dr st sen rep gov prof jr sr no vs etc jan feb mar apr "
    "jun jul aug sep sept oct nov dec".split()
)


def split_overlong(text: str, span: Span, longest: int = LONG_SENTENCE) -> list[Span]:
    """An overlong "sentence" is usually several that the segmenter joined because a quotation
    mark was never closed: it is cut again at every full stop that follows a lower-case word
    (not an abbreviation such as "Gen." or "U.S.") and precedes a capital."""
    start, end = span
    if end - start <= longest:
        return [span]
    pieces: list[Span] = []
    for match in _BOUNDARY.finditer(text, start, end):
        word = text[max(start, match.start() - 12) : match.start() - 1].split()
        if word and word[-1].lower().strip('(“"') in _ABBREVIATIONS:
            continue
        if match.start() - start >= 20:
            pieces.append((start, match.start()))
            start = match.end()
    pieces.append((start, end))
    return pieces


def _segment(segment: str, language: str) -> list[str]:
    try:
        return list(_segmenter(language if language in _PYSBD_LANGUAGES else "en").segment(segment))
    except Exception:  # pysbd raises assorted errors on odd input; the regex split is the fallback
        return [m.group(0) for m in _FALLBACK_SENTENCE.finditer(segment)]


@lru_cache(maxsize=16)
def _segmenter(language: str) -> Any:
    import pysbd

    return pysbd.Segmenter(language=language, clean=False)


def _regex_sentences(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    for match in _FALLBACK_SENTENCE.finditer(text, start, end):
        s, e = match.start(), match.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return _split_lines(text, spans)


def _split_lines(text: str, spans: list[Span]) -> list[Span]:
    """Split a 'sentence' at a line break that ends a heading, a caption or a missed sentence end.

    A hard-wrapped line (long, running on into the next) is not a boundary: the sentence stays whole.
    """
    out: list[Span] = []
    for s, e in spans:
        start = s
        for match in re.finditer(r"\n", text[s:e]):
            cut = s + match.start()
            line = text[start:cut].strip()
            if line and _ends_line(line):
                out.append(_trim(text, start, cut))
                start = cut + 1
        if text[start:e].strip():
            out.append(_trim(text, start, e))
    return out


def _ends_line(line: str) -> bool:
    """Whether a line ending at a line break ends a unit of text rather than being wrapped."""
    return line[-1] in '.!?:;"”’)' or (len(line) < 50 and line[-1] not in ",-–")


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def detect_language(text: str, candidates: frozenset[str] | None = None) -> str:
    """ISO 639-1 code of the text's language ('en' when it cannot tell).

    Short texts such as questions are ambiguous between related languages; with `candidates`
    (the collection's languages) the most likely candidate wins over a stronger outsider.
    """
    if len(_WORD.findall(text)) < 2:
        return "en"
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0
    try:
        guesses = detect_langs(text)
    except LangDetectException:
        return "en"
    if not guesses:
        return "en"
    if candidates:
        for guess in guesses:
            if guess.lang in candidates and guess.prob >= 0.2:
                return str(guess.lang)
        return str(guesses[0].lang) if guesses[0].prob >= 0.9 else "en"
    return str(guesses[0].lang)
