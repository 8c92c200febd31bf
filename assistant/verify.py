"""Check the model's draft sentence by sentence against the evidence it cites, and repair it.

Every sentence must be supported by the sentence it cites: its rare words and every number in it
must be there. A sentence citing the wrong source is re-cited to the one that supports it; one
with no support anywhere is dropped. A reply that is only a marker ("[2]") becomes the cited
sentence itself. Citations are renumbered 1..n in order of appearance and point at the exact
sentence span, so a click highlights the sentence, not the whole chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.evidence import Idf
from assistant.expect import answer_test, proper_names, without_years
from assistant.prompt import NOT_FOUND
from assistant.types import Check, Citation, Evidence
from vectorstore.text import split_sentences, tokenize

CrossCheck = Callable[[str, Evidence], float]
Subject = Callable[[Evidence], str]
"""Why a sentence cannot answer the question for whom it names ("" when it can)."""

_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_REFUSAL = re.compile(
    r"not found|not (?:mentioned|provided|stated|specified|available)|do(?:es)? not (?:contain|say|mention|"
    r"provide|answer)|no information|cannot (?:find|answer|be answered)|ikke fundet|fremgår ikke",
    re.IGNORECASE,
)
_LEADING_MARKERS = re.compile(r"^(?:\[\d+(?:\s*[,;]\s*\d+)*\]\s*)+")
_CLAUSE = re.compile(r",?\s+(?:and|while|but|whereas|og|men|mens)\s+|;\s+", re.IGNORECASE)
_WORDY = re.compile(r"^(?:according to (?:the )?sources?\s*\d*,?\s*|answer:\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class Verified:
    """The checked answer: text with renumbered markers, its citations, and the verdicts."""

    text: str
    citations: tuple[Citation, ...]
    checks: tuple[Check, ...]
    found: bool
    drift: float = 0.0
    """How far below the best sentence holding the asked kind of answer the weakest kept claim's
    source scores: a small model that cites a weak sentence has often answered something else."""


def verify(
    draft: str,
    question: str,
    evidence: Sequence[Evidence],
    language: str,
    idf: Idf,
    *,
    min_support: float = 0.5,
    cross_check: CrossCheck | None = None,
    cross_threshold: float = 0.6,
    marker_margin: float = 0.15,
    ranked_among: Sequence[Evidence] | None = None,
    subject: Subject | None = None,
) -> Verified:
    """Keep the supported sentences of the draft, each citing the evidence that supports it.

    The answer counts as found only if something in it is of the kind the question asks for (a
    date for "when", a number for "how many"…). A reply that is only a marker is the model
    pointing at a sentence: it stands only if that sentence holds the asked kind of answer and
    scores within `marker_margin` of the best such sentence (a small model often points at a
    weaker one, and then its pointing is no evidence). The best is sought in `ranked_among`
    (the sentences scored against this question; all the evidence when not given).

    `subject` rules out sentences about someone else than the question names (see
    `Assistant._subject`): no claim may rest on them, and they do not count as the best.
    """
    off = {(e.source, e.start): why for e in evidence if subject and (why := subject(e))}
    usable = [e for e in evidence if (e.source, e.start) not in off]
    by_n = {e.n: e for e in evidence}
    kept: list[tuple[str, list[Evidence]]] = []
    checks: list[Check] = []
    answers = answer_test(question)
    among = [e for e in ranked_among or evidence if (e.source, e.start) not in off]
    best = max((e.score for e in among if answers(e.text)), default=0.0)

    def check(text: str, cited: list[Evidence]) -> tuple[float, list[Evidence], str] | None:
        cited = [e for e in cited if (e.source, e.start) not in off]
        verdict = _support(text, question, cited, usable, language, idf, min_support)
        if verdict is None and cross_check is not None:
            verdict = _cross(text, question, cited, usable, language, cross_check, cross_threshold)
        return verdict

    for sentence in _sentences(draft, language):
        cited = [by_n[n] for n in _markers(sentence) if n in by_n]
        numbers = tuple(e.n for e in cited)
        text = _clean(_MARKER.sub("", sentence))
        unsupported = next((off[k] for e in cited if (k := (e.source, e.start)) in off), "")
        if not _has_words(text):
            if cited and (cited[0].source, cited[0].start) in off:
                why = off[(cited[0].source, cited[0].start)]
                checks.append(Check(sentence, numbers, "dropped", 0.0, why))
            elif cited and answers(cited[0].text) and cited[0].score >= best - marker_margin:
                kept.append((cited[0].text, cited[:1]))  # a bare "[2]": that sentence answers
                checks.append(Check(sentence, numbers, "repaired", 1.0, "marker only"))
            elif cited and answers(cited[0].text):
                reason = "marker points at a weaker sentence than the best"
                checks.append(Check(sentence, numbers, "dropped", 0.0, reason))
            elif cited:
                checks.append(Check(sentence, numbers, "dropped", 0.0, "cited text has no answer"))
            continue
        if _REFUSAL.search(text) or NOT_FOUND.lower() in text.lower():
            checks.append(Check(sentence, numbers, "dropped", 0.0, "says not found"))
            continue
        verdict = check(text, cited)
        if verdict is not None:
            kept.append((text, verdict[1]))
            checks.append(
                Check(sentence, tuple(e.n for e in verdict[1]), "supported", *verdict[::2])
            )
            continue
        dated = without_years(text)
        if dated != text and (verdict := check(dated, cited)) is not None:
            # The small model adds a year to a day its source gives without one: the day stands.
            kept.append((dated, verdict[1]))
            reason = "year no source gives left out"
            checks.append(
                Check(dated, tuple(e.n for e in verdict[1]), "repaired", verdict[0], reason)
            )
            continue
        parts = [(p, check(p, cited)) for p in _clauses(text)] if len(_clauses(text)) > 1 else []
        supported = [(p, v) for p, v in parts if v is not None]
        for part, v in supported:
            kept.append((part, v[1]))
            checks.append(Check(part, tuple(e.n for e in v[1]), "supported", v[0], "clause kept"))
        if not supported:
            reason = unsupported or "no source says this"
            checks.append(Check(sentence, numbers, "unsupported", 0.0, reason))
    if kept and not any(answers(text) for text, _ in kept):
        checks.append(Check(draft, (), "dropped", 0.0, "no answer of the asked kind in it"))
        kept = []
    text, citations = _renumber(_distinct(kept))
    drift = max((best - max(e.score for e in used) for _, used in kept if used), default=0.0)
    return Verified(text, citations, tuple(checks), found=bool(kept), drift=max(drift, 0.0))


def support(text: str, question: str, cited: Sequence[Evidence], language: str, idf: Idf) -> float:
    """How well the cited sentences carry the claim: idf-weighted share of its new words found,
    or 0 when a number in the claim appears in none of them."""
    if not cited:
        return 0.0
    source = " ".join(e.text for e in cited)
    if not _numbers(text) <= _numbers(source) | _numbers(question):
        return 0.0
    asked = set(tokenize(question, language))
    terms = set(tokenize(text, language)) - asked
    if not terms:
        return 0.5 if set(tokenize(text, language)) & set(tokenize(source, language)) else 0.0
    found = set(tokenize(source, language)) | set(tokenize(source, cited[0].language or "en"))
    total = sum(idf(t) for t in terms)
    return sum(idf(t) for t in terms & found) / total if total else 0.0


def _support(
    text: str,
    question: str,
    cited: list[Evidence],
    evidence: Sequence[Evidence],
    language: str,
    idf: Idf,
    threshold: float,
) -> tuple[float, list[Evidence], str] | None:
    if cited:
        score = support(text, question, cited, language, idf)
        if score >= threshold:
            narrowed = [
                e for e in cited if support(text, question, [e], language, idf) > 0
            ] or cited
            return score, narrowed, "cited source supports it"
    ranked = sorted(
        ((support(text, question, [e], language, idf), e) for e in evidence), key=lambda x: -x[0]
    )
    if ranked and ranked[0][0] >= threshold:
        reason = "citation corrected" if cited else "citation added"
        return ranked[0][0], [ranked[0][1]], reason
    return None


def _clauses(text: str) -> list[str]:
    """The clauses of a compound sentence ("A, and B"), each long enough to stand alone."""
    parts = [p.strip(" ,;") for p in _CLAUSE.split(text)]
    return [p for p in parts if len(p.split()) >= 3]


def _cross(
    text: str,
    question: str,
    cited: list[Evidence],
    evidence: Sequence[Evidence],
    language: str,
    cross_check: CrossCheck,
    threshold: float,
) -> tuple[float, list[Evidence], str] | None:
    """Meaning-level check for a claim drawn from a source in another language.

    Words do not carry across languages, but numbers and names do: a claim whose new numbers and
    names (those not already in the question) all appear in the foreign sentence needs less
    similarity in meaning than one that brings none.
    """
    foreign = [e for e in (cited or list(evidence)) if e.language and e.language != language]
    anchors = _anchors(text) - _anchors(question)
    best: tuple[float, Evidence] | None = None
    for e in foreign:
        if not _numbers(text) <= _numbers(e.text) | _numbers(question):
            continue
        similarity = cross_check(text, e)
        carried = bool(anchors) and anchors <= _anchors(e.text)
        needed = threshold - ANCHOR_BONUS if carried else threshold
        if similarity >= needed and (best is None or similarity > best[0]):
            best = (similarity, e)
    if best is None:
        return None
    return best[0], [best[1]], "supported across languages"


ANCHOR_BONUS = 0.2


def _anchors(text: str) -> set[str]:
    """Numbers and names: what a claim carries unchanged into another language."""
    return _numbers(text) | proper_names(text)


def renumber_markers(text: str, numbers: dict[int, int]) -> str:
    """The text with each citation number mapped (numbers without a mapping are kept)."""

    def mapped(marker: re.Match[str]) -> str:
        found = [int(n) for n in re.split(r"\s*[,;]\s*", marker.group(1))]
        return "[" + ", ".join(str(numbers.get(n, n)) for n in found) + "]"

    return _MARKER.sub(mapped, text)


def _distinct(kept: list[tuple[str, list[Evidence]]]) -> list[tuple[str, list[Evidence]]]:
    """The kept claims without repeats: a claim said twice from the same source is said once."""
    seen: set[tuple[str, tuple[tuple[str, int], ...]]] = set()
    out = []
    for text, supporters in kept:
        key = (
            " ".join(text.lower().split()).rstrip(".!"),
            tuple((e.source, e.start) for e in supporters),
        )
        if key not in seen:
            seen.add(key)
            out.append((text, supporters))
    return out


def _renumber(kept: list[tuple[str, list[Evidence]]]) -> tuple[str, tuple[Citation, ...]]:
    numbers: dict[tuple[str, int, int], int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for text, supporters in kept:
        marks = []
        for e in supporters:
            key = (e.source, e.start, e.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                citations.append(Citation(numbers[key], e.source, e.title, e.start, e.end, e.text))
            marks.append(f"[{numbers[key]}]")
        body = text.rstrip().rstrip(",;:").rstrip()  # "August 15," ends as "August 15."
        ending = "" if body.endswith((".", "!", "?", "…", '"', "”")) else "."
        parts.append(f"{body}{ending} {''.join(dict.fromkeys(marks))}".strip())
    return " ".join(parts), tuple(citations)


def _sentences(draft: str, language: str = "en") -> list[str]:
    """The draft's sentences, each with the markers that follow it attached.

    "A. [2] B." gives [2] to A; a marker opening a line ("[1] A.\n[2] B.") belongs to its line.
    """
    draft = draft.strip()
    if not draft:
        return []
    out: list[str] = []
    previous_end = 0
    for start, end in split_sentences(draft, 0, len(draft), language):
        piece = draft[start:end].strip()
        lead = _LEADING_MARKERS.match(piece)
        if out and lead and "\n" not in draft[previous_end:start]:
            out[-1] += " " + lead.group(0).strip()
            piece = piece[lead.end() :].strip()
        if piece:
            out.append(piece)
        previous_end = end
    return out


def _markers(sentence: str) -> list[int]:
    numbers: list[int] = []
    for group in _MARKER.findall(sentence):
        numbers.extend(int(n) for n in re.split(r"[,;]\s*", group) if n.strip().isdigit())
    return list(dict.fromkeys(numbers))


def _clean(text: str) -> str:
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
    return _WORDY.sub("", text).strip()


def _has_words(text: str) -> bool:
    return bool(re.search(r"\w{2,}", text))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
