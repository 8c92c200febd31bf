"""8. Three users at once: how long the ordinary questions wait while one user sends the worst
question the budgets allow.

One assistant and one in-process model serve every browser session (the app caches them), so
concurrent questions queue for the model. Two users ask ordinary seed questions one after the
other while a third keeps sending the longest allowed question with the most parts. Each
ordinary question's time to the first token and to the whole answer is compared with the same
question asked alone, with the model's calls served in arrival order (the shipped lock) and with
a plain lock (whoever grabs it first).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from bench.common import fmt, percentile, provenance, save_json, table, write_section

ORDINARY = (
    "Who replaced Zalmay Khalilzad as the US envoy?",
    "When did Khalilzad resign?",
    "Which think tank is Husain Haqqani affiliated with?",
    "How old is Zalmay Khalilzad?",
)
PARTS = (
    "What did the agreement between the United States and the Taliban signed in Doha in "
    "February 2020 say about the withdrawal of foreign troops and the release of prisoners "
    "held by the Afghan government in the months before the American departure",
    "Who criticised Zalmay Khalilzad in August 2021 after the Taliban took Kabul in the days "
    "before the last American soldiers left the airport of the Afghan capital",
    "When was the American withdrawal from Afghanistan supposed to end according to the "
    "promise President Joe Biden made to the American people in the spring of 2021",
    "Which diplomat was chosen to take over the post of special representative for Afghanistan "
    "after the resignation of the envoy in October 2021",
)


def worst_question(max_chars: int, max_parts: int) -> str:
    """As many separate questions as allowed, padded to the length limit."""
    parts = [f"{p}?" for p in PARTS[:max_parts]]
    text = " ".join(parts)
    filler = " in full detail"
    while len(text) + len(filler) <= max_chars:
        text = text[:-1] + filler + "?"
    return text[:max_chars]


def _ask_all(assistant: Any, questions: tuple[str, ...], into: list[dict[str, float]]) -> None:
    for question in questions:
        started = time.perf_counter()
        answer = assistant.ask(question)
        into.append(
            {
                "first_token_ms": answer.timings.first_token_ms,
                "total_ms": (time.perf_counter() - started) * 1000,
            }
        )


def _crowded(assistant: Any, worst: str) -> tuple[list[dict[str, float]], int]:
    """Two ordinary users beside one sending the worst question until they are done."""
    ordinary: list[dict[str, float]] = []
    done = threading.Event()
    heavy = [0]

    def flood() -> None:
        while not done.is_set():
            assistant.ask(worst)
            heavy[0] += 1

    flooder = threading.Thread(target=flood)
    flooder.start()
    time.sleep(2.0)  # the worst question has the model first
    users = [
        threading.Thread(target=_ask_all, args=(assistant, ORDINARY[i::2] * 4, ordinary))
        for i in range(2)
    ]
    for user in users:
        user.start()
    for user in users:
        user.join()
    done.set()
    flooder.join()
    return ordinary, heavy[0]


def _summary(rows: list[dict[str, float]]) -> dict[str, float]:
    return {
        f"{key}_p{q}": percentile([r[key] for r in rows], q)
        for key in ("first_token_ms", "total_ms")
        for q in (50, 95)
    }


def run() -> dict[str, Any]:
    from assistant.core import Assistant
    from assistant.evaluation import warm_up
    from bench.seeded import seeded

    started = time.perf_counter()
    _, settings = seeded()
    assistant = Assistant(settings)
    warm_up(assistant)
    worst = worst_question(settings.max_question_chars, settings.max_parts)
    alone: list[dict[str, float]] = []
    _ask_all(assistant, ORDINARY * 2, alone)
    started_worst = time.perf_counter()
    assistant.ask(worst)
    worst_ms = (time.perf_counter() - started_worst) * 1000
    result: dict[str, Any] = {"alone": _summary(alone), "worst_question_ms": worst_ms}
    fair_lock = assistant.llm._lock
    for name, lock in (("arrival order", fair_lock), ("plain lock", threading.Lock())):
        assistant.llm._lock = lock
        rows, heavy = _crowded(assistant, worst)
        result[name] = _summary(rows) | {"worst_questions_answered": heavy}
    assistant.llm._lock = fair_lock
    result["seconds"] = time.perf_counter() - started
    save_json("concurrency", result)
    write_section("concurrency", _report(result))
    return result


HEADER = (
    "model calls served",
    "first token p50",
    "first token p95",
    "answer p50",
    "answer p95",
    "worst questions answered meanwhile",
)
COLUMNS = ("first_token_ms_p50", "first_token_ms_p95", "total_ms_p50", "total_ms_p95")


def _report(r: dict[str, Any]) -> str:
    rows = [
        [name]
        + [fmt(r[name][k] / 1000, 1, " s") for k in COLUMNS]
        + [str(r[name].get("worst_questions_answered", "–"))]
        for name in ("alone", "arrival order", "plain lock")
    ]
    return "\n".join(
        [
            "## 8. Three users at once: ordinary questions beside the worst allowed one",
            "",
            "Two users ask 16 ordinary seed questions between them while a third keeps sending the "
            "longest question with the most parts the budgets allow (ASSISTANT_MAX_QUESTION_CHARS, "
            f"ASSISTANT_MAX_PARTS; alone it takes {r['worst_question_ms'] / 1000:.0f} s). "
            "One shared assistant and in-process model, as in the app.",
            "",
            table(
                HEADER,
                rows,
            ),
            "",
            provenance(r["seconds"]),
        ]
    )
