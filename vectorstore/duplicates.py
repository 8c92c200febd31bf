"""Recognise syndicated and near-duplicate articles: the same report under another outlet's
headline, dateline or boilerplate, lightly edited, or updated with a paragraph added.

A document's *signature* is a MinHash sketch of its 5-word shingles (casefolded Unicode `\\w+`
words, so it works the same for every language), prefixed with the number of distinct shingles:

    (shingle_count, min_1, ..., min_128)

It is a short tuple of ints meant to be stored with the document (`to_json` / `from_json`) and
compared with later documents without reading them again. Sign the cleaned article text (the
kept paragraphs), so that page furniture `ingest.clean` drops does not count.

Two documents are near-duplicates when the estimated *containment* of the smaller one in the
larger is at least `THRESHOLD` and the smaller has at least `MIN_SIZE_RATIO` of the larger's
shingles. Containment, not Jaccard, so that a report wrapped in an outlet's boilerplate or updated
with a paragraph still matches; the size ratio, so that a short text quoted in a long one (a
headline, a lead, a one-line brief) does not.

The threshold is measured (tests/unit/test_duplicates.py builds the pairs): over the seeds and
the 48 xquad-dev articles, copies with another headline, a dateline, boilerplate, an added
paragraph, one word in 60 edited, or all of these at once score 0.85-1.0; different outlets'
reports of one story score at most 0.04, unrelated articles 0.02, and an article against its
German translation 0.12 (shared lists of names). Rewriting one word in 15 still scores 0.59.

Scripts without spaces between words (Chinese, Japanese, Thai) shingle runs of text between
punctuation instead of words: identical copies still match, edits cost more.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 5
PERMUTATIONS = 128
THRESHOLD = 0.5
"""Least estimated containment of two near-duplicates: about halfway between the worst measured
copy (0.85) and the best measured non-duplicate (0.12), each 0.35 away."""
MIN_SIZE_RATIO = 0.5
"""The smaller document needs at least this share of the larger's shingles: a copy may gain up
to its own length in headlines, boilerplate and updates, not more."""

_SEED = b"ingest.duplicates/v1"  # fixed: changing it makes every stored signature stale
_EMPTY = 0xFFFFFFFF
_WORD = re.compile(r"\w+")
# One odd multiplier per position in a shingle, so that word order counts.
_POSITION = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
    ],
    dtype=np.uint64,
)[:SHINGLE_WORDS]


def _seeds() -> np.ndarray:
    digest = hashlib.shake_256(_SEED).digest(8 * PERMUTATIONS)
    return np.frombuffer(digest, dtype="<u8").astype(np.uint64)


_PERMUTATION_SEEDS = _seeds()


def signature(text: str) -> tuple[int, ...]:
    """The document's signature: its distinct shingle count, then PERMUTATIONS minimum hashes.

    Deterministic across runs, processes and machines (no salted `hash()`). A text of fewer
    than SHINGLE_WORDS words is one shingle (the whole text); a text without words has count 0
    and is a near-duplicate of nothing.
    """
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    if not words:
        return (0,) + (_EMPTY,) * PERMUTATIONS
    shingles = np.unique(_shingle_hashes(words))
    # Each permutation is a seeded mix of the shingle hash; keep the top 32 bits of the minimum.
    mixed = _mix(shingles[:, None] ^ _PERMUTATION_SEEDS[None, :])
    minima = (mixed.min(axis=0) >> np.uint64(32)).tolist()
    return (len(shingles), *minima)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two documents' shingle sets (0.0 to 1.0)."""
    _check(a)
    _check(b)
    if a[0] == 0 or b[0] == 0:
        return 0.0
    return sum(x == y for x, y in zip(a[1:], b[1:], strict=True)) / PERMUTATIONS


def containment(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated share of the smaller document's shingles that the larger one also has.

    From the Jaccard estimate J and the sizes: |A ∩ B| = J (|A| + |B|) / (1 + J). The estimate
    gets coarse as the sizes drift apart (one shared minimum is worth more), one more reason
    `is_near_duplicate` wants sizes within MIN_SIZE_RATIO.
    """
    return _containment(similarity(a, b), a[0], b[0])


def is_near_duplicate(a: Sequence[int], b: Sequence[int], threshold: float = THRESHOLD) -> bool:
    """Whether two signed documents are copies of one text (see the module's docstring)."""
    return _duplicate(similarity(a, b), a[0], b[0], threshold)


def groups(
    signatures: Mapping[str, Sequence[int]],
    threshold: float = THRESHOLD,
    dates: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """source → its group's representative, for every source that has a near-duplicate.

    Groups are transitive (A ~ B and B ~ C put A, B and C in one group). The representative is
    the earliest-dated source when `dates` (ISO 8601, as in DocumentRecord.date) are given, so
    the original rather than a later republication; undated sources come after dated ones and
    ties go to the alphabetically first source. The representative maps to itself. Sources
    without near-duplicates are absent.
    """
    identical: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for source in sorted(signatures):
        sig = tuple(signatures[source])
        _check(sig)
        if sig[0] > 0:
            identical[sig].append(source)
    parent: dict[str, str] = {}
    for copies in identical.values():  # exact copies: no need to count their minima
        for copy in copies[1:]:
            _union(parent, copies[0], copy)
    distinct = {copies[0]: sig for sig, copies in identical.items()}
    for (a, b), shared in _shared_minima(distinct).items():
        if _duplicate(shared / PERMUTATIONS, distinct[a][0], distinct[b][0], threshold):
            _union(parent, a, b)
    return _representatives(parent, dates or {})


def to_json(sig: Sequence[int]) -> str:
    """The signature as a JSON list, for a metadata field."""
    _check(sig)
    return json.dumps(list(sig), separators=(",", ":"))


def from_json(stored: str) -> tuple[int, ...]:
    """A signature read back from `to_json`. Raises ValueError when it is not one (an older
    format, a damaged field): sign the document again."""
    try:
        values = json.loads(stored)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a stored signature: {exc}") from exc
    if not isinstance(values, list) or not all(type(v) is int for v in values):
        raise ValueError("not a stored signature: expected a list of integers")
    sig = tuple(values)
    _check(sig)
    return sig


def _shingle_hashes(words: list[str]) -> np.ndarray:
    hashes = np.array([_word_hash(w) for w in words], dtype=np.uint64)
    if len(hashes) < SHINGLE_WORDS:
        return _mix((hashes * _POSITION[: len(hashes)]).sum(keepdims=True, dtype=np.uint64))
    count = len(hashes) - SHINGLE_WORDS + 1
    combined = np.zeros(count, dtype=np.uint64)
    for position in range(SHINGLE_WORDS):
        combined += hashes[position : position + count] * _POSITION[position]
    return _mix(combined)


@lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijection on 64-bit ints that spreads every input bit."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    mixed: np.ndarray = x ^ (x >> np.uint64(31))
    return mixed


def _check(sig: Sequence[int]) -> None:
    if len(sig) != PERMUTATIONS + 1 or sig[0] < 0:
        raise ValueError(
            f"not a signature of this version: {len(sig)} values, expected {PERMUTATIONS + 1}"
        )


def _containment(jaccard: float, size_a: int, size_b: int) -> float:
    if jaccard == 0.0:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


def _duplicate(jaccard: float, size_a: int, size_b: int, threshold: float) -> bool:
    if min(size_a, size_b) < MIN_SIZE_RATIO * max(size_a, size_b):
        return False
    return _containment(jaccard, size_a, size_b) >= threshold


def _shared_minima(signatures: Mapping[str, Sequence[int]]) -> Counter[tuple[str, str]]:
    """How many minima each pair of sources shares. Only pairs sharing one at all can pass any
    threshold, so an index per permutation finds them without comparing every pair."""
    index: dict[tuple[int, int], list[str]] = defaultdict(list)
    for source in sorted(signatures):
        for slot, value in enumerate(signatures[source][1:]):
            index[(slot, value)].append(source)
    counts: Counter[tuple[str, str]] = Counter()
    for sources in index.values():
        for i, a in enumerate(sources):
            for b in sources[i + 1 :]:
                counts[(a, b)] += 1
    return counts


def _representatives(parent: dict[str, str], dates: Mapping[str, str]) -> dict[str, str]:
    members: dict[str, list[str]] = defaultdict(list)
    for source in parent:
        members[_root(parent, source)].append(source)

    def order(source: str) -> tuple[bool, str, str]:
        date = dates.get(source, "")
        return (not date, date, source)

    result: dict[str, str] = {}
    for group in members.values():
        result.update(dict.fromkeys(group, min(group, key=order)))
    return result


def _root(parent: dict[str, str], source: str) -> str:
    while parent[source] != source:
        parent[source] = parent[parent[source]]
        source = parent[source]
    return source


def _union(parent: dict[str, str], a: str, b: str) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    root_a, root_b = _root(parent, a), _root(parent, b)
    if root_a != root_b:
        parent[max(root_a, root_b)] = min(root_a, root_b)
