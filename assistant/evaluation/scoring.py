"""Quality measures of one answer against its gold question.

Facts (YAML sets): every requirement must occur in the answer. Short gold answers (JSONL sets,
SQuAD style): the answer counts when, after normalisation (case, punctuation, articles), it holds
one of them or has token F1 >= 0.5 with one; its token F1 is reported too. Spans: recall@k, MRR,
"in prompt". Citations: precise when on a gold span or supporting their sentence. Language: an
answer long enough to tell must be in the question's language.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.evaluation.questions import EvalQuestion, Span
from assistant.language import question_language
from vectorstore.languages import stopwords
from vectorstore.text import detect_language, tokenize

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CITED_PIECE = re.compile(r"(.*?)((?:\[\d+(?:\s*[,;]\s*\d+)*\][\s.,;:]*)+)", re.DOTALL)


@dataclass(frozen=True)
class Scored:
    """The measures of one answer."""

    id: str
    kind: str
    answerable: bool
    found: bool
    correct: bool
    missing: tuple[str, ...]
    recall: float | None
    reciprocal_rank: float | None
    citations: int
    precise_citations: int
    cited_chars: int
    conflict_flagged: bool
    total_ms: float
    first_token_ms: float
    answer: str = ""
    error: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    f1: float | None = None
    """Token F1 of the answer against its best short gold answer (JSONL sets)."""
    in_language: bool | None = None
    """Whether the answer is in the question's language (None: refused, or too short to tell)."""
    in_prompt: float | None = None
    """The share of span requirements met by the evidence sentences the model was shown: with
    recall it tells a retrieval or evidence miss from a model that chose the wrong sentence."""
    gold_position: int | None = None
    """Where the first evidence sentence on a gold span stood in the prompt (1 = first; 0 = none
    of them): a small model leans towards the first sentence it reads."""


# -- one answer --------------------------------------------------------------------------------
def normalize(text: str) -> list[str]:
    """SQuAD's answer normalisation, for any of the supported languages: lower case, citation
    markers, punctuation and articles out, white space folded. Returns the tokens."""
    text = unicodedata.normalize("NFKC", _MARKER.sub(" ", text)).lower()
    text = "".join(" " if ch in _PUNCTUATION else ch for ch in text)
    return [w for w in text.split() if w not in _ARTICLES]


_PUNCTUATION = frozenset(string.punctuation) | frozenset("“”‘’«»„‚–—…·")
_ARTICLES = frozenset(
    "a an the der die das den dem des ein eine einen einem einer eines en et le la les un une "
    "el los las una".split()
)  # English, German, Danish, French and Spanish articles (not "de", a preposition in most)


def token_f1(answer: str, gold: str) -> float:
    """Token F1 between an answer and a gold answer, both normalised."""
    predicted, truth = normalize(answer), normalize(gold)
    common = sum((Counter(predicted) & Counter(truth)).values())
    if not common:
        return 0.0
    precision, recall = common / len(predicted), common / len(truth)
    return 2 * precision * recall / (precision + recall)


def holds_answer(answer: str, golds: Sequence[str]) -> tuple[bool, float]:
    """(counts, best F1): the answer counts when its normalised text holds a gold answer's, or
    has token F1 >= 0.5 with one."""
    words = f" {' '.join(normalize(answer))} "
    best = max((token_f1(answer, g) for g in golds), default=0.0)
    held = any(normalize(g) and f" {' '.join(normalize(g))} " in words for g in golds)
    return held or best >= 0.5, best


def answer_language(answer: str, question: str) -> bool | None:
    """Whether the answer is in the question's language (None when its words do not tell)."""
    return in_language(answer, question_language(question, _LANGUAGES))


def in_language(answer: str, expected: str) -> bool | None:
    """Whether the answer is written in the `expected` language; None when nothing in it tells:
    fewer than three words of letters, or fewer than two function words (stop words) of any of
    the languages, as in a name or a term ("US Supreme Court", "Rhine-Meuse delta"), which no
    language owns and a language detector guesses at."""
    text = _MARKER.sub(" ", answer)
    words = [w.lower() for w in re.findall(r"[^\W\d_]{2,}", text)]
    if len(words) < 3 or sum(w in _STOP for w in words) < 2:
        return None
    return detect_language(text, _LANGUAGES) == expected


_LANGUAGES = frozenset({"en", "da", "de", "fr", "es"})
_STOP = frozenset().union(*(stopwords(code) for code in _LANGUAGES))


def fact_present(fact: str, text: str) -> bool:
    """Whether the fact occurs in the text, starting at a word, ignoring case and spacing."""
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in fact.split())
    return re.search(pattern, text, re.IGNORECASE) is not None


def missing_facts(
    facts: Sequence[Sequence[str]], text: str, about: Sequence[Sequence[str]] = ()
) -> tuple[str, ...]:
    """The requirements none of whose alternatives occur in the text (in a sentence that also
    holds one of the fact's `about` words, when it has any)."""
    sentences = [s for s in _ANSWER_SENTENCE.split(text) if s.strip()]
    missing = []
    for i, alternatives in enumerate(facts):
        near = about[i] if i < len(about) else ()
        places = [s for s in sentences if any(fact_present(w, s) for w in near)] if near else [text]
        if not any(fact_present(a, place) for a in alternatives for place in places):
            missing.append(
                " | ".join(alternatives) + (f" (with {' | '.join(near)})" if near else "")
            )
    return tuple(missing)


_ANSWER_SENTENCE = re.compile(r"(?<=[.!?])\s+|\s*\[\d+(?:\s*,\s*\d+)*\]\s*")


def retrieval(
    spans: Sequence[Sequence[Span]], passages: Sequence[Any], k: int
) -> tuple[float, float]:
    """(recall@k, reciprocal rank): the share of span requirements met by the top k passages,
    and 1/rank of the first passage that overlaps any gold span (0 if none does)."""

    rank = position(spans, passages)
    return in_prompt(spans, list(passages)[:k]), (1.0 / rank if rank else 0.0)


def in_prompt(spans: Sequence[Sequence[Span]], shown: Sequence[Any]) -> float:
    """The share of span requirements that something shown (evidence sentences, or passages)
    overlaps."""
    return sum(any(_hits(item, group) for item in shown) for group in spans) / len(spans)


def position(spans: Sequence[Sequence[Span]], shown: Sequence[Any]) -> int:
    """The 1-based place of the first item shown that overlaps a gold span (0: none does)."""
    everything = [s for g in spans for s in g]
    return next((i for i, item in enumerate(shown, 1) if _hits(item, everything)), 0)


def _hits(item: Any, group: Sequence[Span]) -> bool:
    """Whether the item (anything with source, start and end) overlaps one of the spans."""
    return any(
        s.overlaps(_get(item, "source"), _get(item, "start"), _get(item, "end")) for s in group
    )


def citing_sentences(answer: str, n: int) -> list[str]:
    """The pieces of the answer that carry the marker [n] (each piece runs up to and including
    its markers, as checked answers end every sentence with them), markers removed."""
    out = []
    for match in _CITED_PIECE.finditer(answer):
        numbers = {int(x) for g in _MARKER.findall(match.group(2)) for x in re.split(r"[,;]\s*", g)}
        if n in numbers:
            out.append(_MARKER.sub("", match.group(1)).strip())
    return out


def supports(sentence: str, cited: str, question: str = "", language: str = "en") -> bool:
    """An independent support check: at least half of the sentence's content words not taken
    from the question occur in the cited text, and every number of the sentence is there."""
    numbers = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(sentence)}
    have = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(cited + " " + question)}
    if not numbers <= have:
        return False
    asked = set(tokenize(question, language))
    content = set(
        tokenize(" ".join(w for w in sentence.split() if w.lower() not in _STOP), language)
    )
    words = content - asked or content
    found = {t for lang in _LANGUAGES | {language} for t in tokenize(cited, lang)}
    return bool(words) and len(words & found) / len(words) >= 0.5


def score(question: EvalQuestion, answer: Any, k: int = 5) -> Scored:
    """Every measure of one answer (an Answer, or any object or dict with the same fields)."""
    text = str(_get(answer, "text", "") or _get(answer, "answer", ""))
    found = bool(_get(answer, "found", bool(text)))
    passages = list(_get(answer, "passages", ()) or ())
    citations = list(_get(answer, "citations", ()) or ())
    timings = _get(answer, "timings", None)
    recall, rr = retrieval(question.spans, passages, k) if question.spans else (None, None)
    evidence = _get(answer, "evidence", None)
    told = bool(question.spans) and evidence is not None
    shown = in_prompt(question.spans, evidence) if told else None
    missing = missing_facts(question.facts, text, question.about) if found else ("(refused)",)
    f1 = None
    if question.answers:
        held, f1 = holds_answer(text, question.answers) if found else (False, 0.0)
        if found and not held:
            missing = (" | ".join(question.answers),)
    gold = [s for g in question.spans for s in g]
    precise, chars, verdicts = 0, 0, []
    for c in citations if found else []:
        source, start, end = _get(c, "source"), _get(c, "start"), _get(c, "end")
        cited_text = str(_get(c, "text", ""))
        on_gold = any(s.overlaps(source, start, end) for s in gold)
        sentences = citing_sentences(text, int(_get(c, "n", 0)))
        ok = on_gold or (
            bool(sentences) and all(supports(s, cited_text, question.question) for s in sentences)
        )
        precise += ok
        chars += max(0, end - start)
        verdicts.append({"source": source, "start": start, "end": end, "precise": ok})
    conflicts = _get(answer, "conflicts", ()) or ()
    return Scored(
        id=question.id,
        kind=question.kind,
        answerable=question.answerable,
        found=found,
        correct=found and not missing if question.answerable else not found,
        missing=missing if question.answerable else (),
        recall=recall,
        reciprocal_rank=rr,
        citations=len(verdicts),
        precise_citations=precise,
        cited_chars=chars,
        conflict_flagged=bool(conflicts),
        total_ms=float(_get(timings, "total_ms", 0.0) or 0.0),
        first_token_ms=float(_get(timings, "first_token_ms", 0.0) or 0.0),
        answer=text,
        details={
            "citations": verdicts,
            "standalone": _get(answer, "standalone_question", ""),
            "draft": _get(answer, "draft", ""),
        },
        f1=f1,
        in_language=answer_language(text, question.question) if found else None,
        in_prompt=shown,
        gold_position=position(question.spans, evidence) if told else None,
    )


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)
