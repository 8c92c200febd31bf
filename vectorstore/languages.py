"""What the text helpers know of each language: its Snowball stemmer, its lemmas, its stop
words, and whether a text reads as the language.

Stemmers come from Snowball (`PyStemmer`), lemmas from simplemma's dictionaries (50+ languages),
stop words from stopwords-iso (`stopwordsiso`, 50+ languages). A language none of them knows gets
the language-neutral path: words are lower-cased and not stemmed. A stem folds derivations too
("Islamism" and "Islam" share one); a lemma folds only inflections ("resigned" → "resign"), which
is what telling an answer from a repetition of the question needs. Stop words tell languages apart
and mark the words of a claim that carry no content; ranking needs no list (see `tokenize`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SNOWBALL = {
    "en": "english", "da": "danish", "de": "german", "nl": "dutch", "sv": "swedish",
    "no": "norwegian", "fr": "french", "es": "spanish", "it": "italian", "pt": "portuguese",
    "fi": "finnish", "ru": "russian", "hu": "hungarian", "ro": "romanian", "tr": "turkish",
}  # fmt: skip
"""ISO 639-1 code → the Snowball stemmer's name."""


@lru_cache(maxsize=64)
def stopwords(language: str) -> frozenset[str]:
    """The language's stop words (lower case); empty for a language stopwords-iso lacks."""
    import stopwordsiso

    if not language or not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(language))


@lru_cache(maxsize=32)
def stemmer(language: str) -> Any | None:
    """The language's Snowball stemmer, or None when Snowball has none for it."""
    name = SNOWBALL.get(language)
    if name is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(name, 10000)


@lru_cache(maxsize=64)
def has_lemmas(language: str) -> bool:
    """Whether simplemma has a dictionary of the language (loaded on first use, about a second)."""
    import simplemma

    try:
        simplemma.lemmatize("a", lang=language)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def lemma(word: str, language: str) -> str:
    """The word's dictionary form in the language, case-folded ("Kommissionen" → "kommission");
    the word case-folded when the language has no dictionary."""
    if not has_lemmas(language):
        return word.casefold()
    import simplemma

    return str(simplemma.lemmatize(word, lang=language)).casefold()


def reads_as(text: str, language: str) -> bool:
    """Whether a reader of the language can read the text as it stands: it has no letters
    (numbers, dates in digits), or each of its words is in the language's dictionary. The
    dictionaries list inflected words, so a rare word may be missing: then False, the safe side."""
    words = _LETTERS.findall(text)
    if not words:
        return True
    if not has_lemmas(language):
        return False
    import simplemma

    return all(simplemma.is_known(w, language) or simplemma.is_known(w.lower(), language)
               for w in words)  # fmt: skip


_LETTERS = re.compile(r"[^\W\d_]+")
