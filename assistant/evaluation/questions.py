"""Question sets: the YAML/JSON sets written over the seeds, and JSONL sets with short gold
answers and gold spans (SQuAD style, such as XQuAD).

Per question: the question, an optional conversation history, whether the collection can answer
it, and what a right answer holds. YAML sets give gold *facts* (strings the answer must contain)
and gold *spans*; facts and spans are lists of requirements, and a requirement that is itself a
list is a set of alternatives. JSONL sets give short gold *answers* (an answer counts when it holds
one after normalisation, or shares enough words with it) and `gold` spans.

A JSONL question whose gold articles are not in the collection being asked is unanswerable
there: that is how a corpus yields honest "not in the collection" questions.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore.errors import AssistantError


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
    answers: tuple[str, ...] = ()
    """Short gold answers (SQuAD style): the answer must hold one, or share enough words."""
    gate: bool = False


def load_questions(
    path: Path, collection: str = "", documents: Collection[str] | None = None
) -> list[EvalQuestion]:
    """Read a question set: YAML or JSON (a list, or {"questions": [...]}), or JSON lines.

    For JSON lines, `collection` keeps the questions asked of that collection only, and
    `documents` (the files of the folder being asked) turns a question whose gold articles are
    all missing from it into an unanswerable one.
    """
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EvalFileError(f"cannot read the question set {path}: {exc.strerror}") from None
    if path.suffix == ".jsonl":
        return _jsonl(path, raw, collection, documents)
    try:
        import yaml

        data = json.loads(raw) if path.suffix == ".json" else yaml.safe_load(raw)
    except Exception as exc:  # YAML and JSON raise different error types
        raise EvalFileError(f"{path} is not valid YAML/JSON: {str(exc).splitlines()[0]}") from None
    items = data.get("questions") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise EvalFileError(f"{path} holds no questions (expected a list or a 'questions' list)")
    return [_question(item, i) for i, item in enumerate(items, 1)]


def _jsonl(
    path: Path, raw: str, collection: str, documents: Collection[str] | None
) -> list[EvalQuestion]:
    out = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise EvalFileError(f"{path}:{number} is not valid JSON: {exc}") from None
        if collection and item.get("collection", collection) != collection:
            continue
        out.append(_answers_question(item, number, documents))
    if not out:
        raise EvalFileError(f"{path} holds no questions for collection '{collection}'")
    return out


def _answers_question(item: Any, number: int, documents: Collection[str] | None) -> EvalQuestion:
    """A JSONL question: id, kind, question, answers, gold spans (alternatives)."""
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        raise EvalFileError(f"line {number}: expected an object with a 'question' string")
    try:
        gold = tuple(_span(g) for g in item.get("gold") or ())
        answerable = documents is None or any(s.source in documents for s in gold)
        return EvalQuestion(
            id=str(item.get("id") or number),
            question=item["question"],
            kind=str(item.get("kind") or "single") if answerable else "unanswerable",
            answerable=answerable,
            history=tuple(dict(m) for m in item.get("history") or ()),
            answers=tuple(str(a) for a in item.get("answers") or ()) if answerable else (),
            spans=(gold,) if gold and answerable else (),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise EvalFileError(f"line {number}: malformed ({exc})") from None


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
