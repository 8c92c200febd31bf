"""The in-process backend's use of llama.cpp's cache, against a stand-in for the model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from assistant.llm import LlamaCppBackend
from assistant.settings import AssistantSettings


class _Llama:
    """Stands in for llama_cpp.Llama: one token per character; a completion leaves the whole
    prompt in the cache, as the real one does."""

    def __init__(self) -> None:
        self.input_ids = np.zeros(4096, dtype=np.intc)
        self.n_tokens = 0
        self.evaluated: list[str] = []  # what was evaluated on its own, before a completion
        self.cached_at_start: list[int] = []  # cache length when each completion began
        self.loaded: list[str] = []  # saved states loaded back

    def tokenize(self, text: bytes, add_bos: bool = False, special: bool = True) -> list[int]:
        return [ord(c) for c in text.decode("utf-8")]

    def reset(self) -> None:
        self.n_tokens = 0

    def eval(self, tokens: list[int]) -> None:
        self.input_ids[self.n_tokens : self.n_tokens + len(tokens)] = tokens
        self.n_tokens += len(tokens)
        self.evaluated.append("".join(map(chr, tokens)))

    def save_state(self) -> tuple[list[int], int]:
        return self.input_ids[: self.n_tokens].tolist(), self.n_tokens

    def load_state(self, state: tuple[list[int], int]) -> None:
        tokens, self.n_tokens = state
        self.input_ids[: len(tokens)] = tokens
        self.loaded.append("".join(map(chr, tokens)))

    def create_chat_completion(self, messages: list[dict[str, str]], **_: Any) -> Iterator[Any]:
        self.cached_at_start.append(self.n_tokens)
        prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        tokens = self.tokenize(prompt.encode())
        self.input_ids[: len(tokens)] = tokens
        self.n_tokens = len(tokens)
        yield {"choices": [{"delta": {"content": "ok"}}]}


def _messages(system: str, user: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def test_a_question_starts_from_the_system_turn_evaluated_alone() -> None:
    backend = LlamaCppBackend(AssistantSettings())
    fake = _Llama()
    backend._llm = fake
    answer, rewrite = "Answer from the sources.", "Rewrite the question."
    turn = len(f"<|im_start|>system\n{answer}<|im_end|>\n")

    assert "".join(backend.stream(_messages(answer, "Sources: A. Question: a?"), 8)) == "ok"
    # Within a question the cache is used as it stands (the whole first prompt is cached)…
    "".join(backend.stream(_messages(answer, "Sources: A. Question: a, again?"), 8))
    # …a new question, after a prompt that shares more than the system turn, keeps only the turn.
    backend.new_question()
    "".join(backend.stream(_messages(answer, "Sources: A. Question: b?"), 8))
    assert fake.cached_at_start[0] == turn and fake.cached_at_start[1] > turn
    assert fake.cached_at_start[2] == turn
    assert fake.evaluated == [f"<|im_start|>system\n{answer}<|im_end|>\n"]

    # Another system turn is evaluated on its own from an empty cache.
    "".join(backend.stream(_messages(rewrite, "Where was she born?"), 8))
    assert fake.evaluated[-1] == f"<|im_start|>system\n{rewrite}<|im_end|>\n"
    assert fake.cached_at_start[-1] == len(fake.evaluated[-1])


def test_a_system_turn_seen_before_is_loaded_back_not_evaluated_again() -> None:
    backend = LlamaCppBackend(AssistantSettings())
    fake = _Llama()
    backend._llm = fake
    answer, translate = "Answer from the sources.", "Translate the answer."
    "".join(backend.stream(_messages(answer, "Sources: A. Question: a?"), 8))
    "".join(backend.stream(_messages(translate, "Answer: Ja"), 8))
    backend.new_question()
    "".join(backend.stream(_messages(answer, "Sources: B. Question: b?"), 8))
    turn = f"<|im_start|>system\n{answer}<|im_end|>\n"
    assert fake.evaluated == [turn, f"<|im_start|>system\n{translate}<|im_end|>\n"]
    assert fake.loaded == [turn] and fake.cached_at_start[-1] == len(turn)
