"""The question's language: its name for the prompt and the refusal said in it."""

from __future__ import annotations

from vectorstore.text import detect_language

_NAMES = {
    "en": "English", "da": "Danish", "de": "German", "sv": "Swedish", "no": "Norwegian",
    "nl": "Dutch", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "fi": "Finnish", "pl": "Polish",
}  # fmt: skip

_NOT_FOUND = {
    "en": "I could not find the answer to that in the collection.",
    "da": "Jeg kunne ikke finde svaret på det i samlingen.",
    "de": "Ich konnte die Antwort darauf in der Sammlung nicht finden.",
    "sv": "Jag kunde inte hitta svaret på det i samlingen.",
    "no": "Jeg fant ikke svaret på det i samlingen.",
    "nl": "Ik kon het antwoord daarop niet in de collectie vinden.",
    "fr": "Je n'ai pas trouvé la réponse dans la collection.",
    "es": "No encontré la respuesta en la colección.",
}

_DANISH_MARKERS = frozenset(
    "hvem hvad hvornår hvor hvorfor hvordan hvilken hvilke og ikke er blev".split()
)


def language_name(code: str) -> str:
    """English name of a language code, for the prompt."""
    return _NAMES.get(code, "the language of the question")


def not_found_message(code: str) -> str:
    """The refusal, in the question's language when we have it."""
    return _NOT_FOUND.get(code, _NOT_FOUND["en"])


def question_language(question: str, collection_languages: frozenset[str]) -> str:
    """The language of a question, preferring languages the collection is written in."""
    words = set(question.lower().replace("?", " ").split())
    if len(words & _DANISH_MARKERS) >= 1 and "da" in collection_languages | {"da"}:
        guess = detect_language(question, frozenset({"da", "no", "sv", "en"}))
        if guess in ("da", "no"):
            return "da"
    return detect_language(question, collection_languages | {"en"})
