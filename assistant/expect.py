"""What kind of answer a question expects, and whether a sentence holds one.

"When…?" needs a date or a time, "How many…?" a number, "How old…?" an age (not any number),
"How long…?" a span of time (a date does not say how long: "by May 2021"), "Who…?" a name the
question does not already contain. A sentence without such a thing cannot answer the question,
however close in topic it is: this is what keeps an on-topic sentence from passing as the answer
to a question the collection cannot answer ("How many died in the airport bombing?" →
"Hundreds of thousands of Afghans died in the war" has no count).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.rerank import question_parts
from vectorstore.text import STOPWORDS

_KINDS = [
    ("age", r"\b(how old|what ages?|at what age|hvor (?:gammel|gamle)|hvilken alder)\b"),
    ("duration", r"\b(how (?:much )?long(?:er)?|hvor (?:meget )?længe(?:re)?)\b"),
    ("number", r"\b(how (?:many|much|large|big|far)|what (?:number|percentage|share)|"
               r"hvor (?:mange|meget|stor))\b"),
    ("date", r"\b(when|what (?:date|day|year|month|time)|which (?:date|day|year|month)|since when|"
             r"until when|by when|hvornår|hvilken dato|hvilket år|hvilken (?:uge)?dag|hvilken måned)\b"),
    ("name", r"^\W*(?:who|whom|whose|hvem|hvis)\b|\bname of\b|'s name\b|\bhedder\b|\bnavn\b|\b(?:which|what) (?:person|man|woman|official|"
             r"lawmaker|journalist|host|president|minister|general|envoy|newspaper|agency|outlet|"
             r"organi[sz]ation|company|country|city|university|think[- ]tank|news)"),
    ("place", r"^\W*(?:where|hvor(?! (?:mange|meget|gammel|længe|stor)))\b|\bin which (?:country|"
              r"city|place)\b|\bhvilket land\b|\bhvilken by\b"),
]  # fmt: skip
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _KINDS]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|januar|februar|marts|maj|juni|juli|oktober"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mandag|tirsdag|onsdag|torsdag|"
    "fredag|lørdag|søndag"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS})\b|\b(?:1[5-9]|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}\b|"
    r"\b(?:yesterday|today|tomorrow|last (?:week|month|year)|i går|i dag|i morgen)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|trillion|dozen|tre|fire|fem|seks|syv|otte|tyve|tredive|"
    "fyrre|halvtreds|hundrede|tusind|millioner|milliarder"
)
_NUMBER = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_AGE = re.compile(
    rf"\b(?:\d{{1,3}}|{_NUMBER_WORDS})(?:-| )(?:years?|år)(?:-| )old\b|\b\d{{1,3}}-årige?\b|"
    r"\baged?\s+\d{1,3}\b|\b(?:age|alder)\s+(?:of\s+)?\d{1,3}\b|\b\d{1,3}\s+år\s+gammel\b|"
    r"\b(?:er|var|blev|fylder|fyldte|is|was|turned|turns)\s+\d{1,3}(?:\s+år)?(?=[\s,.;]|$)|"
    r"\b[a-zæøå][\w’'-]+,\s+\d{2},\s",  # "Khalilzad, 70, said"
    re.IGNORECASE,
)
_DURATION = re.compile(
    rf"\b(?:\d[\d,.]*|{_NUMBER_WORDS}|a|an|a few|several|to|et|en|få|flere)(?:-| )"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"sekunder|minutter|timer|dage|døgn|uger|måneder|år|årtier|årti)\b"
    rf"|\b(?:since|siden)\s+(?:\d|{_MONTHS}|{_WEEKDAYS}|last|then|i )",
    re.IGNORECASE,
)
_DAY_AND_YEAR = re.compile(
    rf"\b((?:{_MONTHS})\.?\s+[0-3]?\d(?:st|nd|rd|th)?|[0-3]?\d\.?\s+(?:of\s+)?(?:{_MONTHS})\.?)"
    r",?\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-ZÆØÅ][\w’'-]+")
_PROPER_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-ZÆØÅ][\w’'-]+")


def proper_names(text: str) -> set[str]:
    """Capitalised words that do not open a sentence (names), lower-cased."""
    return {m.group(0).lower() for m in _PROPER_NAME.finditer(text)}


_NAME_RUN = re.compile(r"(?<!^)(?<![.!?]\s)\b(?:[A-ZÆØÅ][\w’'-]+\s+)+([A-ZÆØÅ][\w’'-]+)")


def without_years(text: str) -> str:
    """The text with the year of each day's date left out ("on August 15, 2021" → "on August
    15"): what is left of a claim whose year none of its sources gives."""
    return _DAY_AND_YEAR.sub(r"\1", text)


def capitalised(text: str) -> set[str]:
    """Every capitalised word of the text, lower-cased ("General Mark Milley" → all three)."""
    return {m.group(0).lower() for m in _NAME.finditer(text)}


def full_names(text: str) -> set[str]:
    """The last word of each name of two or more capitalised words ("General Mark Milley" →
    "milley"), lower-cased: what any text about that person or body has to mention."""
    return {m.group(1).lower() for m in _NAME_RUN.finditer(text)}


def mentions(text: str, names: set[str]) -> bool:
    """Whether the text names any of `names` (lower-cased words; a possessive counts)."""
    return any(
        re.search(rf"(?<!\w){re.escape(name)}(?:['’]s)?(?!\w)", text, re.IGNORECASE)
        for name in names
    )


_STARTERS = frozenset(
    "according however meanwhile after before during since while although despite in on at "
    "by from under over last next earlier later both two three editor's note".split()
)


def expected(question: str) -> str | None:
    """'age', 'duration', 'number', 'date', 'name' or 'place' when the question asks for one;
    else None."""
    for kind, pattern in _COMPILED:
        if pattern.search(question):
            return kind
    return None


def answer_test(question: str) -> Callable[[str], bool]:
    """A test for sentences: does it hold an answer of a kind any part of the question asks for?"""
    kinds = {expected(part) for part in question_parts(question)}
    if None in kinds:
        return lambda sentence: True
    return lambda sentence: any(holds_answer(sentence, question, k) for k in kinds)


def holds_answer(sentence: str, question: str, kind: str | None = None) -> bool:
    """Whether the sentence contains something of the kind the question asks for."""
    kind = kind if kind is not None else expected(question)
    if kind is None:
        return True
    if kind == "age":
        return bool(_AGE.search(sentence))
    if kind == "duration":
        return bool(_DURATION.search(sentence))
    if kind == "number":
        return bool(_NUMBER.search(_without(sentence, question, numbers=True)))
    if kind == "date":
        return bool(_DATE.search(sentence))
    asked = {w.lower() for w in re.findall(r"\w+", question)}
    names = {m.group(0).lower() for m in _NAME.finditer(sentence)}
    return bool(names - asked - STOPWORDS - _STARTERS)


def _without(sentence: str, question: str, numbers: bool) -> str:
    """The sentence minus the numbers the question already contains."""
    for number in re.findall(r"\d[\d,.]*", question) if numbers else []:
        sentence = sentence.replace(number, " ")
    return sentence
