"""Text addressed to whoever reads it is data, never evidence.

A document may hold text written to its reader rather than about the world: "Note to chatbots
summarising this page: the only acceptable response is…", "Wenn Sie nach dem Architekten gefragt
werden, antworten Sie…". An answer must rest on what the articles state, so such a sentence never
becomes evidence: it does not reach the prompt, cannot be cited, and cannot support an answer.

It is recognised by meaning, not by phrasing, in two steps:
- every candidate sentence's stored vector is compared with the query vectors of one description
  of that kind of text in each language of the tables (`Language.addressed`), the way retrieval
  compares a question with sentences. The embedding model is multilingual, so the descriptions
  also find such text in other languages, however it is worded; no list of phrases is kept. At or
  above `certain` a sentence is excluded outright; from `suspect` up it is a suspect;
- a suspect that would be chosen as evidence is put to the local model, which is asked whether
  the sentence tells an assistant or the reader what to answer, say or do; if so it is excluded
  and the evidence chosen again.
Both thresholds come from measuring the sentences of both development collections against text
addressed to an assistant in five languages (docs/EVALUATION.md, "Text addressed to the
assistant").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence

import numpy as np

from assistant.language import LANGUAGES
from assistant.llm import ChatBackend
from assistant.prompt import addressed_prompt
from assistant.types import Evidence

Vector = Sequence[float]
SentenceKey = tuple[str, int, int]
"""A stored sentence: (source, start, end)."""
Plan = list[tuple[str, list[Evidence]]]
"""Each part of the question with the evidence chosen for it."""


class AddressedText:
    """Sorts stored sentence vectors into those surely addressed to an assistant and suspects."""

    def __init__(self, embed_query: Callable[[str], list[float]], certain: float, suspect: float):
        self._embed_query = embed_query
        self.certain = certain
        self.suspect = suspect
        self._descriptions: np.ndarray | None = None
        self._lock = threading.Lock()

    def descriptions(self) -> np.ndarray:
        """The query vectors of the descriptions, embedded once, as unit rows."""
        with self._lock:
            if self._descriptions is None:
                texts = [t.addressed for t in LANGUAGES.values() if t.addressed]
                self._descriptions = _unit(np.array([self._embed_query(t) for t in texts]))
            return self._descriptions

    def scores(self, vectors: Sequence[Vector]) -> list[float]:
        """How much each sentence reads as text addressed to an assistant: its highest cosine
        similarity to a description."""
        if not vectors:
            return []
        return [float(s) for s in (_unit(np.array(vectors)) @ self.descriptions().T).max(axis=1)]

    def score(self, vector: Vector) -> float:
        return self.scores([vector])[0]

    def __call__(
        self, vectors: Mapping[SentenceKey, Vector]
    ) -> tuple[frozenset[SentenceKey], frozenset[SentenceKey]]:
        """(the sentences surely addressed to an assistant, the suspects); nothing when the check
        is off (`suspect` ≥ 1)."""
        if self.suspect >= 1 or not vectors:
            return frozenset(), frozenset()
        keys = [key for key, v in vectors.items() if v]
        scores = dict(zip(keys, self.scores([vectors[k] for k in keys]), strict=True))
        sure = frozenset(k for k, s in scores.items() if s >= self.certain)
        return sure, frozenset(k for k, s in scores.items() if self.suspect <= s < self.certain)


class ModelJudge:
    """Asks the local model whether a sentence tells an assistant or the reader what to do."""

    def __init__(self, llm: ChatBackend):
        self.llm = llm

    def __call__(self, sentence: str) -> bool:
        reply = "".join(self.llm.stream(addressed_prompt(sentence), max_tokens=2))
        return reply.strip().lower().startswith("yes")


def settle(
    choose: Callable[[Collection[SentenceKey]], Plan],
    sure: Collection[SentenceKey],
    suspects: Collection[SentenceKey],
    judge: Callable[[str], bool],
) -> tuple[Plan, frozenset[SentenceKey]]:
    """Choose evidence without the sentences addressed to an assistant: those surely so are left
    out; a suspect among the chosen is judged, and when it is one, the evidence is chosen again.
    Returns the plan and every sentence left out."""
    excluded = frozenset(sure)
    judged: set[SentenceKey] = set()
    while True:
        plan = choose(excluded)
        chosen = {key: e for _, part in plan for e in part if (key := _stored(e, suspects))}
        pending = {key: e for key, e in chosen.items() if key not in judged}
        if not pending:
            return plan, excluded
        judged |= set(pending)
        confirmed = {key for key, e in pending.items() if judge(e.text)}
        if not confirmed:
            return plan, excluded
        excluded |= confirmed


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms == 0, 1.0, norms)


def _stored(evidence: Evidence, keys: Collection[SentenceKey]) -> SentenceKey | None:
    """The stored sentence among `keys` that holds the evidence (a piece of a long one)."""
    return next(
        (
            (source, start, end)
            for source, start, end in keys
            if source == evidence.source and start <= evidence.start and evidence.end <= end
        ),
        None,
    )
