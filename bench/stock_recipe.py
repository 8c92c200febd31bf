"""5. The assistant side by side with the stock LangChain RAG recipe, on the project's question set.

The stock recipe, as the LangChain tutorials build it: the files split by
RecursiveCharacterTextSplitter (1000 characters, 200 overlap), Chroma (langchain-chroma) with dense
top-4 retrieval, the same embedder and the same LLM (the assistant's own loaded model, through
`LocalChatModel`), and the tutorials' plain "answer from the context" prompt. Both systems are
scored by `assistant.evaluation` with the same metrics.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import RESULTS, fmt, provenance, save_json, table, write_section

RAG_PROMPT = (
    "You are an assistant for question-answering tasks. Use the following pieces of retrieved "
    "context to answer the question. If you don't know the answer, just say that you don't know. "
    "Use three sentences maximum and keep the answer concise.\n"
    "Question: {question}\nContext: {context}\nAnswer:"
)
REFUSALS = (
    "don't know", "do not know", "not mentioned", "no information", "not provided",
    "does not provide", "doesn't provide", "does not mention", "doesn't mention", "cannot answer",
    "can't answer", "not specified", "does not contain", "doesn't contain", "not available",
    "unable to", "no mention",
)  # fmt: skip
SAMPLE = {"single": 6, "crosslingual": 3, "danish": 3, "followup": 2, "multi": 2, "unanswerable": 3}
"""The default subset: this many questions of each kind (1 of any other kind), in file order."""


@dataclass(frozen=True)
class StockPassage:
    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StockTimings:
    retrieve_ms: float
    first_token_ms: float
    total_ms: float


@dataclass(frozen=True)
class StockAnswer:
    """Shaped like the assistant's Answer, so the same evaluation scores it."""

    text: str
    found: bool
    passages: tuple[StockPassage, ...]
    timings: StockTimings
    citations: tuple[Any, ...] = ()
    standalone_question: str = ""
    conflicts: tuple[str, ...] = field(default=())


class StockRecipe:
    """RecursiveCharacterTextSplitter 1000/200 → Chroma dense top-4 → plain prompt → the LLM."""

    def __init__(self, folder: Path, documents: Path, embedder: Any, llm: Any, k: int = 4):
        from chromadb.config import Settings
        from langchain_chroma import Chroma
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.store = Chroma(
            collection_name="stock-recipe",
            embedding_function=embedder,
            persist_directory=str(folder),
            client_settings=Settings(anonymized_telemetry=False),
        )
        if not self.store.get(limit=1)["ids"]:
            splitter = RecursiveCharacterTextSplitter(
                chunk_size=1000, chunk_overlap=200, add_start_index=True
            )
            files = sorted(p for p in documents.iterdir() if p.is_file())
            chunks = splitter.create_documents(
                [p.read_text(encoding="utf-8") for p in files],
                metadatas=[{"source": p.name} for p in files],
            )
            self.store.add_documents(chunks)
        self.retriever = self.store.as_retriever(search_kwargs={"k": k})
        self.prompt = ChatPromptTemplate.from_messages([("human", RAG_PROMPT)])
        self.llm = llm

    def ask(self, question: str, history: Any = None) -> StockAnswer:
        """The stock recipe has no conversation memory: `history` is ignored, as in the recipe."""
        started = time.perf_counter()
        docs = self.retriever.invoke(question)
        retrieved = (time.perf_counter() - started) * 1000
        context = "\n\n".join(d.page_content for d in docs)
        messages = self.prompt.invoke({"question": question, "context": context})
        text, first = "", 0.0
        for chunk in self.llm.stream(messages):
            if chunk.text and not text:
                first = (time.perf_counter() - started) * 1000
            text += chunk.text
        total = (time.perf_counter() - started) * 1000
        passages = tuple(
            StockPassage(
                source=str(d.metadata["source"]),
                start=int(d.metadata["start_index"]),
                end=int(d.metadata["start_index"]) + len(d.page_content),
                text=d.page_content,
            )
            for d in docs
        )
        lowered = text.lower()
        found = bool(text.strip()) and not any(phrase in lowered for phrase in REFUSALS)
        return StockAnswer(text.strip(), found, passages, StockTimings(retrieved, first, total))


def sample(questions: list[Any], limit: str) -> list[Any]:
    """'all', a number (the first N), or 'sample' (SAMPLE per kind, in file order)."""
    if limit == "all":
        return questions
    if limit.isdigit():
        return questions[: int(limit)]
    taken: Counter[str] = Counter()
    out = []
    for q in questions:
        if taken[q.kind] < SAMPLE.get(q.kind, 1):
            taken[q.kind] += 1
            out.append(q)
    return out


def run(limit: str = "sample") -> dict[str, Any]:
    from assistant.core import Assistant
    from assistant.evaluation import DEFAULT_SET, evaluate, load_questions, summarize, warm_up
    from assistant.integrations import LocalChatModel
    from bench.seeded import SEEDS, seeded

    started = time.perf_counter()
    _, settings = seeded()
    questions = sample(load_questions(DEFAULT_SET), limit)
    assistant = Assistant(settings)
    warm_up(assistant)
    llm = LocalChatModel(
        model=settings.llm_model, backend=assistant.llm, max_tokens=settings.max_answer_tokens
    )
    embedder = assistant.searcher.embedder
    stock = StockRecipe(RESULTS / f"stock-index-{embedder.name}", SEEDS, embedder, llm)
    stock.ask("warm up")

    systems = {"assistant": assistant, "stock": stock}
    summaries, results = {}, {}
    for name, system in systems.items():
        scored = evaluate(system, questions, k=5)
        summaries[name] = summarize(scored, k=5)
        results[name] = [s.__dict__ for s in scored]
    payload = {
        "questions": [q.id for q in questions],
        "selection": limit,
        "summaries": summaries,
        "results": results,
        "seconds": time.perf_counter() - started,
    }
    save_json(f"stock-{limit}", payload)
    write_section("stock" if limit == "sample" else f"stock-{limit}", render(payload))
    return {f"{name}_{k}": v for name, s in summaries.items() for k, v in _headline(s).items()}


def _headline(summary: dict[str, Any]) -> dict[str, Any]:
    keys = ("recall_at_5", "answer_accuracy", "refusal_accuracy", "false_refusal_rate")
    return {k: summary.get(k) for k in keys} | summary["latency_ms"]


METRICS = [
    ("recall_at_5", "gold passage retrieved (recall@5)", True),
    ("mrr", "MRR of the gold passage", True),
    ("answer_accuracy", "answerable: correct answer", True),
    ("false_refusal_rate", "answerable: refused", False),
    ("refusal_accuracy", "unanswerable: refused (correct)", True),
    ("citation_precision", "citation precision", True),
]


def render(p: dict[str, Any]) -> str:
    a, s = p["summaries"]["assistant"], p["summaries"]["stock"]
    rows = []
    for key, label, _ in METRICS:
        rows.append([label, fmt(a.get(key), 2), fmt(s.get(key), 2), _diff(a.get(key), s.get(key))])
    for key, label in (("first_token_p50", "first token p50"), ("first_token_p95", "first token p95"),
                       ("total_p50", "full answer p50"), ("total_p95", "full answer p95")):  # fmt: skip
        av, sv = a["latency_ms"][key], s["latency_ms"][key]
        ratio = f"**{av / sv:.2f}×**" if av and sv else "–"
        rows.append(
            [
                label,
                fmt(av / 1000 if av else None, 2, " s"),
                fmt(sv / 1000 if sv else None, 2, " s"),
                ratio,
            ]
        )
    kinds = sorted(set(a["by_kind"]) | set(s["by_kind"]), key=lambda k: (k == "all", k))
    per_kind = [
        [kind, a["by_kind"].get(kind, {}).get("n", 0),
         fmt(a["by_kind"].get(kind, {}).get("correct"), 2), fmt(s["by_kind"].get(kind, {}).get("correct"), 2),
         fmt(a["by_kind"].get(kind, {}).get("recall"), 2), fmt(s["by_kind"].get(kind, {}).get("recall"), 2)]
        for kind in kinds
    ]  # fmt: skip
    n = len(p["questions"])
    chosen = "all questions" if p["selection"] == "all" else (
        f"a fixed subset of {n} (per kind, the first of the file: "
        + ", ".join(f"{v} {k}" for k, v in SAMPLE.items()) + ", 1 of any other kind)"
        if p["selection"] == "sample" else f"the first {n} questions"
    )  # fmt: skip
    return f"""## 5. Against the stock LangChain recipe ({"all" if p["selection"] == "all" else n} questions)

Question set `bench/questions.yaml`, {chosen}; both systems scored by `assistant.evaluation`
(definitions in docs/EVALUATION.md). Stock recipe: RecursiveCharacterTextSplitter 1000/200,
Chroma dense top-4, the same EmbeddingGemma embedder, the same loaded LLM and answer-length cap,
the tutorials' plain prompt ("Use the following pieces of retrieved context to answer the
question. If you don't know the answer, just say that you don't know."), no conversation memory.
Its refusals are recognised by phrases such as "don't know"; it gives no citations. Its recall
counts its 4 passages (the assistant's, its first 5).

{table(["measure", "assistant", "stock recipe", "difference / ratio"], rows)}

{table(["kind", "n", "correct: assistant", "correct: stock", "recall: assistant", "recall: stock"], per_kind)}

{provenance(p["seconds"])}
"""


def _diff(a: float | None, b: float | None) -> str:
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a - b:+.2f}"
