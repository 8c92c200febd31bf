"""Ingest as a sync of the documents folder to the store, keyed by each file's content hash.

new → added, changed → its old chunks replaced, removed → its chunks deleted, unchanged → nothing
embedded (and not even read twice). A file that cannot be ingested is reported in one line; if an
earlier version of it was indexed, that version is taken out, so the index never answers from
text the folder no longer holds.

Safety: one ingest at a time per store (`ingest.lock`). An embedded store is changed in a private
copy that is published whole (`vectorstore.snapshots`), so readers, even in other processes, see
the old index or the new one and a killed ingest changes nothing they see; the next ingest
resumes the copy. A Chroma server is changed in place, in the order of `ingest.commit`. A run that
finds nothing to change writes nothing and never loads the embedding model. A run asked to stop
(the app's Stop button, Ctrl-C) keeps what it embedded the same way and publishes nothing: the
next run goes on from there.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest import faults
from ingest.commit import embed_and_commit, remove, repair
from ingest.load import discover
from ingest.lock import ingest_lock
from ingest.plan import Plan, in_scope, make_plan, scope_of
from ingest.progress import Progress
from ingest.report import IngestReport
from ingest.settings import IngestSettings
from vectorstore import snapshots
from vectorstore.errors import EmptyIndexError, IndexMismatchError
from vectorstore.manifest import CLEAN, RUNNING
from vectorstore.schema import DocumentRecord
from vectorstore.store import Store

log = logging.getLogger(__name__)


def ingest(
    settings: IngestSettings | None = None,
    paths: list[Path] | None = None,
    progress: Progress | None = None,
    embedder: Any = None,
    stop: threading.Event | None = None,
) -> IngestReport:
    """Sync the documents folder (or the given paths inside it) into the store.

    `embedder` defaults to the model named by the settings, loaded only if something needs
    embedding; tests pass a small fake. Setting `stop` ends the run after the texts being
    embedded (the report lists the documents left). Raises IngestLockedError if another ingest
    keeps the store busy for longer than `settings.lock_timeout`.
    """
    settings = settings or IngestSettings()
    started = time.perf_counter()
    run = _Run(progress or _silent, started, embedder, stop or threading.Event())
    with ingest_lock(settings):
        return _sync(settings, paths, run)


@dataclass(frozen=True)
class _Run:
    """What one ingest was called with, beyond what to sync."""

    progress: Progress
    started: float
    embedder: Any
    stop: threading.Event


class _Stopped(Exception):
    """The run was asked to stop; `left` are the documents not embedded."""

    def __init__(self, left: list[str]):
        super().__init__(f"stopped with {len(left)} documents left")
        self.left = left


def _silent(done: int, total: int, label: str) -> None:
    return None


def _sync(settings: IngestSettings, paths: list[Path] | None, run: _Run) -> IngestReport:
    files, problems = discover(settings.root, paths)
    faults.reached("listed")
    scope = scope_of(settings.root, paths)
    base = _open_published(settings)
    try:
        before = base.documents() if base is not None else {}
        plan = make_plan(files, {s: d.doc_hash for s, d in before.items()}, settings, run.progress)
        faults.reached("planned")
        present = {f.source for f in files}
        outdated = [
            s for s in before if (in_scope(s, scope) and s not in present) or s in plan.failed
        ]
        clean = base is not None and base.ingest_state() == CLEAN
        if clean and not plan.prepared and not outdated:
            assert base is not None
            if not settings.store.chroma_url:
                snapshots.discard_others(settings.store.path, keep=None)
            return _report(plan, problems, before, before, base.count(), run.started)
    finally:
        if base is not None:
            base.close()
    try:
        return _write(settings, plan, problems, before, present, scope, run)
    except _Stopped as stopped:
        after, total = _published_now(settings)
        return _report(
            plan, problems, before, after, total, run.started, stopped=tuple(stopped.left)
        )


def _write(
    settings: IngestSettings,
    plan: Plan,
    problems: list[str],
    before: dict[str, DocumentRecord],
    present: set[str],
    scope: list[str] | None,
    run: _Run,
) -> IngestReport:
    target, staging = _open_target(settings)
    try:
        faults.reached("staged")
        repaired = repair(target)[0] if target.ingest_state() != CLEAN else 0
        target.set_ingest_state(RUNNING)
        live = target.documents()
        remove(
            target,
            sorted(
                s for s in live if (in_scope(s, scope) and s not in present) or s in plan.failed
            ),
        )
        todo = [
            p
            for p in plan.prepared
            if p.source not in live or live[p.source].doc_hash != p.record.doc_hash
        ]
        for p in todo:
            p.replaces = p.source in live
        embedder = run.embedder
        if todo and embedder is None:
            from vectorstore.remote_embeddings import embedder_for

            embedder = embedder_for(settings.store)
        committed = embed_and_commit(
            target,
            embedder,
            todo,
            settings.store.embed_batch,
            settings.commit_texts,
            run.progress,
            run.stop.is_set,
        )
        if len(committed) < len(todo):
            done = {p.source for p in committed}
            raise _Stopped([p.source for p in todo if p.source not in done])
        target.bump_generation()
        dropped = target.drop_other_indexes()
        target.set_ingest_state(CLEAN)
        after, total = target.documents(), target.count()
        if staging is not None:
            target.close()
            faults.reached("publishing")
            snapshots.publish(settings.store.path, staging)
            faults.reached("published")
            snapshots.prune(settings.store.path)
    finally:
        target.close()
    return _report(
        plan,
        problems,
        before,
        after,
        total,
        run.started,
        chunks_embedded=sum(len(p.chunks) for p in committed),
        sentences_embedded=sum(len(p.sentences) for p in committed),
        rebuilt_from=tuple(dropped),
        repaired=repaired,
        resumed=staging is not None and staging.resumed,
    )


def _open_published(settings: IngestSettings) -> Store | None:
    """The index readers use now, or None if there is none for this model and chunking."""
    store = settings.store
    try:
        return Store.open(store, store.chunking, create=False)
    except (EmptyIndexError, IndexMismatchError):
        return None


def _published_now(settings: IngestSettings) -> tuple[dict[str, DocumentRecord], int]:
    """The documents and chunk count readers see now."""
    published = _open_published(settings)
    if published is None:
        return {}, 0
    try:
        return published.documents(), published.count()
    finally:
        published.close()


def _open_target(settings: IngestSettings) -> tuple[Store, snapshots.Staging | None]:
    """The store to write: a Chroma server in place, else a private copy of the published
    snapshot (the copy a killed ingest left, if it still opens cleanly)."""
    store = settings.store
    if store.chroma_url:
        return Store.open(store, store.chunking, create=True), None
    staging = snapshots.stage(store.path)
    target: Store | None = None
    try:
        target = Store.open(store, store.chunking, create=True, folder=staging.folder)
        if staging.resumed:
            target.validate()
            snapshots.opened(staging)
        return target, staging
    except Exception:
        if not staging.resumed:
            raise
        if target is not None:
            target.close()
        log.warning(
            "the copy an interrupted ingest left behind does not open cleanly; "
            "starting again from the published index"
        )
        snapshots.discard(staging)
        staging = snapshots.stage(store.path)
        return Store.open(store, store.chunking, create=True, folder=staging.folder), staging


def _report(
    plan: Plan,
    problems: list[str],
    before: dict[str, DocumentRecord],
    after: dict[str, DocumentRecord],
    total: int,
    started: float,
    **extra: Any,
) -> IngestReport:
    """What changed between the index readers had before and the one they have now."""
    errors = list(problems)
    for source, reason in plan.failed.items():
        gone = source in before and source not in after
        errors.append(
            f"{reason}; its earlier version was removed from the index" if gone else reason
        )
    done = [
        p.source
        for p in plan.prepared
        if p.source in after and after[p.source].doc_hash == p.record.doc_hash
    ]
    extra.setdefault("chunks_embedded", 0)
    return IngestReport(
        added=tuple(s for s in done if s not in before),
        updated=tuple(s for s in done if s in before),
        unchanged=tuple(plan.unchanged),
        deleted=tuple(s for s in sorted(before) if s not in after and s not in plan.failed),
        errors=tuple(errors),
        warnings=tuple(line for p in plan.prepared for line in p.warnings),
        chunks_total=total,
        documents_total=len(after),
        seconds=time.perf_counter() - started,
        **extra,
    )
