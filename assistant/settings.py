"""Assistant settings in one typed place, read from ASSISTANT_* variables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.settings import StoreSettings, env_float, env_int, env_str


@dataclass(frozen=True)
class AssistantSettings:
    """How the assistant retrieves, selects evidence, generates and checks."""

    llm_model: str = field(
        default_factory=lambda: env_str("LLM_MODEL", "qwen2.5-coder-1.5b-instruct-q4_k_m")
    )
    """A bundled model name or the path of any GGUF file (ASSISTANT_LLM_MODEL)."""
    llm_url: str = field(default_factory=lambda: env_str("LLM_URL", ""))
    """An OpenAI-compatible server (http://127.0.0.1:8080/v1) instead of the in-process model."""
    llm_threads: int = field(default_factory=lambda: env_int("LLM_THREADS", 2))
    """CPU threads for generation (ASSISTANT_LLM_THREADS)."""
    llm_context: int = field(default_factory=lambda: env_int("LLM_CONTEXT", 2048))
    """Context window in tokens (ASSISTANT_LLM_CONTEXT)."""
    max_answer_tokens: int = field(default_factory=lambda: env_int("MAX_ANSWER_TOKENS", 48))
    """Longest draft the model may write (ASSISTANT_MAX_ANSWER_TOKENS)."""
    passages: int = field(default_factory=lambda: env_int("PASSAGES", 6))
    """Passages returned by retrieval, best first (ASSISTANT_PASSAGES)."""
    candidates: int = field(default_factory=lambda: env_int("CANDIDATES", 30))
    """Candidates each of dense and BM25 search feed into fusion (ASSISTANT_CANDIDATES)."""
    dense_weight: float = field(default_factory=lambda: env_float("DENSE_WEIGHT", 1.0))
    """Weight of the dense ranking in reciprocal rank fusion (ASSISTANT_DENSE_WEIGHT)."""
    lexical_weight: float = field(default_factory=lambda: env_float("LEXICAL_WEIGHT", 1.0))
    """Weight of the BM25 ranking in reciprocal rank fusion (ASSISTANT_LEXICAL_WEIGHT)."""
    sentence_weight: float = field(default_factory=lambda: env_float("SENTENCE_WEIGHT", 1.0))
    """Weight of the nearest-sentence ranking in reciprocal rank fusion; 0 leaves it out."""
    rrf_k: int = field(default_factory=lambda: env_int("RRF_K", 60))
    """The k of reciprocal rank fusion (ASSISTANT_RRF_K)."""
    rerank_candidates: int = field(default_factory=lambda: env_int("RERANK_CANDIDATES", 60))
    """Fused candidates re-ranked by their best sentence; 0 turns the rerank off."""
    rerank_chunk_weight: float = field(
        default_factory=lambda: env_float("RERANK_CHUNK_WEIGHT", 0.5)
    )
    """Weight of the whole chunk's similarity next to its best sentence's in the rerank."""
    rerank_lexical_weight: float = field(
        default_factory=lambda: env_float("RERANK_LEXICAL_WEIGHT", 0.0)
    )
    """Weight of the chunk's BM25 score (scaled to the best candidate's) in the rerank."""
    other_language_bonus: float = field(
        default_factory=lambda: env_float("OTHER_LANGUAGE_BONUS", 0.1)
    )
    """Added in the rerank to passages in another language than the question's."""
    evidence_passages: int = field(default_factory=lambda: env_int("EVIDENCE_PASSAGES", 4))
    """Passages whose sentences compete to reach the prompt (ASSISTANT_EVIDENCE_PASSAGES)."""
    evidence_sentences: int = field(default_factory=lambda: env_int("EVIDENCE_SENTENCES", 4))
    """Numbered sentences given to the model (ASSISTANT_EVIDENCE_SENTENCES)."""
    retry_sentences: int = field(default_factory=lambda: env_int("RETRY_SENTENCES", 3))
    """When nothing of the draft holds up, ask once more with only this many best sentences;
    0 turns the second look off (ASSISTANT_RETRY_SENTENCES)."""
    evidence_chars: int = field(default_factory=lambda: env_int("EVIDENCE_CHARS", 900))
    """Character budget of the evidence in the prompt (ASSISTANT_EVIDENCE_CHARS)."""
    conflict_margin: float = field(default_factory=lambda: env_float("CONFLICT_MARGIN", 0.15))
    """How much less relevant than the cited sentence another article's sentence may be and
    still be asked whether it gives another number or date; negative turns the question of
    conflicts off (ASSISTANT_CONFLICT_MARGIN)."""
    conflict_similarity: float = field(
        default_factory=lambda: env_float("CONFLICT_SIMILARITY", 0.7)
    )
    """How close in meaning another article's sentence must be to the cited one to be asked
    whether it gives another value (ASSISTANT_CONFLICT_SIMILARITY)."""
    min_relevance: float = field(default_factory=lambda: env_float("MIN_RELEVANCE", 0.35))
    """Below this similarity of the best passage or sentence, and below `min_coverage`, the
    assistant refuses without asking the model (ASSISTANT_MIN_RELEVANCE)."""
    min_coverage: float = field(default_factory=lambda: env_float("MIN_COVERAGE", 0.5))
    """The rarity-weighted share of the question's words one of the first passages must hold
    to count as relevant when its similarity is below `min_relevance` (ASSISTANT_MIN_COVERAGE)."""
    min_support: float = field(default_factory=lambda: env_float("MIN_SUPPORT", 0.6))
    """Rarity-weighted share of an answer's words its sentence must hold, when it does not
    hold them in order (ASSISTANT_MIN_SUPPORT)."""
    min_alignment: float = field(default_factory=lambda: env_float("MIN_ALIGNMENT", 0.85))
    """How alike in meaning (cosine) an answer and a stretch of a sentence in another language
    must be for that stretch to stand for it, when no translation of it is found there word
    for word (`assistant.pipeline.align`; ASSISTANT_MIN_ALIGNMENT, above 1 turns it off)."""
    addressed_certain: float = field(default_factory=lambda: env_float("ADDRESSED_CERTAIN", 0.25))
    """A sentence at least this similar to the descriptions of text addressed to an assistant is
    never evidence (ASSISTANT_ADDRESSED_CERTAIN)."""
    addressed_suspect: float = field(default_factory=lambda: env_float("ADDRESSED_SUSPECT", 0.15))
    """From this similarity up, a sentence chosen as evidence is first put to the model, which
    says whether it gives orders to its reader; 1 turns both checks off
    (ASSISTANT_ADDRESSED_SUSPECT)."""
    max_question_chars: int = field(default_factory=lambda: env_int("MAX_QUESTION_CHARS", 2000))
    """Longest question accepted, in characters (ASSISTANT_MAX_QUESTION_CHARS)."""
    max_parts: int = field(default_factory=lambda: env_int("MAX_PARTS", 4))
    """Most separate questions answered in one message (ASSISTANT_MAX_PARTS)."""
    max_history_messages: int = field(default_factory=lambda: env_int("MAX_HISTORY_MESSAGES", 6))
    """Turns of the conversation read to understand a follow-up (ASSISTANT_MAX_HISTORY_MESSAGES)."""
    max_answer_seconds: float = field(
        default_factory=lambda: env_float("MAX_ANSWER_SECONDS", 120.0)
    )
    """Time one answer may take before its optional steps are skipped and no further part is
    drafted; 0 sets no limit (ASSISTANT_MAX_ANSWER_SECONDS)."""
    chats_path: str = field(default_factory=lambda: env_str("CHATS_PATH", ""))
    """The SQLite file of saved chats (ASSISTANT_CHATS_PATH); empty: chats.sqlite3 in the
    store's folder, which git ignores."""
    store: StoreSettings = field(default_factory=StoreSettings)

    @property
    def chats_file(self) -> Path:
        return Path(self.chats_path) if self.chats_path else self.store.path / "chats.sqlite3"
