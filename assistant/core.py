"""The assistant: question → standalone question → hybrid retrieval → evidence sentences →
a short cited draft from the local LLM → every sentence checked → a frozen `Answer`.

When the evidence is too weak the model is not asked at all, and when no sentence of its draft
survives the check the answer is an honest "not found" with no citations.
"""

from __future__ import annotations

import re
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from assistant.conflicts import Conflict, describe, find_conflicts, with_conflicts
from assistant.evidence import focused, rank_sentences, select_evidence
from assistant.expect import (
    answer_test,
    capitalised,
    expected,
    full_names,
    mentions,
    proper_names,
)
from assistant.language import not_found_message, question_language
from assistant.llm import ChatBackend, make_backend
from assistant.prompt import (
    NOT_FOUND,
    POINT_SYSTEM,
    SYSTEM,
    answer_messages,
    rewrite_messages,
)
from assistant.rerank import (
    as_question,
    best_sentence,
    cosine,
    question_parts,
    rerank,
    two_subjects,
)
from assistant.retrieve import HybridSearcher, SearchResult
from assistant.settings import AssistantSettings
from assistant.types import Answer, Check, Evidence, Passage, Timings
from assistant.verify import Subject, Verified, renumber_markers, verify
from vectorstore.errors import AssistantError
from vectorstore.schema import sentence_id

History = Sequence[dict[str, str]]
Vector = Sequence[float]
Vectors = dict[tuple[str, int, int], Vector]

_DEPENDS_ON_HISTORY = re.compile(
    r"\b(he|she|him|her|his|hers|it|its|they|them|their|this|that|these|those|there|then|"
    r"the same|why|han|hun|ham|hans|hendes|det|den|de|dem|deres|der|dengang)\b"
    r"|^\W*(and|but|also|what about|how about|og|men|også|hvad med)\b",
    re.IGNORECASE,
)


def _in_shared_numbers(checked: Verified, evidence: Sequence[Evidence]) -> str:
    """A checked part's text, its markers turned back into the evidence's own numbers."""
    numbers = {(e.source, e.start, e.end): e.n for e in evidence}
    shared = {c.n: numbers.get((c.source, c.start, c.end), c.n) for c in checked.citations}
    return renumber_markers(checked.text, shared)


def _second_look(question: str) -> str:
    """The system prompt of a second look. When the question asks for a number, a date, an age or
    a span of time, every sentence shown holds one, and the small model, which often refuses
    when the words differ from the question's, is asked only to point at the one that answers:
    its pointer stands only if that sentence holds the asked kind and ranks near the best. Other
    questions get the usual prompt: a bare pointer there would be checked by nothing."""
    return POINT_SYSTEM if expected(question) in _POINTABLE else SYSTEM


_POINTABLE = frozenset({"age", "duration", "number", "date"})


class _Clock:
    """When the first token of any draft arrived, in ms since the question did."""

    def __init__(self, started: float):
        self.started = started
        self.first_token_ms = 0.0

    def token(self) -> None:
        if not self.first_token_ms:
            self.first_token_ms = (time.perf_counter() - self.started) * 1000


class EmptyQuestionError(AssistantError):
    """The question was empty."""


class AnswerStream:
    """Text deltas as the model writes them; `.answer` holds the checked Answer afterwards."""

    def __init__(self, steps: Iterator[str | Answer]):
        self._steps = steps
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for step in self._steps:
            if isinstance(step, Answer):
                self.answer = step
            else:
                yield step


class Assistant:
    """Answers questions from the ingested collection only, with verified citations."""

    def __init__(
        self,
        settings: AssistantSettings | None = None,
        *,
        searcher: HybridSearcher | None = None,
        llm: ChatBackend | None = None,
    ):
        self.settings = settings or AssistantSettings()
        self.searcher = searcher or HybridSearcher(self.settings)
        self.llm: Any = llm or make_backend(self.settings)

    def ask(self, question: str, history: History | None = None) -> Answer:
        """Answer a question; `history` is the conversation so far as role/content dicts."""
        stream = self.stream(question, history)
        for _ in stream:
            pass
        assert stream.answer is not None
        return stream.answer

    def stream(self, question: str, history: History | None = None) -> AnswerStream:
        """Like ask(), but yields the draft as it is generated; read `.answer` at the end."""
        if not question or not question.strip():
            raise EmptyQuestionError("the question is empty: ask something about the collection")
        return AnswerStream(self._run(question.strip(), list(history or [])))

    def search(self, query: str, k: int | None = None) -> SearchResult:
        """Retrieval only: the best passages for a query."""
        language = question_language(query, self.searcher.languages())
        return self.searcher.search(query, k or self.settings.passages, language)

    # -- the pipeline ----------------------------------------------------------------------
    def _run(self, question: str, history: list[dict[str, str]]) -> Iterator[str | Answer]:
        started = time.perf_counter()
        if hasattr(self.llm, "new_question"):
            self.llm.new_question()  # the answer depends on this question, not the one before
        language = question_language(question, self.searcher.languages())
        standalone, rewrite_ms = self._standalone(question, history)
        result, queries, vectors = self._retrieve(standalone, language)
        similarity = self._sentence_similarity(result, queries, vectors)
        evidence = select_evidence(
            standalone,
            language,
            result.passages,
            self._idf,
            similarity,
            max_passages=self.settings.evidence_passages,
            max_sentences=self.settings.evidence_sentences,
            max_chars=self.settings.evidence_chars,
        )
        base = dict(
            question=question,
            standalone_question=standalone,
            passages=result.passages,
            language=language,
            evidence=tuple(evidence),
        )
        if not evidence or result.best_dense < self.settings.min_relevance:
            elapsed = (time.perf_counter() - started) * 1000
            timings = Timings(result.retrieve_ms, elapsed, elapsed, rewrite_ms)
            yield self._refusal(base, timings, reason="no passage is close enough to the question")
            return

        clock = _Clock(started)
        cross_check = self._cross_check(similarity)
        parts = question_parts(standalone)
        if len(parts) > 1 and len(queries) == len(parts):
            # A compound question: each part gets its own evidence and its own short draft, so
            # the small model answers both halves instead of the easier one.
            evidence, plan = self._part_evidence(parts, language, result, queries, vectors)
            base["evidence"] = tuple(evidence)
            draft, checked, tokens = yield from self._drafts(
                standalone, plan, evidence, language, cross_check, clock
            )
        else:
            draft, checked, tokens = yield from self._draft(
                standalone, evidence, language, cross_check, clock
            )
        focus = focused(standalone, evidence, self.settings.retry_sentences)
        if self._doubtful(checked) and focus and len(focus) < len(evidence):
            # A second, shorter look: only the best sentences that hold the kind of answer asked
            # for. The small model often refuses, or cites a weak sentence, when the answer hides
            # among distractors.
            if draft.strip() and not draft.strip().startswith(NOT_FOUND):
                yield "\n"  # the first draft was shown: the second one goes below it
            retry, second, more = yield from self._draft(
                standalone, focus, language, cross_check, clock, _second_look(standalone)
            )
            draft, tokens = f"{draft}\n{retry}", tokens + more
            checked = second if second.found or not checked.found else checked
        conflicts: list[Conflict] = []
        if checked.found:
            conflicts = self._conflicts(standalone, language, checked, evidence, result, similarity)
            checked = with_conflicts(checked, conflicts, language)
        timings = Timings(
            retrieve_ms=result.retrieve_ms,
            first_token_ms=clock.first_token_ms,
            total_ms=(time.perf_counter() - started) * 1000,
            rewrite_ms=rewrite_ms,
        )
        extra: dict[str, Any] = dict(draft=draft, checks=checked.checks, prompt_tokens=tokens)
        if not checked.found:
            yield self._refusal(base, timings, **extra)
            return
        yield Answer(
            text=checked.text,
            found=True,
            citations=checked.citations,
            timings=timings,
            conflicts=tuple(describe(c) for c in conflicts),
            **base,  # type: ignore[arg-type]
            **extra,
        )

    def _draft(
        self,
        question: str,
        evidence: Sequence[Evidence],
        language: str,
        cross_check: Any,
        clock: _Clock,
        system: str = SYSTEM,
    ) -> Generator[str, None, tuple[str, Verified, int]]:
        """Stream the model's draft from the evidence (a refusal is not streamed), then check it.
        Returns (draft, checked, prompt tokens) to `yield from`."""
        draft, tokens, _ = yield from self._generate(
            question, evidence, language, clock, system=system
        )
        checked = self._verify(
            draft,
            question,
            evidence,
            language,
            cross_check,
            subject=self._subject(question, language),
        )
        return draft, checked, tokens

    def _drafts(
        self,
        question: str,
        plan: Sequence[tuple[str, Sequence[Evidence]]],
        evidence: Sequence[Evidence],
        language: str,
        cross_check: Any,
        clock: _Clock,
    ) -> Generator[str, None, tuple[str, Verified, int]]:
        """One draft per part of a compound question, streamed one after the other. Each part is
        checked against its own evidence; what survives is checked together once more."""
        drafts: list[str] = []
        kept: list[str] = []
        checks: list[Check] = []
        tokens, shown = 0, False
        subjects = two_subjects(question)
        for i, (part, part_evidence) in enumerate(plan):
            text, more, showed = yield from self._part_draft(
                part, part_evidence, language, clock, " " if shown else ""
            )
            own, other = (subjects[i], subjects[1 - i]) if subjects else ("", "")
            subject = self._subject(part, language, own, other)
            checked = self._verify(
                text, part, evidence, language, cross_check, part_evidence, subject
            )
            if self._doubtful(checked):
                # The part's own second look, on its few best sentences of the asked kind.
                keys = {(e.source, e.start): e for e in part_evidence}
                focus = [
                    keys[(e.source, e.start)]
                    for e in focused(part, part_evidence, self.settings.retry_sentences)
                ]
                if focus and len(focus) < len(part_evidence):
                    prefix = " " if shown or showed else ""
                    retry, extra, again = yield from self._part_draft(
                        part, focus, language, clock, prefix, _second_look(part)
                    )
                    second = self._verify(
                        retry, part, evidence, language, cross_check, part_evidence, subject
                    )
                    text = f"{text}\n{retry}"
                    checked = second if second.found or not checked.found else checked
                    more, showed = more + extra, showed or again
            drafts.append(text)
            checks.extend(checked.checks)
            if checked.found:
                # The part's own verdict stands (a bare marker it repaired becomes its sentence):
                # judged beside the other part's evidence, a marker would be measured against
                # sentences scored for another question.
                said = _in_shared_numbers(checked, evidence)
                if own and not mentions(said, capitalised(own)):
                    said = f"{own}: {said}"  # whose answer it is, when its sentence does not say
                kept.append(said)
            tokens, shown = tokens + more, shown or showed
        draft = "\n".join(d for d in drafts if d)
        together = self._verify("\n".join(kept), question, evidence, language, cross_check)
        checks.extend(c for c in together.checks if c.verdict != "supported")
        # Each part's distance from its best sentence was judged, and looked at again, above.
        return draft, replace(together, checks=tuple(checks), drift=0.0), tokens

    def _part_draft(
        self,
        part: str,
        part_evidence: Sequence[Evidence],
        language: str,
        clock: _Clock,
        prefix: str,
        system: str = SYSTEM,
    ) -> Generator[str, None, tuple[str, int, bool]]:
        """A draft for one part of a compound question. Its prompt numbers the sources from [1],
        as a single question's does; the draft's markers are mapped back to the shared numbers."""
        local = [replace(e, n=i) for i, e in enumerate(part_evidence, 1)]
        text, tokens, showed = yield from self._generate(
            as_question(part), local, language, clock, prefix, system
        )
        shared = {i: e.n for i, e in enumerate(part_evidence, 1)}
        return renumber_markers(text.strip(), shared), tokens, showed

    def _generate(
        self,
        question: str,
        evidence: Sequence[Evidence],
        language: str,
        clock: _Clock,
        prefix: str = "",
        system: str = SYSTEM,
    ) -> Generator[str, None, tuple[str, int, bool]]:
        """Stream one draft (a refusal is not streamed; `prefix` goes before the first text
        shown). Returns (draft, prompt tokens, whether anything was shown)."""
        messages = answer_messages(question, evidence, language, system)
        draft, shown = "", 0
        for delta in self.llm.stream(messages, self.settings.max_answer_tokens):
            clock.token()
            draft += delta
            head = draft.strip()
            if NOT_FOUND.startswith(head) or head.startswith(NOT_FOUND):
                continue  # a refusal is shown as one, not streamed as model output
            yield (prefix if not shown else "") + draft[shown:]
            shown = len(draft)
        return draft, self.llm.count_tokens(messages), shown > 0

    def _doubtful(self, checked: Verified) -> bool:
        """Refused, or resting on a sentence far weaker than the best one of the asked kind."""
        margin = self.settings.drift_margin
        return not checked.found or (margin >= 0 and checked.drift > margin)

    def _verify(
        self,
        draft: str,
        question: str,
        evidence: Sequence[Evidence],
        language: str,
        cross_check: Any,
        ranked_among: Sequence[Evidence] | None = None,
        subject: Subject | None = None,
    ) -> Verified:
        return verify(
            draft,
            question,
            evidence,
            language,
            self._idf,
            min_support=self.settings.min_support,
            cross_check=cross_check,
            marker_margin=self.settings.marker_margin,
            ranked_among=ranked_among,
            subject=subject,
        )

    def _subject(
        self, question: str, language: str, own: str = "", other: str = ""
    ) -> Subject | None:
        """Why a sentence cannot answer the question for whom it names ("" when it can); None
        when the question names no one this can check.

        A question that names someone in full ("General Mark Milley") cannot be answered from an
        article that never mentions them: the small model otherwise gives the age of the person an
        article is about to whoever was asked about. (Only in the question's language: the names
        of bodies, "United States", are translated.) When one question is asked of two subjects,
        a sentence that names the `other` one and not this part's `own` is about the other.
        """
        names = full_names(question)
        mine = capitalised(own)
        theirs = capitalised(other) - mine
        if not names and not (mine and theirs):
            return None
        named: dict[str, bool] = {}

        def why(e: Evidence) -> str:
            if mine and theirs and mentions(e.text, theirs) and not mentions(e.text, mine):
                return f"about {other}, not {own}"
            if names and (not e.language or e.language == language):
                if e.source not in named:
                    named[e.source] = self.searcher.names_in(e.source, names)
                if not named[e.source]:
                    return f"its article never names {', '.join(sorted(names))}"
            return ""

        return why

    def _part_evidence(
        self,
        parts: Sequence[str],
        language: str,
        result: SearchResult,
        queries: Sequence[Vector],
        vectors: Vectors,
    ) -> tuple[list[Evidence], list[tuple[str, list[Evidence]]]]:
        """Evidence chosen for each part of a compound question, numbered once across parts
        (a sentence two parts share keeps one number). Returns (all evidence, per-part plan)."""
        s = self.settings
        share = max(3, -(-s.evidence_sentences // len(parts)))
        numbered: dict[tuple[str, int], Evidence] = {}
        plan: list[tuple[str, list[Evidence]]] = []
        for part, query in zip(parts, queries, strict=True):
            chosen = select_evidence(
                part,
                language,
                result.passages,
                self._idf,
                self._sentence_similarity(result, [query], vectors),
                max_passages=len(result.passages),  # the ranking interleaves the parts
                max_sentences=share,
                max_chars=s.evidence_chars,  # each part has a prompt of its own
            )
            own = []
            for e in chosen:
                key = (e.source, e.start)
                if key not in numbered:
                    numbered[key] = replace(e, n=len(numbered) + 1)
                own.append(numbered[key])
            plan.append((part, own))
        return list(numbered.values()), plan

    def _conflicts(
        self,
        question: str,
        language: str,
        checked: Verified,
        evidence: Sequence[Evidence],
        result: SearchResult,
        similarity: Any,
    ) -> list[Conflict]:
        """Other sources that give a different date or number than the answer does."""
        cited_keys = {(c.source, c.start, c.end) for c in checked.citations}
        cited = [e for e in evidence if (e.source, e.start, e.end) in cited_keys]
        if not cited:
            return []
        pool = rank_sentences(
            question, language, result.passages, self._idf, similarity,
            max_passages=self.settings.passages,
        )  # fmt: skip
        threshold = max(e.score for e in cited) - self.settings.conflict_margin
        return find_conflicts(
            question, language, checked.text, cited, pool, lambda e: e.score, threshold
        )

    def _refusal(
        self, base: dict[str, Any], timings: Timings, reason: str = "", **extra: Any
    ) -> Answer:
        return Answer(
            text=not_found_message(base["language"]),
            found=False,
            citations=(),
            timings=timings,
            **base,
            **extra,
        )

    def _standalone(self, question: str, history: list[dict[str, str]]) -> tuple[str, float]:
        """The question rewritten to stand alone, when it leans on the conversation."""
        leans = (
            _DEPENDS_ON_HISTORY.search(question)
            or len(question.split()) <= 4
            or not proper_names(question)  # "the signing", "the letter": named in the history
        )
        if not any(m.get("role") == "user" for m in history) or not leans:
            return question, 0.0
        started = time.perf_counter()
        rewritten = "".join(self.llm.stream(rewrite_messages(question, history), 48, stop=["\n"]))
        rewritten = rewritten.strip().strip('"').strip()
        rewritten = re.sub(r"^(rewritten|follow-up|question)\s*:\s*", "", rewritten, flags=re.I)
        elapsed = (time.perf_counter() - started) * 1000
        if rewritten.endswith("?") and len(rewritten) <= 4 * len(question) + 200:
            return rewritten, elapsed
        # The model answered instead of rewriting: let the previous question carry the context.
        previous = next(m["content"] for m in reversed(history) if m.get("role") == "user")
        return f"{previous.strip()} {question}", elapsed

    def _idf(self, term: str) -> float:
        lexical = self.searcher._lexical
        return lexical.idf(term) if lexical is not None else 1.0

    def _retrieve(self, question: str, language: str) -> tuple[SearchResult, list[Vector], Vectors]:
        """Hybrid search for candidates, then a rerank by each candidate's best sentence.

        Returns the result (passages cut to `settings.passages`, `best_dense` the best chunk or
        sentence similarity), the query vectors (one per part of a compound question) and the
        stored sentence vectors of the candidates.
        """
        s = self.settings
        k = max(5, s.passages)
        started = time.perf_counter()
        result = self.searcher.search(question, max(k, s.rerank_candidates), language)
        if s.rerank_candidates <= 0 or not result.query_vector:
            return replace(result, passages=result.passages[:k]), [result.query_vector], {}
        parts = question_parts(question)
        queries: list[Vector] = [result.query_vector]
        if len(parts) > 1:
            queries = [self.searcher.embedder.embed_query(p) for p in parts]
        vectors = self._vectors_of(result.passages)

        def sentences(passage: Passage) -> list[tuple[tuple[int, int], Vector]]:
            return [
                (sp, v) for sp in passage.sentences if (v := vectors.get((passage.source, *sp)))
            ]

        ranked = rerank(
            result.passages,
            queries,
            sentences,
            chunk_weight=s.rerank_chunk_weight,
            lexical_weight=s.rerank_lexical_weight,
            language=language,
            other_language_bonus=s.other_language_bonus,
            answers=[answer_test(p) for p in parts] if s.off_kind_penalty else (),
            off_kind_penalty=s.off_kind_penalty,
        )
        best = max((best_sentence(q, p, sentences) for q in queries for p in ranked[:k]), default=0)
        result = replace(
            result,
            passages=tuple(ranked[:k]),
            best_dense=max(best, result.best_dense),
            retrieve_ms=(time.perf_counter() - started) * 1000,
        )
        return result, queries, vectors

    def _vectors_of(self, passages: Sequence[Passage]) -> Vectors:
        """Stored sentence vectors of the passages, keyed by (source, start, end)."""
        keys: dict[tuple[str, int, int], str] = {}
        for passage in passages:
            for span in passage.sentences:
                keys[(passage.source, *span)] = sentence_id(passage.source, passage.doc_hash, span)
        stored = self.searcher.store.sentence_vectors(list(dict.fromkeys(keys.values())))
        return {key: stored[i] for key, i in keys.items() if i in stored}

    def _sentence_similarity(
        self, result: SearchResult, queries: Sequence[Vector], vectors: Vectors
    ) -> Any:
        """Cosine similarity of the question (its closest part) to each candidate sentence."""
        queries = [q for q in queries if q]
        if not queries:
            return None
        passages = result.passages[: self.settings.evidence_passages]
        if not vectors:
            vectors = self._vectors_of(passages)

        def similarity(passage: Passage, span: tuple[int, int]) -> float:
            vector = vectors.get((passage.source, *span))
            return max(cosine(q, vector) for q in queries) if vector else 0.0

        return similarity

    def _cross_check(self, similarity: Any) -> Any:
        """Meaning-level support of a claim by a sentence in another language."""
        embedder = self.searcher.embedder
        store = self.searcher.store
        claim_vector = lru_cache(maxsize=32)(embedder.embed_query)  # one embedding per claim

        def check(text: str, evidence: Evidence) -> float:
            doc = self.searcher.documents().get(evidence.source)
            if doc is None:
                return 0.0
            key = sentence_id(evidence.source, doc.doc_hash, (evidence.start, evidence.end))
            stored = store.sentence_vectors([key]).get(key)
            if not stored:
                return 0.0
            claim = claim_vector(text)
            return sum(a * b for a, b in zip(claim, stored, strict=True))

        return check
