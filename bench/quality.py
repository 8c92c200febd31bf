"""`python -m bench quality`: answer quality of the defaults and of each alternative, on both
development corpora, by corpus and by kind of question.

- **seeds**: the five shipped articles, asked `bench/questions.yaml` and `bench/holdout.yaml`
  (both development data now: rules were once fitted to the held-out set's phrasings).
- **xquad-dev**: 24 Wikipedia articles in English and German (`../shared/corpora/xquad-dev`, or
  ASSISTANT_XQUAD_DIR). Each language's collection holds 20 of them; the questions of the four
  left out (on topics none of the others covers) are the unanswerable ones. The English
  collection is asked the English questions; the German one the German questions and the English
  ones over German articles ("cross").

Every row is the real pipeline with some `ASSISTANT_*` settings changed, run as
`assistant eval --json` in its own process, over the collection ingested into its own store
under bench/results/stores/. `--every K` asks every K-th question of each kind (the default
run asks them all). Tables go to docs/EVALUATION.md between `<!-- quality:start -->` and
`<!-- quality:end -->`, raw summaries to bench/results/quality.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import RESULTS, fmt, load_json, machine, provenance, save_json, table
from bench.common import write_section as write
from vectorstore.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "docs" / "EVALUATION.md"
ASSISTANT = str(Path(sys.executable).with_name("assistant"))
XQUAD = Path(
    os.environ.get("ASSISTANT_XQUAD_DIR", PROJECT_ROOT.parent / "shared/corpora/xquad-dev")
)
LEFT_OUT = ("xq_17_ctenophora", "xq_19_packet_switching", "xq_25_genghis_khan",
            "xq_45_united_methodist_church")  # fmt: skip
"""The articles each xquad collection lacks: their questions are the unanswerable ones."""
INDEX_SETTINGS = (
    "EMBEDDING_MODEL", "EMBEDDINGS_RUNTIME", "CHUNK_CHARS", "CHUNK_OVERLAP", "CHUNK_VECTORS"
)  # fmt: skip


@dataclass(frozen=True)
class Corpus:
    """A collection and the question sets asked of it."""

    name: str
    folder: Path
    sets: tuple[tuple[Path, str], ...]
    """(question file, collection name for JSON lines)."""
    sampled: bool = True
    """Whether `--every K` thins its questions (the seeds' 80 are always asked in full)."""


def corpora() -> list[Corpus]:
    """The seeds and, when the development corpus is on this machine, its two collections."""
    seeds = Corpus(
        "seeds",
        PROJECT_ROOT / "seeds",
        ((PROJECT_ROOT / "bench/questions.yaml", ""), (PROJECT_ROOT / "bench/holdout.yaml", "")),
        sampled=False,
    )
    found = [seeds]
    questions = XQUAD / "questions.jsonl"
    for language in ("en", "de"):
        if questions.exists():
            found.append(
                Corpus(f"xquad-{language}", _collection(language), ((questions, language),))
            )
    return found


def _collection(language: str) -> Path:
    """The xquad articles of one language but those left out, copied into bench/results."""
    folder = RESULTS / "corpora" / f"xquad-{language}"
    folder.mkdir(parents=True, exist_ok=True)
    for article in sorted((XQUAD / language).glob("*.txt")):
        if article.stem not in LEFT_OUT and not (folder / article.name).exists():
            shutil.copyfile(article, folder / article.name)
    return folder


@dataclass(frozen=True)
class Variant:
    """One configuration: a name, what it changes, and what it was compared for."""

    name: str
    group: str
    env: dict[str, str] = field(default_factory=dict)


DEFAULTS = Variant("**defaults**", "defaults")
VARIANTS: tuple[Variant, ...] = (
    DEFAULTS,
    Variant("Qwen2.5-Coder-0.5B", "LLM", {"LLM_MODEL": "qwen2.5-coder-0.5b-instruct-q4_k_m"}),
    Variant(
        "3 evidence sentences", "evidence", {"EVIDENCE_SENTENCES": "3", "RETRY_SENTENCES": "2"}
    ),
    Variant("6 evidence sentences", "evidence", {"EVIDENCE_SENTENCES": "6"}),
    Variant(
        "8 evidence sentences", "evidence", {"EVIDENCE_SENTENCES": "8", "EVIDENCE_CHARS": "1400"}
    ),
    Variant("no second look", "check", {"RETRY_SENTENCES": "0"}),
    Variant("support 0.5", "check", {"MIN_SUPPORT": "0.5"}),
    Variant("support 0.75", "check", {"MIN_SUPPORT": "0.75"}),
    Variant("relevance alone (no coverage)", "decide", {"MIN_COVERAGE": "1.01"}),
    Variant("relevance 0.3", "decide", {"MIN_RELEVANCE": "0.3"}),
    Variant("no conflicts", "compose", {"CONFLICT_MARGIN": "-1"}),
    Variant("torch embedder", "embedder", {"EMBEDDINGS_RUNTIME": "torch"}),
    Variant("pooled chunk vectors", "embedder", {"CHUNK_VECTORS": "pooled"}),
)


def run(only: list[str] | None = None, every: int = 1, rescore: bool = False) -> dict[str, Any]:
    """Measure every variant (or those whose name or group contains one of `only`); with
    `rescore`, summarise their stored answers again with the current scorer, asking no model."""
    started = time.perf_counter()
    chosen = [v for v in VARIANTS if not only or any(o in v.name or o in v.group for o in only)]
    rows: dict[str, dict[str, Any]] = (load_json("quality") or {}).get("rows", {})
    for variant in chosen:
        measure = _stored if rescore else _measure
        rows[variant.name] = {c.name: measure(variant, c, every) for c in corpora()}
    payload = {"machine": machine().line(), "every": every, "rows": rows}
    save_json("quality", payload)
    write("quality", _report(rows, every, time.perf_counter() - started), report=REPORT)
    return payload


def _measure(variant: Variant, corpus: Corpus, every: int) -> dict[str, Any]:
    """The variant's summary of each question set asked of the corpus, merged by kind."""
    env = {**os.environ, **{f"ASSISTANT_{k}": v for k, v in variant.env.items()}}
    index = "-".join(f"{k}={v}" for k, v in sorted(variant.env.items()) if k in INDEX_SETTINGS)
    store = RESULTS / "stores" / f"{corpus.name}{'-' + index if index else ''}"
    env.update(ASSISTANT_SEEDS_DIR=str(corpus.folder), ASSISTANT_STORE_PATH=str(store))
    _call([ASSISTANT, "ingest", "--json"], env, f"ingest of {corpus.name}")
    results: list[dict[str, Any]] = []
    for path, collection in corpus.sets:
        out = _answers_file(variant, corpus, path)
        step = str(every if corpus.sampled else 1)
        command = [ASSISTANT, "eval", str(path), "--json", "--out", str(out), "--every", step]
        if collection:
            command += ["--collection", collection]
        print(
            f"quality: {variant.name} on {corpus.name} ({path.name})", file=sys.stderr, flush=True
        )
        _call(command, env, f"eval of {variant.name} on {corpus.name}")
        results += json.loads(out.read_text("utf-8"))["results"]
    return _summary(results)


def _stored(variant: Variant, corpus: Corpus, every: int) -> dict[str, Any]:
    """The variant's stored answers on the corpus, scored again for what the answer text alone
    tells (its language): a change of that rule needs no model run."""
    from assistant.evaluation import load_questions
    from assistant.evaluation.scoring import answer_language

    results: list[dict[str, Any]] = []
    for path, collection in corpus.sets:
        out = _answers_file(variant, corpus, path)
        asked = {q.id: q.question for q in load_questions(path, collection)}
        for r in json.loads(out.read_text("utf-8"))["results"]:
            language = answer_language(r["answer"], asked[r["id"]]) if r["found"] else None
            results.append({**r, "in_language": language})
    return _summary(results)


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    from assistant.evaluation import Scored, summarize

    return summarize([Scored(**r) for r in results])


def _call(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr.strip()[-400:]}")


def _answers_file(variant: Variant, corpus: Corpus, questions: Path) -> Path:
    """Where the variant's per-question answers to one question set are kept."""
    return RESULTS / f"quality-{corpus.name}-{questions.stem}-{_slug(variant)}.json"


def _slug(variant: Variant) -> str:
    return "-".join(f"{k}={v}" for k, v in sorted(variant.env.items())) or "defaults"


HEADER = ("variant", "changed", "corpus", "R@5", "accuracy", "F1", "refused (answerable)",
          "refusal acc.", "cite-P", "in language", "false conflicts", "first token p50 s")  # fmt: skip


def _rows(name: str, variant_env: dict[str, str], by_corpus: dict[str, Any]) -> list[list[str]]:
    changed = ", ".join(f"`{k}={v}`" for k, v in variant_env.items()) or "–"
    out = []
    for corpus, s in by_corpus.items():
        first = s["latency_ms"]["first_token_p50"]
        out.append([
            name, changed, corpus, fmt(s["recall_at_5"], 2), fmt(s["answer_accuracy"], 2),
            fmt(s["token_f1"], 2), fmt(s["false_refusal_rate"], 2), fmt(s["refusal_accuracy"], 2),
            fmt(s["citation_precision"], 2), fmt(s["in_question_language"], 2),
            fmt(s["false_conflicts"], 2), fmt(None if first is None else first / 1000, 1),
        ])  # fmt: skip
    return out


def _kinds(by_corpus: dict[str, Any]) -> str:
    rows = []
    for corpus, s in by_corpus.items():
        for kind, r in s["by_kind"].items():
            rows.append([
                corpus, kind, r["n"], fmt(r["recall"], 2), fmt(r["correct"], 2), fmt(r["f1"], 2),
                fmt(r["refused"], 2), fmt(r["citation_precision"], 2), fmt(r["in_language"], 2),
                fmt(None if r["total_p50"] is None else r["total_p50"] / 1000, 1),
            ])  # fmt: skip
    header = ("corpus", "kind", "n", "R@5", "correct", "F1", "refused", "cite-P", "in language",
              "p50 s")  # fmt: skip
    return table(header, rows)


def _report(rows: dict[str, dict[str, Any]], every: int, seconds: float) -> str:
    envs = {v.name: v.env for v in VARIANTS}
    lines = [_r for name in (v.name for v in VARIANTS) if name in rows
             for _r in _rows(name, envs[name], rows[name])]  # fmt: skip
    parts = [
        f"Wikipedia: every {every}. question of each kind; seeds: every question"
        if every > 1
        else "Every question",
        "",
        table(HEADER, lines),
    ]
    if DEFAULTS.name in rows:
        parts += ["", "Per kind of question, defaults:", "", _kinds(rows[DEFAULTS.name])]
    parts += [
        "",
        "Each row: `assistant eval FILE --json [--collection C]` with the `ASSISTANT_*` variables "
        "of its *changed* column, over the corpus ingested into its own store; latency is per "
        "answer with the models loaded.",
        "",
        provenance(seconds),
    ]
    return "\n".join(parts)


def main() -> dict[str, Any]:
    return run()
