"""Text generation backends: llama-cpp-python in process, or any OpenAI-compatible server.

Both stream text deltas from chat messages. The in-process model loads on first use, so the app
can paint before the weights are read.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant.settings import AssistantSettings
from vectorstore.bundled import BUNDLES, resolve
from vectorstore.errors import AssistantError, ModelNotFoundError

Messages = Sequence[dict[str, str]]


class GenerationError(AssistantError):
    """The model or the model server failed while answering."""


class ChatBackend(Protocol):
    """What the assistant needs from a language model."""

    name: str

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()) -> Iterator[str]:
        """Text deltas of the reply, greedy (temperature 0)."""
        ...

    def count_tokens(self, messages: Messages) -> int:
        """Prompt tokens the messages cost (an estimate where the backend cannot count)."""
        ...


def model_path(name: str) -> Path:
    """A bundled model's assembled file, or `name` as a path to any GGUF file."""
    if name in BUNDLES:
        return resolve(BUNDLES[name])
    path = Path(name).expanduser()
    if not path.is_file():
        raise ModelNotFoundError(
            f"LLM '{name}' not found: set ASSISTANT_LLM_MODEL to a bundled model "
            f"({', '.join(b for b in BUNDLES if b.startswith('qwen'))}) or a .gguf file"
        )
    return path


class LlamaCppBackend:
    """A GGUF model run by llama-cpp-python in this process."""

    def __init__(self, settings: AssistantSettings):
        self.settings = settings
        self.name = Path(settings.llm_model).name
        self._llm: Any = None
        self._lock = threading.Lock()

    @property
    def llm(self) -> Any:
        if self._llm is None:
            path = model_path(self.settings.llm_model)
            from llama_cpp import Llama

            try:
                self._llm = Llama(
                    model_path=str(path),
                    n_ctx=self.settings.llm_context,
                    n_threads=self.settings.llm_threads,
                    n_threads_batch=self.settings.llm_threads,
                    n_batch=512,
                    seed=0,
                    verbose=False,
                )
            except ValueError as exc:
                raise ModelNotFoundError(f"cannot load the LLM from {path}: {exc}") from None
        return self._llm

    def load(self) -> None:
        """Read the weights now rather than at the first question."""
        _ = self.llm

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()) -> Iterator[str]:
        with self._lock:  # one generation at a time: two would halve each other's speed
            chunks = self.llm.create_chat_completion(
                messages=list(messages),
                stream=True,
                temperature=0.0,
                top_k=1,
                max_tokens=max_tokens,
                stop=list(stop) or None,
            )
            for chunk in chunks:
                delta = chunk["choices"][0].get("delta", {}).get("content")
                if delta:
                    yield delta

    def count_tokens(self, messages: Messages) -> int:
        text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)) + 3


class OpenAICompatibleBackend:
    """Any server speaking the OpenAI chat completions API (llama-cpp-python's server, vLLM, …)."""

    def __init__(self, settings: AssistantSettings, timeout: float = 120.0):
        self.base = settings.llm_url.rstrip("/")
        if not self.base.endswith("/v1"):
            self.base += "/v1"
        self.model = settings.llm_model
        self.name = f"{self.model} @ {self.base}"
        self.timeout = timeout

    def load(self) -> None:
        """Nothing to load: the server holds the model."""

    def stream(self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()) -> Iterator[str]:
        body = {
            "model": self.model,
            "messages": list(messages),
            "stream": True,
            "temperature": 0.0,
            "max_tokens": max_tokens,
        }
        if stop:
            body["stop"] = list(stop)
        request = urllib.request.Request(
            f"{self.base}/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "text/event-stream"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                for raw in response:
                    line = raw.decode("utf-8").strip()
                    if not line.startswith("data:"):
                        continue
                    payload = line[5:].strip()
                    if payload == "[DONE]":
                        return
                    choices = json.loads(payload).get("choices") or [{}]
                    delta = (choices[0].get("delta") or {}).get("content")
                    if delta:
                        yield delta
        except (urllib.error.URLError, OSError) as exc:
            raise GenerationError(f"the LLM server at {self.base} did not answer: {exc}") from None

    def count_tokens(self, messages: Messages) -> int:
        return sum(len(m["content"]) for m in messages) // 4 + 4 * len(messages)


def make_backend(settings: AssistantSettings) -> LlamaCppBackend | OpenAICompatibleBackend:
    """The server backend when ASSISTANT_LLM_URL is set, else the in-process model."""
    if settings.llm_url:
        return OpenAICompatibleBackend(settings)
    return LlamaCppBackend(settings)
