"""The assistant's results: frozen dataclasses that serialize to the CLI's JSON contract."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk. `text == document_text[start:end]` of the file named by `source`."""

    source: str
    title: str
    start: int
    end: int
    text: str
    score: float
    date: str = ""
    language: str = ""
    chunk_id: str = ""
    doc_hash: str = ""
    dense: float = 0.0
    lexical: float = 0.0
    sentences: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True)
class Evidence:
    """One sentence given to the model, numbered `n` in the prompt."""

    n: int
    source: str
    title: str
    start: int
    end: int
    text: str
    score: float
    language: str
    passage: int  # index into Answer.passages


@dataclass(frozen=True)
class Citation:
    """A cited span: the exact sentence(s) of the source that support the answer."""

    n: int
    source: str
    title: str
    start: int
    end: int
    text: str
    verdict: str = "supported"  # supported | partial
    support: float = 1.0
    page: int | None = None
    """The page the span starts on (PDFs), else None."""
    date: str = ""
    outlet: str = ""
    url: str = ""
    doc_hash: str = ""
    """The version of the document the span indexes (a stored answer checks it later)."""

    def where(self) -> str:
        """Where the span is, as a reader names it: 'Title · outlet (or file) · date · p. 4'."""
        parts = [self.title, self.outlet or self.source, self.date]
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return " · ".join(part for part in parts if part)

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "source": self.source,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "page": self.page,
            "date": self.date,
            "outlet": self.outlet,
            "url": self.url,
            "doc_hash": self.doc_hash,
        }


@dataclass(frozen=True)
class DateFilter:
    """Which documents a question may draw on, by their publication date: those whose date
    (of any precision: 2021, 2021-10, 2021-10-18) can fall within since..until (ISO dates,
    inclusive, either may be open), and those without a date only when `undated` says so."""

    since: str = ""
    until: str = ""
    undated: bool = False

    def keeps(self, date: str) -> bool:
        if not date:
            return self.undated
        return (not self.since or date >= self.since[: len(date)]) and (
            not self.until or date <= self.until[: len(date)]
        )


@dataclass(frozen=True)
class Timings:
    """Milliseconds spent, from the moment the question arrived."""

    retrieve_ms: float = 0.0
    first_token_ms: float = 0.0
    total_ms: float = 0.0
    rewrite_ms: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 1) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class Check:
    """The verdict on one sentence of the model's draft."""

    sentence: str
    cited: tuple[int, ...]
    verdict: str  # supported | unsupported | dropped
    support: float
    reason: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer with its citations, the passages it came from, and how it was made."""

    question: str
    text: str
    found: bool
    standalone_question: str
    citations: tuple[Citation, ...]
    passages: tuple[Passage, ...]
    timings: Timings
    language: str = "en"
    evidence: tuple[Evidence, ...] = ()
    draft: str = ""
    checks: tuple[Check, ...] = ()
    prompt_tokens: int = 0
    conflicts: tuple[str, ...] = field(default=())

    def record(self) -> dict[str, Any]:
        """Every field, as JSON-ready data: what a saved chat keeps (see `from_record`)."""
        return asdict(self)

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Answer:
        """The answer `record()` gave (fields added since are left at their defaults)."""
        given = _known(cls, data)
        return cls(
            **given
            | {
                "citations": tuple(Citation(**_known(Citation, c)) for c in data["citations"]),
                "passages": tuple(_passage(p) for p in data["passages"]),
                "timings": Timings(**_known(Timings, data["timings"])),
                "evidence": tuple(
                    Evidence(**_known(Evidence, e)) for e in data.get("evidence", [])
                ),
                "checks": tuple(_check(c) for c in data.get("checks", [])),
                "conflicts": tuple(data.get("conflicts", ())),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON object (the documented contract), plus a `details` block."""
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "standalone_question": self.standalone_question,
            "citations": [c.to_dict() for c in self.citations],
            "passages": [p.to_dict() for p in self.passages],
            "timings": self.timings.to_dict(),
            "language": self.language,
            "details": {
                "draft": self.draft,
                "prompt_tokens": self.prompt_tokens,
                "checks": [asdict(c) for c in self.checks],
                "evidence": [asdict(e) for e in self.evidence],
            },
        }


def _known(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The items of `data` that are fields of the dataclass `cls`."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _passage(data: dict[str, Any]) -> Passage:
    spans = tuple((int(s), int(e)) for s, e in data.get("sentences", ()))
    return Passage(**_known(Passage, data) | {"sentences": spans})


def _check(data: dict[str, Any]) -> Check:
    return Check(**_known(Check, data) | {"cited": tuple(data.get("cited", ()))})
