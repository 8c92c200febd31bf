"""An answer kept in a saved chat comes back whole: record() → JSON → from_record()."""

from __future__ import annotations

import json

import pytest

from assistant.types import Answer, Check, Citation, Evidence, Passage, Timings

pytestmark = pytest.mark.unit


def test_an_answer_survives_a_json_round_trip_field_for_field() -> None:
    passage = Passage("a.pdf", "A", 0, 40, "x" * 40, 0.5, "2021-10-18", "en", "c1", "h1",
                      0.7, 0.2, ((0, 20), (21, 40)))  # fmt: skip
    answer = Answer(
        question="Who?",
        text="Mia Lund [1]",
        found=True,
        standalone_question="Who designed it?",
        citations=(Citation(1, "a.pdf", "A", 0, 20, "x" * 20, page=3, date="2021", doc_hash="h1"),),
        passages=(passage,),
        timings=Timings(1.0, 2.0, 3.0, 4.0),
        language="en",
        evidence=(Evidence(1, "a.pdf", "A", 0, 20, "x" * 20, 0.9, "en", 0),),
        draft="Mia Lund [1]",
        checks=(Check("Mia Lund [1]", (1,), "supported", 1.0),),
        prompt_tokens=120,
        conflicts=("a differs from b",),
    )
    restored = Answer.from_record(json.loads(json.dumps(answer.record())))
    assert restored == answer


def test_a_record_from_an_older_version_loads_with_defaults() -> None:
    old = {
        "question": "Q",
        "text": "T [1]",
        "found": True,
        "standalone_question": "Q",
        "citations": [{"n": 1, "source": "s.txt", "title": "S", "start": 0, "end": 1, "text": "T"}],
        "passages": [],
        "timings": {"total_ms": 5.0, "removed_field": 1},
        "unknown": "ignored",
    }
    restored = Answer.from_record(old)
    assert restored.citations[0].page is None and restored.citations[0].doc_hash == ""
    assert restored.timings.total_ms == 5.0 and restored.evidence == ()
