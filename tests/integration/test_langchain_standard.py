"""langchain-tests' standard suites for the retriever and the chat model, against the real parts.

The retriever searches the seeded index (real EmbeddingGemma, real Chroma); the chat model runs
the default bundled LLM in process. Features the model lacks (tool calling, structured output,
JSON mode, images, audio, PDF, per-call model switch) are declared unsupported through the
suites' own properties, which then skip those tests themselves.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import ChatModelIntegrationTests, RetrieversIntegrationTests
from langchain_tests.unit_tests import ChatModelUnitTests

from assistant.integrations import LocalChatModel, PassageRetriever
from assistant.settings import AssistantSettings

# The suites hold async tests; the mark is harmless (but warned about) on their sync tests.
pytestmark = [
    pytest.mark.asyncio(loop_scope="function"),
    pytest.mark.filterwarnings("ignore:The test <Function:pytest.PytestWarning"),
]

MODEL = AssistantSettings().llm_model


class _Unsupported:
    """What the local model does not do, said through the suites' own switches."""

    @property
    def has_tool_calling(self) -> bool:
        return False

    @property
    def has_structured_output(self) -> bool:
        return False

    @property
    def supports_json_mode(self) -> bool:
        return False

    @property
    def supports_image_inputs(self) -> bool:
        return False

    @property
    def supports_audio_inputs(self) -> bool:
        return False

    @property
    def supports_pdf_inputs(self) -> bool:
        return False

    @property
    def supports_model_override(self) -> bool:
        return False  # one model is loaded in process; switch with ASSISTANT_LLM_MODEL


class TestPassageRetriever(RetrieversIntegrationTests):
    settings: AssistantSettings | None = None

    @pytest.fixture(autouse=True)
    def _seeded_index(self, seeded: tuple[Any, AssistantSettings]) -> None:
        type(self).settings = seeded[1]

    @property
    def retriever_constructor(self) -> type[PassageRetriever]:
        return PassageRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"settings": self.settings}

    @property
    def retriever_query_example(self) -> str:
        return "Why was the withdrawal from Afghanistan criticised?"


class TestLocalChatModelUnit(_Unsupported, ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[LocalChatModel]:
        return LocalChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": MODEL}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        env = {
            "ASSISTANT_LLM_MODEL": "/models/other.gguf",
            "ASSISTANT_LLM_URL": "http://10.0.0.2:8080",
        }
        return env, {}, {"model": "/models/other.gguf", "base_url": "http://10.0.0.2:8080"}


class TestLocalChatModelIntegration(_Unsupported, ChatModelIntegrationTests):
    @property
    def chat_model_class(self) -> type[LocalChatModel]:
        return LocalChatModel

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": MODEL, "max_tokens": 12}  # short replies: each test only needs text back
