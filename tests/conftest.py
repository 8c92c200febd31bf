"""Shared fixtures: a deterministic fake embedder for unit tests, and one real seeded index
(real EmbeddingGemma, real Chroma in a temporary folder) and the Wikipedia slice's two, shared
by the integration tests."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.settings import AssistantSettings
from ingest.settings import IngestSettings
from vectorstore.settings import StoreSettings

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT / "seeds"

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class FakeEmbedder:
    """Bag-of-words hashing into 64 dimensions (function words left out): similar texts get
    similar vectors, instantly."""

    name = "fake-embedder"
    dimension = 64

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        from vectorstore.languages import stopwords
        from vectorstore.text import tokenize

        stop = stopwords("en") | stopwords("da")
        vector = [0.0] * self.dimension
        for token in [t for t in tokenize(text) if t not in stop] or ["empty"]:
            digest = hashlib.sha256(token.encode()).digest()
            vector[digest[0] % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_passages(
        self, texts: Sequence[str], titles: Sequence[str] | None, batch_size: int = 16
    ) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(t) for t in texts]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts, None)

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def embed_similar(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def docs_dir(tmp_path: Path) -> Path:
    """A fresh copy of the seeds in a temporary documents folder."""
    target = tmp_path / "docs"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def fake_settings(tmp_path: Path, docs_dir: Path) -> IngestSettings:
    """Ingest settings pointing at a temporary folder and store, for the fake embedder."""
    store = replace(
        StoreSettings(), path=tmp_path / "store", embedding_model="fake-embedder", chroma_url=""
    )
    return IngestSettings(root=docs_dir, store=store, lock_timeout=5.0)


@pytest.fixture(scope="session")
def seeded(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[IngestSettings, AssistantSettings]]:
    """The seeds ingested once with the real embedder into a temporary Chroma store."""
    from ingest import ingest

    base = tmp_path_factory.mktemp("seeded")
    docs = base / "docs"
    shutil.copytree(SEEDS, docs)
    store = replace(StoreSettings(), path=base / "store", chroma_url="")
    settings = IngestSettings(root=docs, store=store)
    report = ingest(settings)
    assert report.ok and len(report.added) == len(list(SEEDS.iterdir()))
    yield settings, replace(AssistantSettings(), store=store, llm_url="")


@pytest.fixture(scope="session")
def real_assistant(seeded: tuple[IngestSettings, AssistantSettings]):  # type: ignore[no-untyped-def]
    """The real assistant (bundled embedder and LLM) over the seeded index."""
    from assistant import Assistant

    return Assistant(seeded[1])


@pytest.fixture(scope="session")
def wikipedia(real_assistant, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """tests/data/xquad-gate's three articles of each language (en, de) ingested once with the
    real embedder: {language: (an assistant over them sharing the session's models, folder)}."""
    from own_collection import assistant_over

    found = {}
    for language in ("en", "de"):
        base = tmp_path_factory.mktemp(f"xquad-{language}")
        shutil.copytree(PROJECT / "tests" / "data" / "xquad-gate" / language, base / "docs")
        assistant, report = assistant_over(real_assistant, base / "docs", base)
        assert report.ok and len(report.added) == 3
        found[language] = (assistant, base / "docs")
    return found


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by its folder, and run the fast ones first."""
    order = {"unit": 0, "integration": 1, "browser": 2}
    for item in items:
        for kind in order:
            if f"{os.sep}tests{os.sep}{kind}{os.sep}" in str(item.path):
                item.add_marker(getattr(pytest.mark, kind))
    items.sort(key=lambda i: next((order[k] for k in order if i.get_closest_marker(k)), 1))
