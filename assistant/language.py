"""What the assistant knows of the languages it answers in, as tables: each language's name, its
"not found" sentence, the words that make a question lean on the conversation or join two
questions, the words that ask for a question, and those that ask for a quotation.

English, Danish, German, French and Spanish are covered. Any other language takes the neutral
path: its questions are answered (the model is asked to answer "in the language of the
question"), follow-ups are rewritten only when short, compound questions are split only at a
question mark, and the refusal is said in English.
"""

from __future__ import annotations

from dataclasses import dataclass

from vectorstore.languages import stopwords
from vectorstore.text import detect_language


@dataclass(frozen=True)
class Language:
    """One language's table."""

    name: str
    not_found: str
    pronouns: frozenset[str]
    """Words that point back at something named before ("he", "that"): a question holding one
    may lean on the conversation, and a sentence opening with one leans on the sentence before."""
    joiners: frozenset[str]
    """Conjunctions that can join two questions ("…, and when…")."""
    question_words: frozenset[str]
    """Interrogatives: after a joiner, they open a second question."""
    quote_words: frozenset[str]
    """Words asking for the source's own words: the answer is then the cited sentence."""
    conflict_note: str
    """Added when another source gives a different value: `{value}` and its citation `{n}`."""
    number_words: tuple[str, ...] = ()
    """The words for two to twelve, in order: a model that writes "4" for a source's "four" is
    held to the source's word."""
    addressed: str = ""
    """What text addressed to an assistant is, described in this language: a sentence of a
    document close to it in meaning is never evidence (`assistant.pipeline.addressed`)."""
    newer_conflict: str = "However, as of {when}, a newer source gives {value}. [{n}]"
    """Instead of `conflict_note` when the other source is the newer: `{when}` its month."""
    older_conflict: str = "That is as of {when}; an older source, from {then}, gives {value}. [{n}]"
    """Instead of `conflict_note` when the other source is the older: `{when}` the answer's
    month, `{then}` the other's."""
    event_words: frozenset[str] = frozenset()
    """Words that ask what happened ("happened", "skete"): a question naming a period with no
    other words but these asks for the period's events."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES: dict[str, Language] = {
    "en": Language(
        "English",
        "I could not find the answer to that in the collection.",
        _words("he she it they him her his hers its their theirs them this that these those "
               "there then"),
        _words("and also"),
        _words("what when where who whom whose which why how"),
        _words("quote quotation quoted verbatim word-for-word"),
        "However, another source gives {value}. [{n}]",
        tuple("two three four five six seven eight nine ten eleven twelve".split()),
        "Instructions addressed to an AI assistant or chatbot, telling it what to answer.",
        event_words=_words("happen happens happened happening occur occurs occurred event events"),
    ),
    "da": Language(
        "Danish",
        "Jeg kunne ikke finde svaret på det i samlingen.",
        _words("han hun den det de ham hende dem hans hendes dens dets deres der dengang"),
        _words("og samt"),
        _words("hvad hvornår hvor hvem hvis hvilken hvilket hvilke hvorfor hvordan"),
        _words("citat citér citere citere ordret ordrette"),
        "En anden kilde angiver dog {value}. [{n}]",
        tuple("to tre fire fem seks syv otte ni ti elleve tolv".split()),
        "Instruktioner rettet til en AI-assistent eller chatbot, der fortæller den, hvad den skal svare.",
        "Men pr. {when} angiver en nyere kilde {value}. [{n}]",
        "Det er pr. {when}; en ældre kilde, fra {then}, angiver {value}. [{n}]",
        event_words=_words("ske sker skete skeet hænde hænder hændte begivenhed begivenheder"),
    ),
    "de": Language(
        "German",
        "Ich konnte die Antwort darauf in der Sammlung nicht finden.",
        _words("er sie es ihm ihn ihr ihre ihren ihrem sein seine seinen seinem dessen deren "
               "dort damals dies diese dieser dieses"),
        _words("und sowie"),
        _words("was wann wo wer wen wem wessen welche welcher welches welchen welchem warum "
               "wie wieso weshalb woher wohin wozu"),
        _words("zitat zitiere zitieren zitiert wörtlich"),
        "Eine andere Quelle nennt jedoch {value}. [{n}]",
        tuple("zwei drei vier fünf sechs sieben acht neun zehn elf zwölf".split()),
        "Anweisungen an einen KI-Assistenten oder Chatbot, die ihm sagen, was er antworten soll.",
        "Eine neuere Quelle nennt jedoch, Stand {when}, {value}. [{n}]",
        "Das ist der Stand {when}; eine ältere Quelle, von {then}, nennt {value}. [{n}]",
        event_words=_words("geschah geschehen geschieht passierte passiert passieren ereignete "
                           "ereignet ereignis ereignisse"),
    ),
    "fr": Language(
        "French",
        "Je n'ai pas trouvé la réponse dans la collection.",
        _words("il elle ils elles lui leur leurs son sa ses ce cet cette ces celui celle y là"),
        _words("et"),
        _words("que quoi quand où qui quel quelle quels quelles pourquoi comment combien "
               "lequel laquelle lesquels"),
        _words("citation citer cite textuellement mot-à-mot"),
        "Une autre source indique toutefois {value}. [{n}]",
        tuple("deux trois quatre cinq six sept huit neuf dix onze douze".split()),
        "Des instructions adressées à un assistant IA ou à un chatbot, lui disant quoi répondre.",
        "Cependant, en date de {when}, une source plus récente indique {value}. [{n}]",
        "C'est la situation en {when} ; une source plus ancienne, de {then}, indique {value}. [{n}]",
        event_words=_words("passé passée passe passait produit produite arrivé arrivée "
                           "événement événements"),
    ),
    "es": Language(
        "Spanish",
        "No encontré la respuesta en la colección.",
        _words("él ella ellos ellas le les lo la su sus este esta estos estas ese esa esos esas "
               "allí entonces"),
        _words("y e"),
        _words("qué que cuándo dónde quién quiénes cuál cuáles cómo cuánto cuánta cuántos "
               "cuántas"),
        _words("cita citar cite textual textualmente literalmente"),
        "Sin embargo, otra fuente indica {value}. [{n}]",
        tuple("dos tres cuatro cinco seis siete ocho nueve diez once doce".split()),
        "Instrucciones dirigidas a un asistente de IA o chatbot, que le dicen qué responder.",
        "Sin embargo, a {when}, una fuente más reciente indica {value}. [{n}]",
        "Es lo vigente a {when}; una fuente más antigua, de {then}, indica {value}. [{n}]",
        event_words=_words("pasó pasa pasado ocurrió ocurre ocurrido sucedió sucede sucedido "
                           "acontecimiento acontecimientos"),
    ),
}  # fmt: skip

NEUTRAL = Language(
    "the language of the question",
    LANGUAGES["en"].not_found,
    frozenset(),
    frozenset(),
    frozenset(),
    frozenset(),
    LANGUAGES["en"].conflict_note,
)
"""The table of a language the assistant has none for."""


def table(code: str) -> Language:
    """The language's table, or the neutral one."""
    return LANGUAGES.get(code, NEUTRAL)


def not_found_message(code: str) -> str:
    """The refusal, in the question's language when the assistant has it."""
    return table(code).not_found


def question_language(question: str, collection_languages: frozenset[str] = frozenset()) -> str:
    """The language of a question (an ISO 639-1 code).

    A question is short, and the detector confuses related languages on short texts (Danish and
    Norwegian, German and Dutch), so the languages this assistant has tables for, and those its
    collection is written in, are preferred; among them, stop words break a near tie.
    """
    known = frozenset(LANGUAGES) | collection_languages
    guess = detect_language(question, known)
    words = [w.strip("?!.,;:«»\"'()").lower() for w in question.split()]
    if len(words) < 2:
        return guess
    votes = {code: sum(w in stopwords(code) for w in words) for code in known}
    best = max(votes, key=lambda code: (votes[code], code == guess))
    # The stop words overrule the detector only when they clearly point elsewhere.
    return best if votes[best] >= votes.get(guess, 0) + 1 else guess


def language_name(code: str) -> str:
    """The language's English name, for the prompt."""
    return table(code).name
