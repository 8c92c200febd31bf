"""The indexes part of `Store`: the other indexes of the same base name, built another way (other
embedding model, runtime or chunking), listed and dropped once the new one is complete."""

from __future__ import annotations

from typing import Any


class IndexesMixin:
    """Listing and dropping the collections of a store's other indexes."""

    client: Any
    base: str
    chunks_name: str

    def collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self.client.list_collections()]

    def other_indexes(self) -> list[str]:
        """Chunk collections of this base name built another way (other model or chunking)."""
        prefix = f"{self.base}-"
        return sorted(
            name
            for name in self.collection_names()
            if name.startswith(prefix)
            and not name.endswith(("-manifest", "-sentences"))
            and name != self.chunks_name
        )

    def drop_other_indexes(self) -> list[str]:
        """Delete indexes built another way; called once the new index is complete."""
        dropped = self.other_indexes()
        for name in dropped:
            for victim in (name, f"{name}-manifest", f"{name}-sentences"):
                if victim in self.collection_names():
                    self.client.delete_collection(victim)
        return dropped
