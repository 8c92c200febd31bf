"""The measurements: text quality and reading order against the ground truth, the running
header and footer, speed, signs of garbling in real PDFs, and each library's licence and size."""

from __future__ import annotations

import importlib.metadata as metadata
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pdf_libraries.documents import Document
from bench.pdf_libraries.extract import VARIANTS, Variant

RUNS = 3
DISTRIBUTIONS = {"pypdfium2": "pypdfium2", "pdfplumber": "pdfplumber", "pypdf": "pypdf"}
WORD = re.compile(r"[^\W\d_]{3,}")

# --- Text quality and reading order ---------------------------------------------------------------


def _spaces(text: str) -> str:
    """Every run of whitespace (\\r\\n included) made one space, the ends stripped."""
    return re.sub(r"\s+", " ", text).strip()


def normalise(text: str) -> str:
    """NFKC, control characters dropped, a word hyphenated at a line end joined (its hyphen
    kept), then every run of whitespace (\\r\\n included) made one space.

    PDFium already joins such a word and marks its hyphen U+FFFE (for soft TeX hyphens and real
    ones like 'second-hand' alike); it becomes '-' here, as the others' '-' + line break does.
    """
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "-")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\uffff]", "", text)
    text = re.sub(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)", "-", text)
    return _spaces(text)


def collapse(text: str) -> str:
    """Only whitespace collapsed (no hyphen joining), for comparison."""
    return _spaces(unicodedata.normalize("NFKC", text))


def squash(text: str) -> str:
    """`normalise` without any whitespace: order survives, spacing mistakes do not count."""
    return re.sub(r"\s+", "", normalise(text))


def longest_increasing(values: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (O(n^2), n is small)."""
    best = [1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@dataclass
class Score:
    """Counts of ground-truth sentences: found intact, found with spaces ignored, in order."""

    total: int = 0
    intact: int = 0
    plain: int = 0
    squashed: int = 0
    in_order: int = 0

    def add(self, truth: Sequence[str], text: str) -> None:
        normal, plain, flat = normalise(text), collapse(text), squash(text)
        positions = [flat.find(squash(s)) for s in truth]
        found = [p for p in positions if p >= 0]
        self.total += len(truth)
        self.intact += sum(normalise(s) in normal for s in truth)
        self.plain += sum(collapse(s) in plain for s in truth)
        self.squashed += len(found)
        self.in_order += longest_increasing(found)

    def shares(self) -> dict[str, float]:
        return {
            "intact": self.intact / self.total,
            "intact_whitespace_only": self.plain / self.total,
            "intact_ignoring_spaces": self.squashed / self.total,
            "in_order": self.in_order / self.total,
        }


def quality(document: Document, pages: Sequence[str]) -> dict[str, float]:
    """The sentence shares of one extraction against the document's ground truth."""
    assert document.truth is not None
    score = Score()
    if document.per_page:
        for truth, text in zip(document.truth, pages, strict=True):
            score.add(truth, text)
    else:
        score.add(document.truth[0], "\n".join(pages))
    return score.shares()


def running_parts(header: str, pages: Sequence[str]) -> dict[str, float]:
    """Share of pages whose text still holds the running header, and 'Page N'."""
    kept_header = sum(normalise(header) in normalise(text) for text in pages)
    kept_footer = sum(
        re.search(rf"\bPage {n}\b", normalise(text)) is not None
        for n, text in enumerate(pages, start=1)
    )
    return {"header_kept": kept_header / len(pages), "footer_kept": kept_footer / len(pages)}


# --- Speed and garbling ---------------------------------------------------------------------------


def best_seconds(variant: Variant, path: Path) -> tuple[float, list[str]]:
    """The fastest of RUNS wall-clock extractions of the whole file, and its pages."""
    best, pages = float("inf"), []
    for _ in range(RUNS):
        started = time.perf_counter()
        pages = variant.extract(path)
        best = min(best, time.perf_counter() - started)
    return best, pages


def words(text: str) -> set[str]:
    """The words (3+ letters) of `text`, lower-cased."""
    return {w.lower() for w in WORD.findall(text)}


def garbling(texts: dict[str, str], variant: Variant) -> dict[str, Any]:
    """Signs of glued or split words in one variant's text of a real PDF.

    Odd words are words (3+ letters) that no variant of the two other libraries produced;
    line-end hyphens are words still broken by a hyphen and a line break; soft hyphens are
    line-end hyphens PDFium marks as U+FFFE (and joins); cid are glyphs without Unicode.
    """
    own = texts[variant.name]
    others = set().union(*(words(texts[v.name]) for v in VARIANTS if v.library != variant.library))
    odd = sorted(words(own) - others)
    long = sorted({w for w in WORD.findall(own) if len(w) >= 20})
    return {
        "chars": len(own),
        "odd_words": len(odd),
        "odd_samples": odd[:12],
        "long_words": len(long),
        "long_samples": long[:12],
        "line_end_hyphens": len(re.findall(r"[^\W\d_]-[ \t]*\r?\n\s*[^\W\d_]", own)),
        "soft_hyphens": own.count("\ufffe") + own.count("\xad"),
        "cid": own.count("(cid:"),
    }


# --- One document, every variant ------------------------------------------------------------------


def extraction_figures(document: Document, pages: Sequence[str], seconds: float) -> dict[str, Any]:
    """Speed, a sample, and (when the document has them) quality and running parts."""
    result: dict[str, Any] = {
        "pages": len(pages),
        "seconds": seconds,
        "pages_per_second": len(pages) / seconds,
        "sample": normalise(pages[min(1, len(pages) - 1)])[:400],
    }
    if document.truth is not None:
        result |= quality(document, pages)
    if document.running_header:
        result |= running_parts(document.running_header, pages)
    return result


def measure_document(document: Document) -> dict[str, Any]:
    """Every variant on one document: speed, and quality or garbling."""
    results: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for variant in VARIANTS:
        seconds, pages = best_seconds(variant, document.path)
        texts[variant.name] = "\n".join(pages)
        results[variant.name] = extraction_figures(document, pages, seconds)
    if document.truth is None:
        for variant in VARIANTS:
            results[variant.name] |= garbling(texts, variant)
    return results


# --- Licence and footprint ------------------------------------------------------------------------


def licence(distribution: str) -> str:
    """The licence a distribution declares: its expression, its License field or classifier."""
    meta = metadata.metadata(distribution).json
    declared = meta.get("license_expression") or meta.get("license")
    if declared:
        return str(declared)
    classifiers = [c for c in meta.get("classifier", []) if c.startswith("License ::")]
    return "; ".join(c.rsplit(" :: ", 1)[-1] for c in classifiers) or "unknown"


def dependencies(distribution: str) -> list[str]:
    """The distributions `distribution` needs (extras left out), recursively, itself first."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: list[str] = []
    todo = [distribution]
    while todo:
        name = canonicalize_name(todo.pop(0))
        if name in seen:
            continue
        seen.append(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def installed_bytes(distribution: str) -> int:
    """The size of the files a distribution installed (its RECORD)."""
    total = 0
    for file in metadata.files(distribution) or []:
        if file.size is not None:
            total += file.size
        else:
            located = Path(str(file.locate()))
            total += located.stat().st_size if located.is_file() else 0
    return total


def package_facts(library: str) -> dict[str, Any]:
    """Version, licence and footprint of one library and of what it pulls in."""
    distribution = DISTRIBUTIONS[library]
    closure = dependencies(distribution)
    return {
        "version": metadata.version(distribution),
        "licence": licence(distribution),
        "dependencies": {d: licence(d) for d in closure[1:]},
        "installed_mb": installed_bytes(distribution) / 1e6,
        "installed_with_dependencies_mb": sum(installed_bytes(d) for d in closure) / 1e6,
    }
