"""The sidebar: the collection at a glance, adding articles (upload or address), syncing the
folder (live while the app follows it), and every document with its state."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

import streamlit as st

from assistant import display
from assistant.app.folder import FolderSync
from assistant.types import DateFilter
from ingest import IngestSettings
from ingest.load import discover
from ingest.states import INDEXED, REMOVED, SKIPPED, WAITING, document_states
from ingest.upload import UploadStatus, save_upload, settle_conflict
from vectorstore.schema import DocumentRecord

_ICONS = {
    INDEXED: ":green[:material/check_circle:]",
    WAITING: ":blue[:material/hourglass_top:]",
    SKIPPED: ":orange[:material/warning:]",
    REMOVED: ":gray[:material/delete:]",
}
UPLOAD_TYPES = ["txt", "md", "html", "pdf", "docx"]


def sidebar(folder: FolderSync, settings: IngestSettings, docs: dict[str, DocumentRecord]) -> None:
    """The collection at a glance, adding articles, the sync, then the list of documents."""
    st.header("Collection")
    st.caption(display.collection_line(docs))
    llm = folder.assistant.settings.llm_url or folder.assistant.settings.llm_model
    st.caption(f"Embedding model: `{settings.store.embedding_model}`  \nLLM: `{llm}`")
    uploads(settings, folder.watching)
    add_by_address(folder, settings)
    if folder.watching or folder.syncing:  # live: the sync's progress, then its outcome
        st.fragment(run_every=1.0)(folder_state)(folder, settings)
    else:
        folder_state(folder, settings)


def date_filter(docs: dict[str, DocumentRecord]) -> DateFilter | None:
    """The sidebar's date filter: a range of publication dates (None: no filter)."""
    st.subheader("Dates")
    known = sorted(d.date for d in docs.values() if d.date)
    bounds = [_day(known[0]), _day(known[-1], last=True)] if known else []
    picked = st.date_input(
        "Only articles published between",
        value=[],
        min_value=bounds[0] if bounds else None,
        max_value=bounds[-1] if bounds else None,
        key="dates",
    )
    undated = st.checkbox("Keep articles with no date", value=True, key="undated")
    days = list(picked) if isinstance(picked, tuple | list) else [picked] if picked else []
    if not days:
        return None
    since, until = days[0].isoformat(), days[-1].isoformat()
    kept = sum(DateFilter(since, until, undated).keeps(d.date) for d in docs.values())
    st.caption(f"{kept} of {len(docs)} articles are searched.")
    return DateFilter(since, until, undated)


def _day(iso: str, last: bool = False) -> date:
    """The first (or last) day a date of any precision stands for."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        first = date(parts[0], parts[1], 1)
        following = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
        return following - timedelta(days=1) if last else first
    return date(parts[0], 12, 31) if last else date(parts[0], 1, 1)


def folder_state(folder: FolderSync, settings: IngestSettings) -> None:
    """The sync (live progress while one runs), its report, and each document's state. When a
    sync has changed the collection since the page was drawn, the whole page is drawn again
    (not while an answer is being written: that would cut it off)."""
    state = st.session_state
    seen = state.setdefault("generation", folder.generation)
    if seen != folder.generation and not folder.syncing and not state.get("answering"):
        state.generation = folder.generation
        st.rerun(scope="app")
    docs = _documents(folder)
    files, problems = discover(settings.root)
    states = document_states([f.source for f in files], problems, docs, _errors(folder))
    waiting = [s.source for s in states if s.state == WAITING]
    st.subheader("Index")
    if folder.progress is not None:
        _progress(folder)
    elif waiting and not folder.watching:
        st.info(
            f"Not indexed yet: {display.plain(', '.join(waiting))}. Press Re-ingest.",
            icon=":material/pending:",
        )
    reingest(folder, primary=(bool(waiting) and not folder.watching) or not docs)
    with st.expander(f"Documents ({len(states)})", expanded=True):
        for item in sorted(states, key=lambda s: (s.title or s.source).lower()):
            line = display.document_line(docs[item.source]) if item.source in docs else ""
            about = f"{item.state}: {item.reason}" if item.reason else item.state
            heading = line or f"**{display.plain(item.source)}**"
            st.markdown(f"{_ICONS[item.state]} {heading}  \n:small[{display.plain(about)}]")
        if not states:
            st.caption("No documents yet: add some above, or put files in the documents folder.")


def _progress(folder: FolderSync) -> None:
    """The sync under way: a bar with what is done, the rate and the time left, and Stop."""
    assert folder.progress is not None
    done, total, line = folder.progress
    st.progress(done / total if total else 0.0, text=display.plain(f"syncing: {line}"))
    if folder.stopping:
        st.caption("Stopping after the texts being embedded now; finished work is kept.")
    elif st.button("Stop", icon=":material/stop_circle:", key="stop-sync"):
        folder.request_stop()


def _documents(folder: FolderSync) -> dict[str, DocumentRecord]:
    from vectorstore.errors import EmptyIndexError

    try:
        return dict(folder.assistant.searcher.documents())
    except EmptyIndexError:
        return {}


def _errors(folder: FolderSync) -> tuple[str, ...]:
    return folder.report.errors if folder.report is not None else ()


def uploads(settings: IngestSettings, watching: bool) -> None:
    """Save uploads into the documents folder; ask before replacing a file of the same name."""
    st.subheader("Add articles")
    state = st.session_state
    files = st.file_uploader(
        f"Text, Markdown, HTML, PDF or Word, up to {settings.max_file_mb} MB each",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"uploader-{state.uploader_round}",
        max_upload_size=settings.max_file_mb,
    )
    for file in files or []:
        result = save_upload(settings.root, file.name, file.getvalue(), settings.max_bytes)
        if result.status is UploadStatus.EXISTS:
            state.conflicts[result.name] = file.getvalue()  # asked below, not noted
        else:
            state.upload_notes.append((result.status.value, result.message))
    if files:
        state.uploader_round += 1
        st.rerun()
    then = (
        " It is indexed within seconds." if watching else " Press Re-ingest to make it searchable."
    )
    for status, message in state.upload_notes:
        kind = {"saved": st.success, "unchanged": st.info}.get(status, st.error)
        kind(display.plain(message) + (then if status == "saved" else ""))
    for name, data in list(state.conflicts.items()):
        _ask_about_conflict(settings, name, data)


def _ask_about_conflict(settings: IngestSettings, name: str, data: bytes) -> None:
    state = st.session_state
    st.warning(
        f"{display.plain(name)} is already in the folder. Replace it with the uploaded file?"
    )
    replace, copy, cancel = st.columns(3)
    choices = {
        "replace": replace.button("Replace", key=f"replace-{name}"),
        "copy": copy.button("Keep both", key=f"copy-{name}"),
        "cancel": cancel.button("Cancel", key=f"cancel-{name}"),
    }
    choice = next((c for c, pressed in choices.items() if pressed), "")
    if not choice:
        return
    del state.conflicts[name]
    state.upload_notes = [n for n in state.upload_notes if not n[1].startswith(f"{name}:")]
    settled = settle_conflict(settings.root, name, data, settings.max_bytes, choice)
    if settled is not None:
        state.upload_notes.append((settled.status.value, settled.message))
    st.rerun()


def add_by_address(folder: FolderSync, settings: IngestSettings) -> None:
    """Fetch an article by its address into the folder, then sync."""
    from ingest.fetch import add_url
    from vectorstore.errors import AssistantError

    with st.form("add-url", clear_on_submit=True, border=False):
        url = st.text_input("Or add a page by its address", placeholder="https://…")
        pressed = st.form_submit_button("Add", icon=":material/add_link:")
    if not (pressed and url.strip()):
        return
    try:
        with st.spinner("Fetching the page…"):
            path = add_url(url.strip(), settings.root, settings.fetch_timeout, settings.max_bytes)
    except AssistantError as exc:
        st.session_state.upload_notes.append(("error", display.explain(exc)))
        st.rerun()
    st.session_state.upload_notes.append(("saved", f"{path.name}: saved from {url.strip()}."))
    if not folder.watching:
        folder.sync()
    st.rerun()


def reingest(folder: FolderSync, primary: bool) -> None:
    """The Re-ingest button (a sync now, followed live above) and the last sync's report."""
    kind: Literal["primary", "secondary"] = "primary" if primary else "secondary"
    if st.button("Re-ingest", icon=":material/sync:", type=kind, width="stretch"):
        folder.start()  # in the background: the sidebar follows it live and can stop it
        st.session_state.upload_notes = []
        st.rerun(scope="app")
    if not folder.syncing:  # while one runs, its progress line stands in for the last report
        _show_report(folder)


def _show_report(folder: Any) -> None:
    if folder.error:
        st.error(f"Ingest failed: {folder.error}")
    elif folder.report is not None:
        report = folder.report
        (st.success if report.ok else st.warning)(report.summary(), icon=":material/inventory_2:")
        with st.expander("Ingest report", expanded=not report.ok):
            st.text("\n".join(report.lines()))
