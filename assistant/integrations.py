"""The assistant's parts behind langchain-core's interfaces, for use in any LangChain pipeline.

- `PassageRetriever` (a `BaseRetriever`): hybrid dense + BM25 search over the ingested documents;
  every `Document` carries `source`, `title`, `start`, `end` and `score` metadata, and
  `page_content == file_text[start:end]` of the file named by `source`.
- `LocalChatModel` (a `BaseChatModel`): the local LLM, in process (llama-cpp-python) or on any
  OpenAI-compatible server (`base_url`, or ASSISTANT_LLM_URL). Generation is greedy.

Both pass the langchain-tests standard suites that apply to them (retrievers, chat models); the
chat model has no tool calling, structured output or image input.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel, LangSmithParams
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, field_validator

from assistant.language import question_language
from assistant.llm import ChatBackend, GenerationError, make_backend
from assistant.pipeline.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from vectorstore.settings import env_str

_ROLES = {
    "human": "user",
    "ai": "assistant",
    "system": "system",
    "tool": "user",
    "function": "user",
}


class PassageRetriever(BaseRetriever):
    """The k best passages for a query (dense + BM25, fused), as LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    k: int = 4
    """How many documents to return (may also be passed to `invoke` as `k`)."""
    settings: AssistantSettings | None = None
    """Which index to search; default: the ASSISTANT_* environment."""
    searcher: HybridSearcher | None = None
    """A searcher to share (its embedder and BM25 index); built from `settings` if not given."""

    def _searcher(self) -> HybridSearcher:
        if self.searcher is None:
            self.searcher = HybridSearcher(self.settings or AssistantSettings())
        return self.searcher

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        searcher = self._searcher()
        language = question_language(query, searcher.languages())
        result = searcher.search(query, k or self.k, language)
        return [
            Document(
                page_content=p.text,
                id=p.chunk_id or None,
                metadata={
                    "source": p.source,
                    "title": p.title,
                    "start": p.start,
                    "end": p.end,
                    "score": p.score,
                    "dense": p.dense,
                    "lexical": p.lexical,
                    "date": p.date,
                    "language": p.language,
                },
            )
            for p in result.passages
        ]


_BACKENDS: dict[tuple[str, str], ChatBackend] = {}
_BACKENDS_LOCK = threading.Lock()


def shared_backend(model: str, base_url: str = "", api_key: str = "") -> ChatBackend:
    """One backend per (model, server), so building many chat models loads the weights once."""
    with _BACKENDS_LOCK:
        key = (model, base_url)
        if key not in _BACKENDS:
            settings = replace(AssistantSettings(), llm_model=model, llm_url=base_url)
            backend = make_backend(settings)
            if api_key and hasattr(backend, "api_key"):
                backend.api_key = api_key
            _BACKENDS[key] = backend
        return _BACKENDS[key]


class LocalChatModel(BaseChatModel):
    """The local LLM as a LangChain chat model: in process, or on an OpenAI-compatible server."""

    model_config = ConfigDict(arbitrary_types_allowed=True, populate_by_name=True)

    model: str = Field(
        default_factory=lambda: env_str("LLM_MODEL", "qwen2.5-coder-1.5b-instruct-q4_k_m")
    )
    """A bundled model name or a GGUF path; on a server, the model name to ask for."""
    base_url: str = Field(default_factory=lambda: env_str("LLM_URL", ""))
    """An OpenAI-compatible server (http://127.0.0.1:8080/v1); empty: run the model in process."""
    api_key: SecretStr | None = None
    """Bearer token for the server, if it wants one."""
    temperature: float = 0.0
    """Only 0 (greedy decoding) is supported: answers must be reproducible."""
    max_tokens: int | None = 256
    """Longest reply in tokens."""
    stop: list[str] | None = None
    """Strings that end the reply."""
    timeout: float | None = None
    """Accepted for compatibility; the server backend has its own timeout."""
    max_retries: int = 0
    """Retries when the server fails before the first token."""
    streaming: bool = False
    """Accepted for compatibility: `stream()` always streams."""
    backend: Any = Field(default=None, exclude=True)
    """A ChatBackend to use instead of the one named by `model` / `base_url`."""

    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @field_validator("temperature")
    @classmethod
    def _greedy_only(cls, value: float | None) -> float:
        if value:
            raise ValueError("LocalChatModel decodes greedily: temperature must be 0")
        return 0.0

    @property
    def _llm_type(self) -> str:
        return "openai-compatible-server" if self.base_url else "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url, "max_tokens": self.max_tokens}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="openai-compatible" if self.base_url else "llamacpp",
            ls_model_name=str(kwargs.get("model") or self.model),
            ls_model_type="chat",
            ls_temperature=self.temperature,
        )
        if self.max_tokens is not None:
            params["ls_max_tokens"] = self.max_tokens
        if stop or self.stop:
            params["ls_stop"] = list(stop or self.stop or [])
        return params

    def chat_backend(self) -> ChatBackend:
        """The backend that generates (loaded on first use, shared between instances)."""
        with self._lock:
            if self.backend is None:
                key = self.api_key.get_secret_value() if self.api_key else ""
                self.backend = shared_backend(self.model, self.base_url, key)
            return self.backend

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        backend = self.chat_backend()
        plain = to_role_messages(messages)
        max_tokens = int(kwargs.get("max_tokens") or self.max_tokens or 256)
        stops = list(stop or self.stop or [])
        pieces = 0
        for attempt in range(self.max_retries + 1):
            try:
                for delta in backend.stream(plain, max_tokens, stops):
                    pieces += 1
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk
                break
            except GenerationError:
                if pieces or attempt == self.max_retries:
                    raise
        prompt = backend.count_tokens(plain)
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                chunk_position="last",
                usage_metadata={
                    "input_tokens": prompt,
                    "output_tokens": pieces,
                    "total_tokens": prompt + pieces,
                },
                response_metadata={
                    "model_name": self.model,
                    "model_provider": self._llm_type,
                    "finish_reason": "length" if pieces >= max_tokens else "stop",
                },
            ),
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text, usage, metadata = "", None, dict[str, Any]()
        for chunk in self._stream(messages, stop, run_manager, **kwargs):
            message = chunk.message
            text += message.text
            usage = getattr(message, "usage_metadata", None) or usage
            metadata = message.response_metadata or metadata
        reply = AIMessage(content=text, usage_metadata=usage, response_metadata=metadata)
        return ChatResult(generations=[ChatGeneration(message=reply)])


def to_role_messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    """LangChain messages as role/content dicts; consecutive turns of one role are merged."""
    out: list[dict[str, str]] = []
    for message in messages:
        role = _ROLES.get(message.type) or str(getattr(message, "role", "user"))
        text = message.text
        if out and out[-1]["role"] == role:
            out[-1]["content"] += "\n\n" + text
        else:
            out.append({"role": role, "content": text})
    return out
