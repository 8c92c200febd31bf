"""3. Time to first token and total answer time against bare llama-cpp-python on the same prompt.

The assistant answers questions of the evaluation set (those asked without a conversation) with
its LLM wrapped to record the exact messages it sends. Right after each answer, a second,
identically configured `llama_cpp.Llama` streams a reply to those same messages, so both see the
same prompt, the same greedy decoding and the same prompt-cache history. The ratio is the
pipeline's time over the bare model's: retrieval, evidence selection and checking are the overhead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

from bench.common import fmt, percentile, provenance, save_json, table, write_section

Messages = Sequence[dict[str, str]]


class RecordingBackend:
    """The assistant's backend, recording the messages of every call."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.name = inner.name
        self.calls: list[tuple[list[dict[str, str]], int, list[str]]] = []

    def load(self) -> None:
        self.inner.load()

    def stream(
        self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        self.calls.append(([dict(m) for m in messages], max_tokens, list(stop)))
        yield from self.inner.stream(messages, max_tokens, stop)

    def count_tokens(self, messages: Messages) -> int:
        return int(self.inner.count_tokens(messages))


def bare_model(settings: Any) -> Any:
    """A llama_cpp.Llama configured exactly as the assistant's in-process backend."""
    from llama_cpp import Llama

    from assistant.llm import model_path

    return Llama(
        model_path=str(model_path(settings.llm_model)),
        n_ctx=settings.llm_context,
        n_threads=settings.llm_threads,
        n_threads_batch=settings.llm_threads,
        n_batch=512,
        seed=0,
        verbose=False,
    )


def bare_stream(
    llm: Any, messages: Messages, max_tokens: int, stop: list[str]
) -> tuple[float, float, str]:
    """(first token ms, total ms, text) of a plain streamed chat completion."""
    started = time.perf_counter()
    first, text = 0.0, ""
    for chunk in llm.create_chat_completion(
        messages=list(messages),
        stream=True,
        temperature=0.0,
        top_k=1,
        max_tokens=max_tokens,
        stop=stop or None,
    ):
        delta = chunk["choices"][0].get("delta", {}).get("content")
        if delta:
            if not text:
                first = (time.perf_counter() - started) * 1000
            text += delta
    return first, (time.perf_counter() - started) * 1000, text


def run(questions: int = 12) -> dict[str, Any]:
    from assistant.core import Assistant
    from assistant.evaluation import DEFAULT_SET, load_questions, warm_up
    from assistant.llm import LlamaCppBackend
    from bench.seeded import seeded

    started = time.perf_counter()
    _, settings = seeded()
    backend = RecordingBackend(LlamaCppBackend(settings))
    assistant = Assistant(settings, llm=backend)
    warm_up(assistant)
    bare = bare_model(settings)
    bare_stream(bare, [{"role": "user", "content": "Say hello."}], 4, [])

    pool = [q for q in load_questions(DEFAULT_SET) if not q.history and q.answerable]
    rows: list[dict[str, Any]] = []
    skipped = 0
    for question in pool:
        if len(rows) >= questions:
            break
        backend.calls.clear()
        clock = time.perf_counter()
        answer = assistant.ask(question.question)
        wall_ms = (time.perf_counter() - clock) * 1000
        if not backend.calls:  # refused before asking the model: nothing to compare
            skipped += 1
            continue
        messages, max_tokens, stop = backend.calls[-1]
        first, total, text = bare_stream(bare, messages, max_tokens, stop)
        rows.append(
            {
                "id": question.id,
                "prompt_tokens": backend.count_tokens(messages),
                "first_token_ms": answer.timings.first_token_ms,
                "total_ms": answer.timings.total_ms,
                "wall_ms": wall_ms,
                "retrieve_ms": answer.timings.retrieve_ms,
                "bare_first_token_ms": first,
                "bare_total_ms": total,
                "same_draft": text == answer.draft,
                "found": answer.found,
            }
        )
    result: dict[str, Any] = {
        "llm_model": settings.llm_model,
        "questions": rows,
        "skipped_no_llm_call": skipped,
        "seconds": time.perf_counter() - started,
    }
    for key in (
        "first_token_ms",
        "total_ms",
        "bare_first_token_ms",
        "bare_total_ms",
        "prompt_tokens",
    ):
        values = [r[key] for r in rows]
        result[f"{key}_p50"] = percentile(values, 50)
        result[f"{key}_p95"] = percentile(values, 95)
    result["first_token_ratio"] = result["first_token_ms_p50"] / result["bare_first_token_ms_p50"]
    result["total_ratio"] = result["total_ms_p50"] / result["bare_total_ms_p50"]
    result["prompt_tokens_max"] = max((r["prompt_tokens"] for r in rows), default=0)
    save_json("answer", result)
    write_section("answer", render(result))
    return {k: v for k, v in result.items() if k != "questions"}


def render(r: dict[str, Any]) -> str:
    def ratio(a: str, b: str) -> str:
        return f"**{r[a] / r[b]:.2f}**"

    rows = [
        ["first token, p50", fmt(r["first_token_ms_p50"] / 1000, 2, " s"),
         fmt(r["bare_first_token_ms_p50"] / 1000, 2, " s"),
         ratio("first_token_ms_p50", "bare_first_token_ms_p50"), "≤ 3 s, overhead ≤ 20 %"],
        ["first token, p95", fmt(r["first_token_ms_p95"] / 1000, 2, " s"),
         fmt(r["bare_first_token_ms_p95"] / 1000, 2, " s"),
         ratio("first_token_ms_p95", "bare_first_token_ms_p95"), ""],
        ["full answer, p50", fmt(r["total_ms_p50"] / 1000, 2, " s"),
         fmt(r["bare_total_ms_p50"] / 1000, 2, " s"),
         ratio("total_ms_p50", "bare_total_ms_p50"), "≤ 12 s, overhead ≤ 20 %"],
        ["full answer, p95", fmt(r["total_ms_p95"] / 1000, 2, " s"),
         fmt(r["bare_total_ms_p95"] / 1000, 2, " s"),
         ratio("total_ms_p95", "bare_total_ms_p95"), ""],
    ]  # fmt: skip
    per_question = [
        [q["id"], q["prompt_tokens"], fmt(q["retrieve_ms"], 0), fmt(q["first_token_ms"], 0),
         fmt(q["bare_first_token_ms"], 0), fmt(q["total_ms"], 0), fmt(q["bare_total_ms"], 0),
         "yes" if q["same_draft"] else "no"]
        for q in r["questions"]
    ]  # fmt: skip
    same = sum(q["same_draft"] for q in r["questions"])
    n = len(r["questions"])
    return f"""## 3. Answer latency against bare llama-cpp-python

{n} questions of the evaluation set (answerable, no conversation), default model
`{r["llm_model"]}`; {r["skipped_no_llm_call"]} more were refused before any model call and are
not counted. Prompt tokens per question: p50 {fmt(r["prompt_tokens_p50"], 0)}, max
{r["prompt_tokens_max"]}.

{table(["measure", "assistant", "bare llama-cpp-python", "ratio", "goal"], rows)}

The bare model wrote the same draft as the assistant's model for {same} of {n} questions
(greedy decoding on the same prompt; a difference means the assistant's model had another
prompt-cache history).

<details><summary>Per question (ms)</summary>

{table(["question", "prompt tokens", "retrieve", "first token", "bare first token", "total", "bare total", "same draft"], per_question)}

</details>

{provenance(r["seconds"])}
"""
