"""Budgets: a question too long or holding too many questions is refused in one line before the
model runs; the conversation read is bounded; an answer past its time stops drafting; the model
serves concurrent questions in the order their calls came."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant.budget import Clock, OverBudgetError, bounded_history
from assistant.fairlock import FairLock

pytestmark = pytest.mark.unit


def _with(assistant, **changes):  # type: ignore[no-untyped-def]
    assistant.settings = replace(assistant.settings, **changes)
    return assistant


def test_a_question_over_the_length_limit_is_refused_before_the_model_runs(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = _with(fake_assistant("NOT FOUND"), max_question_chars=200)
    question = "When did Khalilzad resign? " * 20
    with pytest.raises(OverBudgetError, match="539 characters long; the limit is 200"):
        assistant.ask(question)
    assert assistant.llm.prompts == []


def test_a_message_with_more_questions_than_allowed_is_refused_in_one_line(fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = _with(fake_assistant("NOT FOUND"), max_parts=3)
    question = " ".join(f"Who was envoy number {i} in Kabul?" for i in range(5))
    with pytest.raises(OverBudgetError, match="holds 5 questions; at most 3"):
        assistant.ask(question)
    assert assistant.llm.prompts == []
    assert not assistant.ask("Who was envoy number 1 in Kabul? Who was envoy number 2?").found


def test_the_conversation_read_is_the_last_turns_each_cut_short() -> None:
    history = [{"role": "user", "content": f"{i} " + "x" * 500} for i in range(10)]
    kept = bounded_history(history, max_messages=4, max_chars=50)
    assert [m["content"].split()[0] for m in kept] == ["6", "7", "8", "9"]
    assert all(len(m["content"]) == 50 and m["role"] == "user" for m in kept)
    assert bounded_history(history, max_messages=0, max_chars=50) == []


def test_an_answer_past_its_time_stops_before_drafting_another_part(
    fake_assistant, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    drafted: list[bool] = []

    def slow(messages: Sequence[dict[str, str]]) -> str:
        drafted.append(True)  # the first draft uses up the time
        return "NOT FOUND"

    monkeypatch.setattr(Clock, "over", lambda self: bool(drafted))
    assistant = _with(fake_assistant(slow), max_answer_seconds=30)
    question = "When did Khalilzad resign, and who replaced him as the envoy?"
    with pytest.raises(OverBudgetError, match="no answer within 30 s"):
        assistant.ask(question)
    assert len(assistant.llm.prompts) == 1  # the first part drafted, no second look, no second part


def test_a_clock_without_budget_is_never_over() -> None:
    assert not Clock(0.0).over()
    clock = Clock(0.01)
    time.sleep(0.02)
    assert clock.over()


def _arrivals(lock: object, callers: int, calls_each: int) -> list[str]:
    """Each caller makes `calls_each` calls through `lock`, all starting while one holds it;
    the order in which the calls ran."""
    order: list[str] = []
    started = threading.Barrier(callers + 1)

    def caller(name: str) -> None:
        started.wait()
        for _ in range(calls_each):
            with lock:  # type: ignore[attr-defined]
                order.append(name)
                time.sleep(0.002)

    threads = [threading.Thread(target=caller, args=(chr(65 + i),)) for i in range(callers)]
    with lock:  # type: ignore[attr-defined]
        for thread in threads:
            thread.start()
        started.wait()
        deadline = time.monotonic() + 10
        while lock._next_ticket < callers + 1 and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.01)  # until every caller waits for its first call
    for thread in threads:
        thread.join(timeout=10)
    return order


def test_concurrent_callers_take_turns_instead_of_one_running_all_its_calls() -> None:
    order = _arrivals(FairLock(), callers=3, calls_each=6)
    assert len(order) == 18
    for i in range(0, 18, 3):  # every round serves each caller once
        assert sorted(order[i : i + 3]) == ["A", "B", "C"], order


def test_a_waiter_that_gives_up_does_not_block_the_ones_behind_it() -> None:
    lock = FairLock()
    done: list[str] = []

    class Interrupted(Exception):
        pass

    original = threading.Condition.wait_for

    def interrupted_wait(self, predicate, timeout=None):  # type: ignore[no-untyped-def]
        if threading.current_thread().name == "gives-up":
            raise Interrupted
        return original(self, predicate, timeout)

    def run(name: str) -> None:
        try:
            with lock:
                done.append(name)
        except Interrupted:
            done.append(f"{name} gave up")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(threading.Condition, "wait_for", interrupted_wait)
        with lock:
            quitter = threading.Thread(target=run, args=("quitter",), name="gives-up")
            quitter.start()
            quitter.join(timeout=5)
            waiter = threading.Thread(target=run, args=("waiter",))
            waiter.start()
            time.sleep(0.05)
        waiter.join(timeout=5)
    assert done == ["quitter gave up", "waiter"]
