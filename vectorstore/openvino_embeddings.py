"""The same sentence-transformers model run by OpenVINO (ASSISTANT_EMBEDDINGS_RUNTIME=openvino).

The whole model (transformer, pooling, dense layers, normalisation) is exported once from the
local model folder (`torch.export`, then `openvino.convert_model`) and kept as OpenVINO IR in the cache folder,
named after the model files' sizes and times, so a changed model is converted again. It runs in
bfloat16 where the processor computes in it (`BF16` among the CPU's capabilities), else in
float32: the runtime ("openvino/bf16" or "openvino/f32") is part of the index's name, so vectors
of different runtimes never share an index.
"""

from __future__ import annotations

import hashlib
import os
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from vectorstore.embeddings import EmbedderSpec, SentenceTransformerEmbeddings
from vectorstore.errors import ModelNotFoundError

CACHE = Path(os.environ.get("ASSISTANT_OPENVINO_CACHE", "~/.cache/seed-assistant/openvino"))
LONGEST = 2048
"""Tokens kept of a text at most; a model whose own setting is shorter keeps fewer
(`longest`)."""
MOST_PADDING = 256
"""Padding tokens a text may get in a batch. Beyond the model's attention window (512 tokens
for EmbeddingGemma) a padding position sees no token at all and turns NaN in bfloat16."""


@lru_cache(maxsize=1)
def precision() -> str:
    """'bf16' where the processor computes in bfloat16, else 'f32'."""
    try:
        import openvino as ov
    except ImportError:
        raise ModelNotFoundError(
            "ASSISTANT_EMBEDDINGS_RUNTIME=openvino needs the openvino package: "
            "pip install openvino==2026.4.1"
        ) from None
    capabilities = ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    return "bf16" if "BF16" in capabilities else "f32"


def runtime() -> str:
    return f"openvino/{precision()}"


class OpenVINOEmbeddings(SentenceTransformerEmbeddings):
    """`SentenceTransformerEmbeddings` with the encoding done by an OpenVINO compiled model."""

    def __init__(self, spec: EmbedderSpec, query_threads: int = 1, document_threads: int = 2):
        super().__init__(spec, query_threads, document_threads)
        self.runtime = runtime()
        self._compiled: dict[int, Any] = {}
        self._tokenizer: Any = None
        self._longest = LONGEST
        self._ir_lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return int(self._model_for(1).output(0).get_partial_shape()[1].get_length())

    def encode(self, texts: list[str], threads: int, batch_size: int = 16) -> list[list[float]]:
        """Unit vectors of the texts as given, in batches of texts of about the same length (less
        padding). A row that comes out as NaN is encoded again alone, without padding."""
        import numpy as np

        compiled = self._model_for(max(1, threads))
        ids = self._tokenizer(texts, truncation=True, max_length=self._longest)["input_ids"]
        vectors: list[list[float]] = [[] for _ in texts]
        for picked in _batches([len(i) for i in ids], max(1, batch_size), MOST_PADDING):
            longest = max(len(ids[i]) for i in picked)
            tokens = np.full((len(picked), longest), self._tokenizer.pad_token_id or 0, np.int64)
            mask = np.zeros((len(picked), longest), dtype=np.int64)
            for row, i in enumerate(picked):
                tokens[row, : len(ids[i])], mask[row, : len(ids[i])] = ids[i], 1
            out = compiled({"input_ids": tokens, "attention_mask": mask})[0]
            for row, i in enumerate(picked):
                if np.isnan(out[row]).any():
                    one = np.array([ids[i]], dtype=np.int64)
                    out[row] = compiled({"input_ids": one, "attention_mask": np.ones_like(one)})[0][
                        0
                    ]
                vectors[i] = [float(x) for x in out[row]]
        return vectors

    def _model_for(self, threads: int) -> Any:
        """The model compiled for this many threads (converted first if not yet cached)."""
        with self._ir_lock:
            if threads not in self._compiled:
                import openvino as ov

                ir = self._ir()
                config = {
                    "INFERENCE_PRECISION_HINT": precision(),
                    "INFERENCE_NUM_THREADS": threads,
                    "PERFORMANCE_HINT": "LATENCY",
                    # Pinned threads of two processes (two embeddings servers, or ingest
                    # beside the app) land on the same cores and take turns: 2x slower.
                    "ENABLE_CPU_PINNING": False,
                }
                self._compiled[threads] = ov.Core().compile_model(ir, "CPU", config)
            return self._compiled[threads]

    def _ir(self) -> Path:
        """The converted model in the cache, converting it on first use."""
        location = Path(self.spec.locate())
        target = CACHE.expanduser() / f"{location.name}-{_fingerprint(location)}" / "model.xml"
        if self._tokenizer is None:
            from transformers import AutoTokenizer

            self._tokenizer = AutoTokenizer.from_pretrained(location)
            self._longest = longest(location)
        if not target.exists():
            _convert(self.model, target, self._longest)
            self._model = None  # the torch weights are not needed once converted
        return target


def _batches(lengths: list[int], size: int, most_padding: int) -> list[list[int]]:
    """Indexes of the texts, shortest first, in batches of at most `size` whose longest text is
    at most `most_padding` tokens longer than its shortest."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches: list[list[int]] = []
    for i in order:
        last = batches[-1] if batches else None
        if last and len(last) < size and lengths[i] - lengths[last[0]] <= most_padding:
            last.append(i)
        else:
            batches.append([i])
    return batches


def longest(folder: Path) -> int:
    """Tokens the model reads of a text: its sentence-transformers `max_seq_length` (as torch
    truncates), at most LONGEST."""
    import json

    config = folder / "sentence_bert_config.json"
    if config.exists():
        own = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
        if isinstance(own, int) and own > 1:
            return min(own, LONGEST)
    return LONGEST


def _fingerprint(folder: Path) -> str:
    """Names, sizes and modification times of the model's files: a changed model differs."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _convert(model: Any, target: Path, most_tokens: int) -> None:
    """Convert a SentenceTransformer (every module) to OpenVINO IR at `target`, atomically."""
    import openvino as ov
    import torch
    from sentence_transformers.models import Pooling

    class Whole(torch.nn.Module):
        """Every module in order. Padding positions are zeroed before pooling (not multiplied
        by zero): in bfloat16 a padding position can hold NaN, and 0 * NaN would spread it."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            for module in self.model:
                if isinstance(module, Pooling):
                    keep = attention_mask.unsqueeze(-1).bool()
                    tokens = features["token_embeddings"]
                    features["token_embeddings"] = torch.where(keep, tokens, 0.0)
                features = module(features)
            return features["sentence_embedding"]

    example = model.tokenizer(["an example", "a second, longer example"], padding=True)
    inputs = tuple(torch.tensor(example[k]) for k in ("input_ids", "attention_mask"))
    batch = torch.export.Dim("batch", min=1, max=4096)
    tokens = torch.export.Dim("tokens", min=2, max=most_tokens)
    shapes = {"input_ids": {0: batch, 1: tokens}, "attention_mask": {0: batch, 1: tokens}}
    with torch.no_grad():
        exported = torch.export.export(Whole().eval(), inputs, dynamic_shapes=shapes)
    converted = ov.convert_model(exported)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"partial-{os.getpid()}.xml")
    ov.save_model(converted, partial, compress_to_fp16=False)
    partial.with_suffix(".bin").replace(target.with_suffix(".bin"))
    partial.replace(target)


def main(argv: list[str] | None = None) -> int:
    """`python -m vectorstore.openvino_embeddings [MODEL]`: export the model now (make setup
    does), so that the first ingest does not wait for it."""
    import sys

    from vectorstore.embeddings import get_embedder

    args = sys.argv[1:] if argv is None else argv
    embedder = get_embedder(args[0] if args else "embeddinggemma-300m", runtime="openvino")
    print(f"{embedder.name}: {runtime()}, {embedder.dimension} dimensions, IR in {CACHE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
