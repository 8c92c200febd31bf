"""`python -m bench reader`: how well the local model reads when it is handed the one sentence
that holds the answer, on the Wikipedia development corpus (docs/EVALUATION.md).

The pipeline's accuracy is bounded by two things: whether the answer's sentence reaches the
model (retrieval and evidence selection; `in_prompt` in the quality rows) and whether the model
copies the right words from it. This run takes the first away: each answerable question is
asked of the sentence its gold span lies in, alone, with the pipeline's prompt. Two figures per
row: the model's draft as written (any line holding the gold counts, so the check cannot cost
it anything), and the answer after the pipeline's check and composition. English questions over
German articles are also asked translated into German first by the same model, to see whether
reading within one language helps it.

The rows bound the reader in use, not the pipeline: retrieval is perfect here by construction.
Stores and article copies are those of `python -m bench quality` (run it first).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from bench.common import RESULTS, fmt, provenance, save_json, table, write_section
from bench.quality import REPORT, XQUAD, corpora

EVERY = 6
"""Every 6th question of each kind: the sample of `bench quality --every 6`."""


@dataclass(frozen=True)
class Row:
    kind: str
    condition: str
    asked: int
    drafted: int
    """Drafts with a line that holds a gold answer, before any check."""
    either: int
    """Questions whose draft or checked answer holds a gold answer."""
    right: int
    """Answers that hold a gold answer after the check and composition."""
    f1: float
    refused: int
    answers: dict[str, str]
    """Question id → the composed answer ("" when refused), for joining with quality's."""


def run(every: int = EVERY) -> dict[str, Any]:
    started = time.perf_counter()
    chosen = [c for c in corpora() if c.name.startswith("xquad")]
    rows = [row for corpus in chosen for row in _corpus(corpus, every)]
    payload = {"every": every, "rows": [asdict(r) for r in rows]}
    save_json("reader", payload)
    write_section("reader", _report(rows, every, time.perf_counter() - started), report=REPORT)
    return payload


def _corpus(corpus: Any, every: int) -> Iterator[Row]:
    os.environ.update(ASSISTANT_SEEDS_DIR=str(corpus.folder),
                      ASSISTANT_STORE_PATH=str(RESULTS / "stores" / corpus.name))  # fmt: skip
    from assistant.core import Assistant
    from assistant.evaluation import load_questions
    from assistant.evaluation.run import select

    assistant = Assistant()
    documents = assistant.searcher.documents()
    for path, collection in corpus.sets:
        questions = [q for q in load_questions(path, collection, documents) if q.answerable]
        by_kind: dict[str, list[Any]] = {}
        for q in select(questions, every=every):
            by_kind.setdefault(q.kind, []).append(q)
        for kind, asked in by_kind.items():
            yield _ask(assistant, corpus.folder, kind, asked, translate=False)
            if kind == "cross":
                yield _ask(assistant, corpus.folder, kind, asked, translate=True)


def _ask(assistant: Any, folder: Any, kind: str, asked: list[Any], translate: bool) -> Row:
    from assistant.evaluation.scoring import holds_answer
    from assistant.language import question_language
    from assistant.pipeline.check import answer_words, answers
    from assistant.pipeline.draft import ExtractiveDrafter, drain
    from assistant.pipeline.question import read_question

    drafter = ExtractiveDrafter(assistant.llm, assistant.settings.max_answer_tokens)
    drafted, either, right, f1s, refused, composed = 0, 0, 0, [], 0, {}
    for q in asked:
        evidence = [_gold_sentence(folder, q)]
        question, language = q.question, question_language(q.question)
        if translate:
            question = assistant.composer.translate(question, evidence[0].language)
            language = evidence[0].language
        draft = drain(drafter(question, evidence)).text
        copied = any(holds_answer(answer_words(a), q.answers)[0] for a in answers(draft))
        checked = assistant.checker(draft, question, evidence, language)
        shown = read_question(q.question, q.question, question_language(q.question))
        composed[q.id] = assistant.composer(checked.claims, shown).text if checked.claims else ""
        held, f1 = holds_answer(composed[q.id], q.answers) if checked.claims else (False, 0.0)
        refused += not checked.claims
        drafted, right, either = drafted + copied, right + held, either + (copied or held)
        f1s.append(f1)
    condition = "question translated into the article's language" if translate else "as asked"
    f1 = sum(f1s) / max(1, len(f1s))
    return Row(kind, condition, len(asked), drafted, either, right, f1, refused, composed)


def _gold_sentence(folder: Any, q: Any) -> Any:
    """The sentence of the article that holds the start of the question's first gold span."""
    from assistant.types import Evidence
    from vectorstore.text import detect_language, split_sentences

    span = q.spans[0][0]
    text = (folder / span.source).read_text("utf-8")
    language = detect_language(text[:2000])
    for start, end in split_sentences(text, 0, len(text), language):
        if start <= span.start < end:
            return Evidence(1, span.source, "", start, end, text[start:end], 1.0, language, 0)
    raise ValueError(f"no sentence holds the gold span of {q.id}")


def _report(rows: list[Row], every: int, seconds: float) -> str:
    def share(n: int, row: Row) -> str:
        return fmt(n / max(1, row.asked), 2)

    lines = [[r.kind, r.condition, str(r.asked), share(r.drafted, r), share(r.right, r),
              share(r.either, r), fmt(r.f1, 2), share(r.refused, r)] for r in rows]  # fmt: skip
    header = ("kind", "question", "asked", "draft holds the gold", "answer correct (checked)",
              "either", "F1 (checked)", "refused (checked)")  # fmt: skip
    return (
        "## The reader's ceiling: the answer's sentence alone\n\n"
        f"{provenance(seconds)} Every {every}th answerable question of each kind of "
        f"`{XQUAD.name}`, asked of the one sentence that holds its gold span.\n\n"
        + table(header, lines)
    )
