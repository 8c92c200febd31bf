"""Chroma clients: a server named by ASSISTANT_CHROMA_URL, or an embedded folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from vectorstore import snapshots
from vectorstore.errors import StoreUnavailableError
from vectorstore.settings import StoreSettings


def connect(settings: StoreSettings, folder: Path | None = None) -> Any:
    """A Chroma client: the server named by settings.chroma_url, else an embedded folder (the
    given one, else the published snapshot, else the store folder itself)."""
    import chromadb
    from chromadb.config import Settings

    chroma_settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url and folder is None:
        raw = settings.chroma_url.strip()
        url = urlparse(raw if "://" in raw else f"http://{raw}")
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except ValueError:  # chromadb's "Could not connect to a Chroma server"
            raise StoreUnavailableError(
                f"no Chroma server answers at {raw}; start one with "
                "'chroma run --path DIR --host 127.0.0.1 --port 8000' or unset ASSISTANT_CHROMA_URL"
            ) from None
    if folder is None:
        name, _ = snapshots.published(settings.path)
        folder = snapshots.folder_of(settings.path, name) or settings.path
    folder.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(folder), settings=chroma_settings)


def close_client(client: Any) -> None:
    """Release a client (and its embedded system once no other client uses it)."""
    closer = getattr(client, "close", None)
    if callable(closer):
        closer()
