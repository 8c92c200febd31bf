"""The assistant: it wires the answering pipeline (`assistant/pipeline/`) and nothing else.

    understand → retrieve → select evidence → draft → check → decide → compose

- understand (`question`, `conversation`): the question's language, a follow-up rewritten to
  stand alone, the separate questions inside it, whether it asks for a quotation;
- retrieve (`retrieve`, `rerank`): hybrid search, candidates re-ranked by their best sentence;
- select evidence (`evidence`): the few sentences most likely to answer, numbered;
- draft (`draft`): the local model copies the fewest words that answer, citing their sentence;
- check (`check`): every answer must stand in its sentence; a second, shorter look when not;
- decide (`decide`, `events`): answer, or "not found" (for a question naming a period: the
  events the collection dates in it, when there are any it is about);
- compose (`compose`, `conflicts`): the answer in the question's language, each claim cited,
  and what another source says differently.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

from assistant.budget import Clock, bounded_history, check_length, check_parts
from assistant.language import not_found_message, question_language
from assistant.llm import ChatBackend, make_backend
from assistant.pipeline.addressed import ModelJudge, settle
from assistant.pipeline.align import Aligner
from assistant.pipeline.check import Checked, Checker, answer_words
from assistant.pipeline.compose import Composer, Translator, with_sources
from assistant.pipeline.conflicts import find_conflicts
from assistant.pipeline.conversation import standalone
from assistant.pipeline.decide import decide, relevant
from assistant.pipeline.draft import Drafter, ExtractiveDrafter, drain
from assistant.pipeline.events import period_answer
from assistant.pipeline.evidence import distinct, focused, rank_sentences, select_evidence
from assistant.pipeline.question import Question, read_question
from assistant.pipeline.rerank import Reranker, Retrieved
from assistant.pipeline.retrieve import HybridSearcher, SearchResult, cosine
from assistant.settings import AssistantSettings
from assistant.types import Answer, Check, DateFilter, Evidence, Timings
from vectorstore.errors import AssistantError

History = Sequence[dict[str, str]]


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
        self.retriever = Reranker(self.searcher, self.settings)
        translator = Translator(self.llm)
        embed, least = self.searcher.embedder.embed_similar, self.settings.min_alignment
        align = Aligner(embed, least) if least <= 1 else None  # above 1: off, nothing embedded
        self.checker = Checker(self.searcher.idf, self.settings.min_support, translator, align)
        self.composer = Composer(translator)
        self.judge = ModelJudge(self.llm)

    def ask(
        self, question: str, history: History | None = None, dates: DateFilter | None = None
    ) -> Answer:
        """Answer a question; `history` is the conversation so far as role/content dicts,
        `dates` limits the documents drawn on by their publication date."""
        stream = self.stream(question, history, dates)
        for _ in stream:
            pass
        assert stream.answer is not None
        return stream.answer

    def stream(
        self, question: str, history: History | None = None, dates: DateFilter | None = None
    ) -> AnswerStream:
        """Like ask(), but yields the draft as it is generated; read `.answer` at the end."""
        if not question or not question.strip():
            raise EmptyQuestionError("the question is empty: ask something about the collection")
        s = self.settings
        check_length(question.strip(), s.max_question_chars)
        turns = bounded_history(history or [], s.max_history_messages, s.max_question_chars)
        return AnswerStream(self._within(dates, self._run(question.strip(), turns)))

    def in_period(self, dates: DateFilter | None) -> list[str] | None:
        """The documents a date filter keeps (None: no filter, all of them)."""
        if dates is None:
            return None
        return [s for s, d in self.searcher.documents().items() if dates.keeps(d.date)]

    def _within(
        self, dates: DateFilter | None, steps: Iterator[str | Answer]
    ) -> Iterator[str | Answer]:
        """The steps of an answer, every search in them limited to the filter's documents."""
        with self.searcher.limited_to(self.in_period(dates)):
            yield from steps

    def search(
        self, query: str, k: int | None = None, dates: DateFilter | None = None
    ) -> SearchResult:
        """Retrieval only: the best passages for a query."""
        language = question_language(query, self.searcher.languages())
        with self.searcher.limited_to(self.in_period(dates)):
            return self.searcher.search(query, k or self.settings.passages, language)

    def understand(self, question: str, history: History) -> tuple[Question, float]:
        """The question as the pipeline reads it, and the ms spent rewriting a follow-up."""
        language = question_language(question, self.searcher.languages())
        text, rewrite_ms = standalone(question, language, history, self.llm)
        return read_question(question, text, language), rewrite_ms

    def retrieve(self, question: str, history: History = ()) -> tuple[Retrieved, list[Evidence]]:
        """The passages and the evidence sentences an answer would be drafted from (for
        measuring retrieval and evidence selection alone: the model only rewrites a follow-up
        and judges suspect sentences, as in an answer, and drafts nothing)."""
        retrieved, _, evidence = self._gather(self.understand(question, history)[0])
        return retrieved, evidence

    # -- the pipeline ----------------------------------------------------------------------
    def _run(self, asked: str, history: History) -> Iterator[str | Answer]:
        clock = Clock(self.settings.max_answer_seconds)
        if hasattr(self.llm, "new_question"):
            self.llm.new_question()  # the answer depends on this question, not the one before
        question, rewrite_ms = self.understand(asked, history)
        check_parts(question.parts, self.settings.max_parts)
        retrieved, plan, evidence = self._gather(question)
        base: dict[str, Any] = dict(
            question=asked,
            standalone_question=question.text,
            passages=retrieved.passages,
            language=question.language,
            evidence=tuple(evidence),
        )
        s = self.settings
        if not evidence or not relevant(retrieved, s.min_relevance, s.min_coverage):
            yield self._refuse(question, base, self._timings(retrieved, clock, rewrite_ms))
            return
        drafter = ExtractiveDrafter(self.llm, self.settings.max_answer_tokens, clock.token)
        parts: list[Checked] = []
        drafts: list[str] = []
        tokens = 0
        for part, part_evidence in plan:
            clock.stop_if_over()
            prefix = "\n" if drafts and drafts[-1].strip() else ""
            checked, draft, used = yield from self._answer_part(
                part, question.language, part_evidence, drafter, prefix, clock
            )
            parts.append(checked)
            drafts.append(draft)
            tokens += used
        decision = decide(parts, retrieved, s.min_relevance, s.min_coverage)
        checks: tuple[Check, ...] = tuple(c for part in parts for c in part.checks)
        extra: dict[str, Any] = dict(draft="\n".join(drafts), checks=checks, prompt_tokens=tokens)
        if not decision.found:
            yield self._refuse(question, base, self._timings(retrieved, clock, rewrite_ms), **extra)
            return
        conflicts = (
            [] if clock.over() else self._conflicts(question, retrieved, decision.claims, drafter)
        )
        documents = self.searcher.documents()
        dated = {s: d.date for s, d in documents.items()}
        composed = self.composer(decision.claims, question, conflicts, dated)
        yield Answer(
            text=composed.text,
            found=True,
            citations=with_sources(composed.citations, documents),
            timings=self._timings(retrieved, clock, rewrite_ms),
            conflicts=tuple(c.describe() for c in conflicts),
            **base,
            **extra,
        )

    def _gather(
        self, question: Question
    ) -> tuple[Retrieved, list[tuple[str, list[Evidence]]], list[Evidence]]:
        """The passages, the evidence chosen for each part, and all that evidence once."""
        retrieved = self.retriever(question)
        plan = self._evidence(question, retrieved)
        return retrieved, plan, distinct([e for _, part_evidence in plan for e in part_evidence])

    def _evidence(
        self, question: Question, retrieved: Retrieved
    ) -> list[tuple[str, list[Evidence]]]:
        """Each part of the question with the evidence sentences chosen for it, none of them
        addressed to an assistant."""
        s = self.settings
        several = len(question.parts) > 1

        def choose(excluded: Collection[tuple[str, int, int]]) -> list[tuple[str, list[Evidence]]]:
            return [
                (part, select_evidence(
                    part, question.language, retrieved.passages, self.searcher.idf,
                    retrieved.similarity(i if several else None),
                    # the ranking interleaves the parts, so each part may draw on every passage
                    max_passages=len(retrieved.passages) if several else s.evidence_passages,
                    max_sentences=max(3, -(-s.evidence_sentences // len(question.parts))),
                    max_chars=s.evidence_chars, excluded=excluded))
                for i, part in enumerate(question.parts)
            ]  # fmt: skip

        return settle(choose, retrieved.addressed, retrieved.suspects, self.judge)[0]

    def _answer_part(
        self,
        part: str,
        language: str,
        evidence: Sequence[Evidence],
        drafter: Drafter,
        prefix: str,
        clock: Clock,
    ) -> Generator[str, None, tuple[Checked, str, int]]:
        """Draft and check one part; when nothing holds up, a second look at fewer sentences:
        the one the model pointed at with a bare source number, else the few best. Returns
        (checked, the drafts, prompt tokens) to `yield from`."""
        draft = yield from drafter(part, evidence, prefix)
        checked = self.checker(draft.text, part, evidence, language)
        text, tokens = draft.text, draft.prompt_tokens
        k = self.settings.retry_sentences
        focus = focused(list(checked.pointed[:1]) or evidence, k)
        if not checked.claims and focus and len(focus) < len(evidence) and not clock.over():
            rejected = [answer_words(c.sentence) for c in checked.checks if c.verdict != "dropped"
                        or c.reason == "only repeats the question"]  # fmt: skip
            again = yield from drafter(part, focus, "\n" if draft.shown else prefix, rejected)
            second = self.checker(again.text, part, focus, language)
            text, tokens = f"{text}\n{again.text}", tokens + again.prompt_tokens
            checked = replace(second, checks=checked.checks + second.checks)
        return checked, text, tokens

    def _conflicts(
        self, question: Question, retrieved: Retrieved, claims: Any, drafter: Drafter
    ) -> list[Any]:
        """Other articles that give another number or date for what was asked."""
        s = self.settings
        if s.conflict_margin < 0:
            return []
        pool = rank_sentences(question.text, question.language, retrieved.passages, self.searcher.idf,
                              retrieved.similarity(), max_passages=len(retrieved.passages),
                              excluded=retrieved.addressed | retrieved.suspects)  # fmt: skip

        def reread(evidence: Sequence[Evidence]) -> Checked:
            draft = drain(drafter(question.text, evidence))
            return self.checker(draft.text, question.text, evidence, question.language)

        def related(a: Evidence, b: Evidence) -> float:
            va = retrieved.vector_of(a.source, a.start, a.end)
            vb = retrieved.vector_of(b.source, b.start, b.end)
            return cosine(va, vb) if va and vb else 0.0

        return find_conflicts(claims, pool, reread, related, margin=s.conflict_margin,
                              min_related=s.conflict_similarity)  # fmt: skip

    def _timings(self, retrieved: Retrieved, clock: Clock, rewrite_ms: float) -> Timings:
        elapsed = clock.elapsed()
        first = clock.first_token_ms or elapsed
        return Timings(retrieved.retrieve_ms, first, elapsed, rewrite_ms)

    def _refuse(
        self, question: Question, base: dict[str, Any], timings: Timings, **extra: Any
    ) -> Answer:
        """Not found, unless the question names a period the collection reports events of."""
        events = period_answer(self, question, self.composer.translate, self.settings.min_coverage)
        if events is None:
            return self._refusal(base, timings, **extra)
        text, citations = events.text, events.citations
        return Answer(text=text, found=True, citations=citations, timings=timings, **base, **extra)

    def _refusal(self, base: dict[str, Any], timings: Timings, **extra: Any) -> Answer:
        return Answer(
            text=not_found_message(base["language"]),
            found=False,
            citations=(),
            timings=timings,
            **base,
            **extra,
        )
