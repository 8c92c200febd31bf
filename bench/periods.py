"""`python -m bench periods`: questions that name a period, on both development corpora.

A question naming a period that the answer pipeline refuses is answered from the collection's
events in that period (`assistant/pipeline/events.py`). This measures what that does where it can
go wrong: every question of `bench/questions.yaml`, `bench/holdout.yaml` and the xquad set that
names a period, asked of its own corpus (answerable: is the gold in the answer? the English and
German xquad collections hold the same articles, so each answers the other's questions) and of
the other corpus (unanswerable: is it refused?), plus "what happened" questions written for this
benchmark in five languages, asked of every collection. Each collection is asked through
`assistant ask --jsonl`, as a user would. Results go to docs/EVALUATION.md (`periods` section)
and bench/results/periods.json.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections import Counter
from typing import Any

import yaml

from assistant.pipeline.period import period_in
from bench.common import RESULTS, machine, provenance, save_json, table
from bench.common import write_section as write
from bench.quality import ASSISTANT, LEFT_OUT, REPORT, XQUAD, Corpus, corpora
from vectorstore.settings import PROJECT_ROOT

HAPPENED = (
    ("en", "What happened in February 2020?"),
    ("en", "What happened in 2018?"),
    ("da", "Hvad skete der i maj 2021?"),
    ("de", "Was geschah im Februar 2020?"),
    ("fr", "Que s'est-il passé en 2018 ?"),
    ("es", "¿Qué pasó en mayo de 2021?"),
    ("en", "What happened in 1943?"),
    ("de", "Was geschah 1943?"),
)
"""Written for this benchmark: periods the seeds report (2018, February 2020, May 2021) and one
the Wikipedia articles report (1943: Tesla's death, a Supreme Court decision on his patents);
asked of every collection."""
_EVENT_LINE = re.compile(r"^[^\[\]:]{2,30}: ")
"""How an answer drawn from a period's events starts: the date, a colon."""


def run() -> dict[str, Any]:
    started = time.perf_counter()
    questions = _questions()
    rows = {}
    for corpus in corpora():
        asked = _for(corpus.name, questions)
        answers = _ask(corpus, asked)
        rows[corpus.name] = _summary(asked, answers)
    payload = {"machine": machine().line(), "rows": rows}
    save_json("periods", payload)
    write("periods", _report(rows, time.perf_counter() - started), report=REPORT)
    return payload


def _for(collection: str, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The period questions of the collection's corpus, then every other one, each once (by its
    words)."""
    family = collection.split("-")[0]
    own = [dict(q, answerable=True) for q in questions if q["collection"] == collection]
    own += [dict(q, answerable=True) for q in questions
            if q["collection"] != collection and q["collection"].split("-")[0] == family]  # fmt: skip
    own = list({q["question"]: q for q in reversed(own)}.values())[::-1]  # each question once
    seen = {q["question"] for q in own}
    others = []
    for q in questions:
        if q["question"] not in seen:
            seen.add(q["question"])
            others.append(dict(q, answerable=False))
    return own + others


def _questions() -> list[dict[str, Any]]:
    """Every development question that names a period, with its collection and gold answers."""
    found = []
    for path in ("bench/questions.yaml", "bench/holdout.yaml"):
        for q in yaml.safe_load((PROJECT_ROOT / path).read_text("utf-8"))["questions"]:
            language = "da" if q.get("kind") == "danish" else "en"
            if period_in(q["question"], language):
                answerable = q.get("kind") != "unanswerable"
                found.append(_question(q["question"], "seeds" if answerable else "", q, "seeds"))
    for line in (XQUAD / "questions.jsonl").read_text("utf-8").splitlines():
        q = json.loads(line)
        language = "de" if q["kind"] == "de" else "en"
        lacking = any(g["source"].startswith(LEFT_OUT) for g in q["gold"])
        if period_in(q["question"], language):
            collection = "" if lacking else f"xquad-{q['collection']}"
            found.append(_question(q["question"], collection, q, f"xquad {q['kind']}"))
    found += [_question(text, "", {"answers": []}, f"what happened ({lang})")
              for lang, text in HAPPENED]  # fmt: skip
    return found


def _question(text: str, collection: str, source: dict[str, Any], group: str) -> dict[str, Any]:
    gold = source.get("answers") or _flat(source.get("facts") or [])
    return {"question": text, "collection": collection, "gold": [str(g) for g in gold],
            "group": group}  # fmt: skip


def _flat(facts: list[Any]) -> list[str]:
    return [str(f) for fact in facts for f in (fact if isinstance(fact, list) else [fact])]


def _ask(corpus: Corpus, asked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The collection's answers through `assistant ask --jsonl`, one per question."""
    store = RESULTS / "stores" / corpus.name
    env = dict(os.environ, ASSISTANT_SEEDS_DIR=str(corpus.folder), ASSISTANT_STORE_PATH=str(store))
    subprocess.run([ASSISTANT, "ingest", "--json"], env=env, capture_output=True, check=True)
    lines = "\n".join(json.dumps({"question": q["question"]}) for q in asked) + "\n"
    done = subprocess.run([ASSISTANT, "ask", "--jsonl"], input=lines, env=env,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def _summary(asked: list[dict[str, Any]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    examples = []
    for q, a in zip(asked, answers, strict=True):
        events = bool(a.get("found")) and bool(_EVENT_LINE.match(a.get("answer", "")))
        kind = "answerable" if q["answerable"] else "other"
        if q["group"].startswith("what happened"):
            kind = "happened"
        counts[f"{kind}"] += 1
        counts[f"{kind} answered"] += bool(a.get("found"))
        counts[f"{kind} from events"] += events
        held = any(g.lower() in a.get("answer", "").lower() for g in q["gold"])
        counts[f"{kind} gold"] += bool(a.get("found")) and held
        counts[f"{kind} gold from events"] += events and held
        if events or kind == "happened" or (kind == "other" and a.get("found")):
            examples.append({"question": q["question"], "answer": a.get("answer", "")})
    return {"counts": dict(counts), "examples": examples}


def _report(rows: dict[str, Any], seconds: float) -> str:
    header = ["collection", "its own period questions: answered / gold in answer (from events)",
              "other collections' period questions: answered (from events)",
              "'what happened' questions: answered (from events)"]  # fmt: skip
    body = []
    for name, row in rows.items():
        c = row["counts"]
        body.append([
            name,
            f"{c.get('answerable answered', 0)} / {c.get('answerable gold', 0)} of "
            f"{c.get('answerable', 0)} ({c.get('answerable from events', 0)} / "
            f"{c.get('answerable gold from events', 0)})",
            f"{c.get('other answered', 0)} of {c.get('other', 0)} "
            f"({c.get('other from events', 0)})",
            f"{c.get('happened answered', 0)} of {c.get('happened', 0)} "
            f"({c.get('happened from events', 0)})",
        ])  # fmt: skip
    answers = "\n".join(
        f"- {name}: “{e['question']}” → {e['answer'][:160]}"
        for name, row in rows.items() for e in row["examples"]
    )  # fmt: skip
    return (
        "## Questions that name a period\n\n" + table(header, body)
        + "\n\nAnswers drawn from a period's events, every other corpus's question answered, and "
        + "every 'what happened' answer:\n\n"
        + answers + "\n\n" + provenance(seconds) + "\n"
    )  # fmt: skip
