"""Text generation backends: llama-cpp-python in process, or any OpenAI-compatible server.

Both stream text deltas from chat messages. The in-process model loads on first use, so the app
can paint before the weights are read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from assistant.fairlock import FairLock
from assistant.settings import AssistantSettings
from vectorstore.bundled import BUNDLES, resolve
from vectorstore.errors import AssistantError, ModelNotFoundError

Messages = Sequence[dict[str, str]]


class GenerationError(AssistantError):
    """The model or the model server failed while answering."""


class ChatBackend(Protocol):
    """What the assistant needs from a language model."""

    name: str

    def stream(
        self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
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
        self._lock = FairLock()
        self._fresh = True
        self._states: dict[tuple[int, ...], Any] = {}

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

    def stream(
        self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        with self._lock:  # one generation at a time, in the order the calls came
            self._from_system_turn(messages)
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
        return len(self._tokens(messages)) + 3

    def _tokens(self, messages: Messages) -> list[int]:
        text = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def new_question(self) -> None:
        """The next prompt starts a new question: it may reuse the cached system turn only."""
        self._fresh = True

    def _from_system_turn(self, messages: Messages) -> None:
        """Make a question's answer depend on the question only.

        llama.cpp reuses its cache for the longest prefix a prompt shares with the one before
        and evaluates only the rest, and a batch's numbers depend on where it starts: the same
        question could get a different answer depending on what was asked before it. So the
        system turn is always evaluated on its own, and a new question keeps only that of the
        cache. Within a question (a rewrite, the drafts, a translation) the prompts, and so what
        they share, follow from the question itself, and the cache is used as usual.

        Each task has its own system turn; the state after each is kept, so switching tasks
        (a draft, then a translation, then the next question's draft) costs a copy, not a
        re-evaluation.
        """
        llm = self.llm
        system = self._tokens([m for m in messages[:1] if m.get("role") == "system"])
        cached = llm.input_ids[: llm.n_tokens].tolist()
        if not system or cached[: len(system)] != system:
            state = self._states.get(tuple(system))
            if state is not None:
                llm.load_state(state)
            else:
                llm.reset()
                if system:
                    llm.eval(system)
                    self._keep_state(tuple(system))
        elif self._fresh:
            llm.n_tokens = len(system)  # the rest is dropped when the prompt is evaluated
        self._fresh = False

    def _keep_state(self, system: tuple[int, ...]) -> None:
        if len(self._states) >= _KEPT_STATES:
            self._states.pop(next(iter(self._states)))
        self._states[system] = self.llm.save_state()


_KEPT_STATES = 4
"""System turns whose evaluated state the in-process model keeps (a few MB each)."""


class OpenAICompatibleBackend:
    """Any server speaking the OpenAI chat completions API (llama-cpp-python's server, vLLM, …).

    The model sent is ASSISTANT_LLM_MODEL when the server serves a model of that name, else the
    server's own (a single-model server such as llama-cpp-python's names it by its file path).
    ASSISTANT_LLM_API_KEY, when set, is sent as a bearer token.
    """

    def __init__(
        self, settings: AssistantSettings, timeout: float = 120.0, api_key: str | None = None
    ):
        self.base = server_base(settings.llm_url)
        self.model = settings.llm_model
        self.name = f"{self.model} @ {self.base}"
        self.timeout = timeout
        self.api_key = os.environ.get("ASSISTANT_LLM_API_KEY", "") if api_key is None else api_key
        self._served: list[str] | None = None
        self._usage: tuple[str, int] | None = None  # (digest of messages, prompt tokens)

    def load(self) -> None:
        """Check that the server answers and pick the model name it serves."""
        self.served_model()

    def served_model(self) -> str:
        """The model name to send: ours if the server serves it, else the server's first."""
        if self._served is None:
            listing = self._request("GET", "/models", None)
            self._served = [str(m.get("id", "")) for m in json.load(listing).get("data") or []]
        if self._served and self.model not in self._served:
            return self._served[0]
        return self.model

    def stream(
        self, messages: Messages, max_tokens: int, stop: Sequence[str] = ()
    ) -> Iterator[str]:
        body: dict[str, Any] = {
            "model": self.served_model(),
            "messages": list(messages),
            "stream": True,
            "temperature": 0.0,
            "top_p": 1.0,
            "top_k": 1,
            # The in-process defaults. llama-cpp-python's server would apply a repeat penalty of
            # 1.1, which punishes quoting the evidence: answers drift or turn into refusals.
            "repeat_penalty": 1.0,
            "max_tokens": max_tokens,
            "stream_options": {"include_usage": True},
        }
        if stop:
            body["stop"] = list(stop)
        response = self._request("POST", "/chat/completions", body, stream=True)
        try:
            for raw in response:
                line = raw.decode("utf-8").strip()
                if not line.startswith("data:"):
                    continue
                payload = line[5:].strip()
                if payload == "[DONE]":
                    return
                event = json.loads(payload)
                if event.get("error"):
                    raise GenerationError(
                        f"the LLM server at {self.base} failed: {_message(event)}"
                    )
                if event.get("usage"):
                    prompt = int(event["usage"].get("prompt_tokens") or 0)
                    self._usage = (_digest(messages), prompt) if prompt else None
                choices = event.get("choices") or [{}]
                delta = (choices[0].get("delta") or {}).get("content")
                if delta:
                    yield delta
        except (urllib.error.URLError, OSError) as exc:
            raise GenerationError(
                f"the LLM server at {self.base} stopped answering: {exc}"
            ) from None
        finally:
            response.close()

    def count_tokens(self, messages: Messages) -> int:
        """The server's own count when it reported one for these messages, else an estimate."""
        if self._usage and self._usage[0] == _digest(messages):
            return self._usage[1]
        return sum(len(m["content"]) for m in messages) // 4 + 4 * len(messages)

    def _request(
        self, method: str, path: str, body: dict[str, Any] | None, stream: bool = False
    ) -> Any:
        headers = {"Content-Type": "application/json"}
        if stream:
            headers["Accept"] = "text/event-stream"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            f"{self.base}{path}", data=data, headers=headers, method=method
        )
        try:
            return urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            with contextlib.suppress(ValueError):
                detail = _message(json.loads(detail))
            raise GenerationError(
                f"the LLM server at {self.base} refused the request (HTTP {exc.code}): {detail}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GenerationError(
                f"the LLM server at {self.base} did not answer ({reason}); "
                "is it running? (ASSISTANT_LLM_URL)"
            ) from None


def server_base(url: str) -> str:
    """The /v1 root of an OpenAI-compatible server, from a URL with or without scheme and /v1."""
    base = url.strip().rstrip("/")
    if "://" not in base:
        base = f"http://{base}"
    return base if base.endswith("/v1") else f"{base}/v1"


def _digest(messages: Messages) -> str:
    return hashlib.sha256(json.dumps(list(messages), sort_keys=True).encode("utf-8")).hexdigest()


def _message(payload: dict[str, Any]) -> str:
    error = payload.get("error", payload)
    if isinstance(error, dict):
        return str(error.get("message") or error.get("detail") or error)
    return str(payload.get("detail") or error)


def make_backend(settings: AssistantSettings) -> LlamaCppBackend | OpenAICompatibleBackend:
    """The server backend when ASSISTANT_LLM_URL is set, else the in-process model."""
    if settings.llm_url:
        return OpenAICompatibleBackend(settings)
    return LlamaCppBackend(settings)
