"""The named errors of the store and the models. User-facing layers turn them into one line."""


class AssistantError(Exception):
    """Base of every error a user can cause or fix; its message is the one line they see."""


class ModelNotFoundError(AssistantError):
    """A model file or folder is missing, or failed its checksum."""


class EmptyIndexError(AssistantError):
    """The collection has no documents yet: ingest first."""


class IndexMismatchError(AssistantError):
    """The collection was built with another embedding model or chunking than the reader uses."""


class IngestLockedError(AssistantError):
    """Another ingest holds the store's lock."""


class StoreUnavailableError(AssistantError):
    """The Chroma server named by ASSISTANT_CHROMA_URL does not answer."""
