"""Quality measures of one answer against its gold question, and their summary over a set.

A question set holds, per question: the question, an optional conversation history, whether the
collection can answer it, gold facts (strings the answer must contain) and gold spans (character
ranges of the source files that hold the answer). Facts and spans are lists of requirements; a
requirement that is itself a list is a set of alternatives, any one of which will do.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vectorstore.errors import AssistantError
from vectorstore.text import tokenize

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_CITED_PIECE = re.compile(r"(.*?)((?:\[\d+(?:\s*[,;]\s*\d+)*\][\s.,;:]*)+)", re.DOTALL)


class EvalFileError(AssistantError):
    """The question set cannot be read or is malformed."""


@dataclass(frozen=True)
class Span:
    """A character range of a source file (relative to the documents folder)."""

    source: str
    start: int
    end: int
    text: str = ""

    def overlaps(self, source: str, start: int, end: int) -> bool:
        return source == self.source and start < self.end and self.start < end


@dataclass(frozen=True)
class EvalQuestion:
    """One question of a set; `facts` and `spans` are requirements of alternatives."""

    id: str
    question: str
    kind: str = "single"
    answerable: bool = True
    history: tuple[dict[str, str], ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    spans: tuple[tuple[Span, ...], ...] = ()
    about: tuple[tuple[str, ...], ...] = ()
    """Per fact (empty when free): words one of which must share the fact's answer sentence, so
    that "Milley was 70" does not pass for "Khalilzad, 70" when two facts are numbers."""
    gate: bool = False


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
    in_prompt: float | None = None
    """The share of span requirements met by the evidence sentences the model was shown: with
    recall it tells a retrieval or evidence miss from a model that chose the wrong sentence."""


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read a question set (YAML or JSON): a list of questions or {"questions": [...]}."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvalFileError(f"cannot read the question set {path}: {exc.strerror}") from None
    try:
        import yaml

        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except Exception as exc:  # YAML and JSON raise different error types
        raise EvalFileError(f"{path} is not valid YAML/JSON: {str(exc).splitlines()[0]}") from None
    items = data.get("questions") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise EvalFileError(f"{path} holds no questions (expected a list or a 'questions' list)")
    return [_question(item, i) for i, item in enumerate(items, 1)]


def _question(item: Any, index: int) -> EvalQuestion:
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise EvalFileError(f"question {index}: expected an object with a 'question' string")
    facts = item.get("facts", item.get("gold_facts")) or []
    spans = item.get("spans", item.get("gold_spans")) or []
    try:
        return EvalQuestion(
            id=str(item.get("id") or index),
            question=item["question"],
            kind=str(item.get("kind") or item.get("type") or "single"),
            answerable=bool(item.get("answerable", True)),
            history=tuple(dict(m) for m in item.get("history") or ()),
            facts=tuple(_alternatives(_fact(f), str) for f in _listed(facts)),
            about=tuple(
                _alternatives(f.get("about", []), str) if isinstance(f, dict) else ()
                for f in _listed(facts)
            ),
            spans=tuple(_alternatives(s, _span) for s in _listed(spans)),
            gate=bool(item.get("gate", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EvalFileError(f"question {item.get('id') or index}: malformed ({exc})") from None


def _fact(value: Any) -> Any:
    """A fact's alternatives: the value itself, or its `fact` entry when it is a mapping
    (`{fact: "70", about: [Khalilzad, envoy]}`)."""
    return value["fact"] if isinstance(value, dict) else value


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _alternatives(value: Any, make: Any) -> tuple[Any, ...]:
    return tuple(make(v) for v in (value if isinstance(value, list) else [value]))


def _span(value: dict[str, Any]) -> Span:
    return Span(
        str(value["source"]), int(value["start"]), int(value["end"]), str(value.get("text", ""))
    )


# -- one answer --------------------------------------------------------------------------------
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

    top = list(passages)[:k]
    everything = [s for g in spans for s in g]
    rank = next((i for i, p in enumerate(passages, 1) if _hits(p, everything)), 0)
    return in_prompt(spans, top), (1.0 / rank if rank else 0.0)


def in_prompt(spans: Sequence[Sequence[Span]], shown: Sequence[Any]) -> float:
    """The share of span requirements that something shown (evidence sentences, or passages)
    overlaps."""
    return sum(any(_hits(item, group) for item in shown) for group in spans) / len(spans)


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
    words = set(tokenize(sentence, language)) - asked or set(tokenize(sentence, language))
    found = set(tokenize(cited, language)) | set(tokenize(cited, "da")) | set(tokenize(cited, "en"))
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
    shown = in_prompt(question.spans, evidence) if question.spans and evidence is not None else None
    missing = missing_facts(question.facts, text, question.about) if found else ("(refused)",)
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
        in_prompt=shown,
    )


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)
