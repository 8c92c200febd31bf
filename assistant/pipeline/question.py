"""Understand the question: its language, the separate questions inside it, whether it asks for
the source's own words, and whether it leans on the conversation before it.

All of it is read from the language tables (`assistant.language`), never from phrasings of
particular questions; a language without a table gets the neutral reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language import table

_NAME = re.compile(r"(?<![\w’'-])[^\W\d_][\w’'-]*", re.UNICODE)


@dataclass(frozen=True)
class Question:
    """A question as the pipeline reads it."""

    asked: str
    """As the user wrote it."""
    text: str
    """Standalone: rewritten when it leaned on the conversation."""
    language: str
    parts: tuple[str, ...]
    """The separate questions inside it (one, most of the time)."""
    quote: bool = False
    """The user asks for the source's own words."""


def read_question(asked: str, text: str, language: str) -> Question:
    """The question with its parts and whether it asks for a quotation."""
    return Question(asked, text, language, tuple(split_parts(text, language)),
                    asks_for_quote(text, language))  # fmt: skip


def split_parts(question: str, language: str) -> list[str]:
    """The separate questions inside one: "A? B?" and "A, and when did B?" are two.

    A joiner ("and", "og", "und", "et", "y") splits only after a comma or a semicolon and where a
    question word of the language follows it (at most one word later: "…, and on what date…"),
    so "Bosnia and Herzegovina" stays whole. Pieces of
    fewer than three words are no questions and stay with their neighbour.
    """
    lang = table(language)
    pieces: list[str] = []
    current: list[str] = []
    tokens = question.split()
    for i, token in enumerate(tokens):
        current.append(token)
        following = [_bare(t) for t in tokens[i + 1 : i + 4]]
        ends_question = token.endswith("?") and i + 1 < len(tokens)
        clause_end = token.endswith((",", ";"))
        # "…, and which…", "…, and on what date…": a question word right after the joiner, or
        # after one more word (a preposition)
        joined = (
            clause_end
            and following[:1] != []
            and following[0] in lang.joiners
            and bool(set(following[1:3]) & lang.question_words)
        )
        opens = token.endswith(";") and bool(set(following[:2]) & lang.question_words)
        if ends_question or joined or opens:
            pieces.append(" ".join(current).rstrip(",;"))
            current = []
    pieces.append(" ".join(current))
    parts: list[str] = []
    for piece in pieces:
        piece = piece.strip()
        words = piece.split()
        if parts and words and _bare(words[0]) in lang.joiners:
            piece = " ".join(words[1:])
        if len(piece.split()) >= 3 or not parts:
            parts.append(piece)
        else:
            parts[-1] = f"{parts[-1]} {piece}"
    return (
        [p for p in parts if p]
        if len(parts) > 1 and all(len(p.split()) >= 3 for p in parts)
        else [question]
    )


def asks_for_quote(question: str, language: str) -> bool:
    """Whether the question asks for the source's own words ("quote", "citat", "Zitat"…)."""
    words = {_bare(w) for w in question.split()}
    return bool(words & table(language).quote_words)


def leans_on_history(question: str, language: str) -> bool:
    """Whether a question may need the conversation to be understood: it points back ("he",
    "that"), opens with a joiner ("And where…?"), is very short, or names nothing."""
    lang = table(language)
    words = [_bare(w) for w in question.split()]
    return (
        bool(set(words) & lang.pronouns)
        or (bool(words) and words[0] in lang.joiners)
        or len(words) <= 4
        or not proper_names(question)
    )


def proper_names(text: str) -> set[str]:
    """Capitalised words that do not open a sentence (names, and in German every noun),
    lower-cased. Any script with capitals counts ("Élysée", "Øresund", "Über")."""
    names = set()
    for match in _NAME.finditer(text):
        word = match.group(0)
        before = text[: match.start()].rstrip()
        opens = not before or before.endswith((".", "!", "?", ":", "\n"))
        if word[0].isupper() and not opens:
            names.add(word.lower())
    return names


def _bare(word: str) -> str:
    return word.strip("?!.,;:«»\"'“”‘’()¿¡").lower()
