"""When a four-digit number written in a text is a year ("in 1998", "1998 wurde"), and when it
is a count ("2000 people"), a label ("Page 2021") or part of a number ("1,998", "£2021"): judged
by the words around it, with word lists for English, Danish, German, French and Spanish."""

from __future__ import annotations

import re

from vectorstore.languages import stopwords

_BARE_YEAR = re.compile(r"(?<![\w])(1\d{3}|20\d{2})(?!\w)")

# Words after which a four-digit number is a year: prepositions of time, articles, and words for
# a year, a season or a part of one ("in 1998", "im Jahr 1998", "mid-2013"); the count check in
# `_stands_as_year` still rejects "in 2000 cases".
_YEAR_LEADS = {
    "en": "in since by until till from to through before after during between and or of for the a "
    "an around circa early late mid year summer spring autumn fall winter end start beginning",
    "da": "i siden fra til indtil efter før inden mellem og eller for omkring år året sommeren "
    "foråret efteråret vinteren slutningen begyndelsen midten sommer forår efterår vinter",
    "de": "in im seit bis von vom ab nach vor zwischen und oder um gegen jahr jahre jahres "
    "jahren jahrgang für sommer frühjahr frühling herbst winter ende anfang mitte beginn anno",
    "fr": "en depuis de dès à avant après entre et ou vers pour année an été printemps automne "
    "hiver fin début mi le l",
    "es": "en desde de del hasta a antes después entre y o hacia para año verano primavera otoño "
    "invierno finales principios mediados fines inicios el",
}
# Words that number a thing rather than date it ("Page 2021", "Seite 2021", "Flight 1549").
_LABELS = {
    "en": "page p pp no nr number room flight route chapter vol volume issue section article "
    "art paragraph model version exit gate platform line tel phone fax box suite unit",
    "da": "side s nr nummer værelse rum fly rute kapitel bind afsnit artikel paragraf model "
    "version udgang spor linje tlf telefon fax postboks",
    "de": "seite s nr nummer zimmer raum flug route kapitel band heft ausgabe abschnitt artikel "
    "art absatz paragraph modell version ausgang gleis linie tel telefon fax postfach",
    "fr": "page p n° no numéro chambre salle vol route chapitre volume tome section article "
    "alinéa modèle version sortie porte quai ligne tél téléphone fax",
    "es": "página pág p núm número nº habitación sala vuelo ruta capítulo volumen tomo sección "
    "artículo párrafo modelo versión salida puerta andén línea tel teléfono fax",
}
_LEADS = {code: frozenset(words.split()) for code, words in _YEAR_LEADS.items()}
_NUMBERING = {code: frozenset(words.split()) for code, words in _LABELS.items()}
_RANGE_BEFORE = re.compile(r"(?<!\d)(?:\d{3,4}\s?–|(?:1\d{3}|20\d{2})\s?-)\s?$")
_NUMBER_BEFORE = re.compile(r"(?:\d[.,:/]?|\d\s|[£$€¥#№+@/\\]\s?)$")
_NUMBER_AFTER = re.compile(r"^(?:[.,:/]\d|\s?\d|\s?[%€$£]|-\w)")
_RANGE_AFTER = re.compile(r"^\s?[–-]\s?(?:\d{2}|1\d{3}|20\d{2})(?![\d-])")
_DECADE_AFTER = re.compile(r"^['’]s\b")
_PREVIOUS = re.compile(r"(\S+)\s*$")
_NEXT = re.compile(r"^\s*([^\W\d_]+|\S)")
_BOUNDARY = set(".!?;:,([{\"'„“”«»—–-")

YEAR_LANGUAGES = frozenset(_YEAR_LEADS)
"""The languages whose bare years are read (others: only years inside full dates)."""


def year_spans(
    text: str, language: str, taken: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """(start, end, year) of every four-digit year in `text` outside the `taken` spans that
    stands as a year (see `_stands_as_year`)."""
    found = []
    for match in _BARE_YEAR.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        if _stands_as_year(text, start, end, language):
            found.append((start, end, match.group(1)))
    return found


def _stands_as_year(text: str, start: int, end: int, language: str) -> bool:
    """Whether the four digits at text[start:end] are a year, judged by the words around them:
    not part of a number or a price; after a word of time ("in", "im Jahr"), a sentence break, a
    name ("Treaty of Rome 1957") or, in a question, a verb; not numbering a thing ("Page 2021");
    and not a count, told by the noun after it ("2000 people")."""
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    round_number = int(text[start:end]) % 10 == 0
    if _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after):
        return True
    if (
        _NUMBER_BEFORE.search(before)
        or _NUMBER_AFTER.match(after)
        or (round_number and _DECADE_AFTER.match(after))
    ):
        return False
    previous, following = _PREVIOUS.search(before), _NEXT.match(after)
    next_word = following.group(1) if following and following.group(1)[0].isalpha() else ""
    counted = bool(next_word) and _content_word(next_word, language)
    if previous is None or "\n" in before[previous.end(1) :]:
        return not counted
    token = previous.group(1).lstrip("\"'„“«([¿¡")
    if not token:
        return not counted
    word = re.split(r"['’]", token.lower())[-1]  # "l'année", "jusqu'en"
    if word.endswith("-") and len(word) > 1:  # "mid-2013", "Mitte-2013", not "COVID-2019"
        return word[:-1] in _LEADS.get(language, frozenset()) and not (round_number and counted)
    if token[-1] in _BOUNDARY:
        return not counted
    if word in _NUMBERING.get(language, frozenset()):
        return False
    if word in _LEADS.get(language, frozenset()):
        return not (round_number and counted)
    if token[0].isupper():
        return not counted  # "Treaty of Rome 1957 and", "Tesla 1886 mit"
    if not next_word:  # "Was geschah 2021?", "schrieb 2001, dass"
        return following is None or following.group(1) in "?!.,;:)"
    return language == "de" and next_word[0].islower()  # "wurde 2013 wegen", not "hat 2000 Euro"


def _content_word(word: str, language: str) -> bool:
    """A word that names something (a noun, as "people" after "2000"), told from a function or
    linking word ("was", "wurde", "and"): in German by its capital, elsewhere as a short stop
    word (stopwords-iso's lists also hold nouns such as "cases", "years" and "personnes")."""
    if language == "de":
        return word[0].isupper()
    return word[0].islower() and (len(word) > 4 or word.lower() not in stopwords(language))
