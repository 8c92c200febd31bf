"""The chat front end: ask the collection, watch the answer stream, click a [n] to read its source.

Layout only: answers come from `assistant`, ingest and uploads from `ingest`. Run it with
`make run` (127.0.0.1 unless ADDRESS says otherwise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import streamlit as st

from assistant import Answer, Assistant, Citation, display
from assistant.settings import AssistantSettings
from ingest import IngestSettings, ingest
from ingest.load import discover
from ingest.upload import UploadStatus, save_upload, settle_conflict
from ingest.viewer import highlight, marker_parts, open_source
from vectorstore.errors import AssistantError, EmptyIndexError
from vectorstore.schema import DocumentRecord

UI = Path(__file__).resolve().parent / ".streamlit" / "components"


def _component(name: str, html: str) -> Any:
    """A custom component from its markup and the .css and .js files named after it."""
    css, js = ((UI / f"{name}.{kind}").read_text() for kind in ("css", "js"))
    return st.components.v2.component(name, html=html, css=css, js=js)


answer_view = _component("answer_view", '<div class="answer"></div>')
source_view = _component(
    "source_view", '<h3 class="title"></h3><p class="meta"></p><div class="text"></div>'
)


# -- models and settings ------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def load_assistant(settings: AssistantSettings) -> Assistant:
    """One assistant per settings for the whole server; models load on first use."""
    return Assistant(settings)


@st.cache_resource(show_spinner=False)
def warm_up(settings: AssistantSettings) -> bool:
    """Load both models once, so the first question is not the one that waits."""
    assistant = load_assistant(settings)
    if hasattr(assistant.llm, "load"):
        assistant.llm.load()
    assistant.searcher.embedder.embed_query("warm up")
    return True


def documents(assistant: Assistant) -> dict[str, DocumentRecord]:
    try:
        return assistant.searcher.documents()
    except EmptyIndexError:
        return {}


# -- the source viewer --------------------------------------------------------------------------
@st.dialog("Source", width="large")
def show_source(citation: Citation, assistant: Assistant, settings: IngestSettings) -> None:
    """The whole article, the cited span highlighted and scrolled into view."""
    try:
        docs = documents(assistant)
        shown = open_source(settings.root, docs, citation.source, settings.max_bytes)
        cut = highlight(shown.text, citation.start, citation.end)
    except AssistantError as exc:
        st.error(display.explain(exc))
        return
    if shown.stale:
        st.warning(
            "This file changed after the last ingest, so the highlight may be off: press Re-ingest."
        )
    data = dict(title=shown.title, date=shown.date, source=shown.source, n=citation.n)
    data |= dict(
        start=citation.start, end=citation.end, before=cut.before, cited=cut.cited, after=cut.after
    )
    source_view(data=data, key="source-view")


# -- answers ------------------------------------------------------------------------------------
def show_answer(index: int, answer: Answer, assistant: Assistant, settings: IngestSettings) -> None:
    """A found answer with clickable markers and its sources, or a refusal that looks like one."""
    if not answer.found:
        st.info(answer.text, icon=":material/search_off:")
        st.caption("Nothing in the collection supports an answer, so none is given.")
        show_how_made(answer)
        return
    by_number = {c.n: c for c in answer.citations}
    titles = {str(c.n): f"{c.title} · {c.source}" for c in answer.citations}
    parts = marker_parts(answer.text, set(by_number))
    clicked = answer_view(
        key=f"answer-{index}", data={"parts": parts, "titles": titles}, on_cite_change=lambda: None
    ).cite
    st.markdown("**Sources**")
    for citation in answer.citations:
        label = display.plain(f"[{citation.n}] {citation.title} · {citation.source}")
        if st.button(label, key=f"source-{index}-{citation.n}", type="tertiary"):
            clicked = citation.n
    show_how_made(answer)
    if clicked in by_number:
        show_source(by_number[clicked], assistant, settings)


def show_how_made(answer: Answer) -> None:
    """The standalone question, passages and scores, prompt size, timings, citation checks."""
    with st.expander("How this answer was made", icon=":material/manufacturing:"):
        st.markdown("**Standalone question**")
        st.text(answer.standalone_question)
        st.markdown(display.timings_line(answer))
        for heading, rows in display.how_made_tables(answer):
            st.markdown(f"**{heading}**")
            if rows:
                st.table(rows)
            else:
                st.text("none")
        if answer.draft:
            st.markdown("**The model's draft**")
            st.text(answer.draft)


def ask(assistant: Assistant, question: str) -> None:
    """Stream the answer to `question` into the chat, then keep it in the session's history."""
    messages: list[dict[str, Any]] = st.session_state.messages
    history = [{"role": m["role"], "content": m["content"]} for m in messages if m.get("content")]
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        placeholder = st.empty()
        placeholder.caption("Searching the collection…")
        try:
            stream = assistant.stream(question, history)
            text = ""
            for delta in stream:
                text += delta
                placeholder.markdown(display.plain(text) + " ▌")
            answer = stream.answer
        except Exception as exc:
            messages.append({"role": "assistant", "content": "", "error": display.explain(exc)})
        else:
            assert answer is not None
            messages.append({"role": "assistant", "content": answer.text, "answer": answer})
    st.rerun()


# -- sidebar ------------------------------------------------------------------------------------
def sidebar(
    assistant: Assistant, settings: IngestSettings, docs: dict[str, DocumentRecord]
) -> None:
    """The collection at a glance, adding articles, re-ingest, then the list of documents."""
    st.header("Collection")
    st.caption(display.collection_line(docs))
    llm = assistant.settings.llm_url or assistant.settings.llm_model
    st.caption(f"Embedding model: `{settings.store.embedding_model}`  \nLLM: `{llm}`")
    files, _ = discover(settings.root)
    waiting = [f.source for f in files if f.source not in docs]
    if waiting:
        st.info(
            f"Not indexed yet: {display.plain(', '.join(waiting))}. Press Re-ingest.",
            icon=":material/pending:",
        )
    uploads(settings)
    reingest(assistant, settings, primary=bool(waiting) or not docs)
    with st.expander(f"Documents ({len(docs)})", expanded=True):
        for doc in sorted(docs.values(), key=lambda d: d.title.lower()):
            st.markdown(display.document_line(doc))
        if not docs:
            st.caption("No documents indexed yet.")


def uploads(settings: IngestSettings) -> None:
    """Save uploads into the documents folder; ask before replacing a file of the same name."""
    st.subheader("Add articles")
    state = st.session_state
    files = st.file_uploader(
        f"Text, Markdown or HTML, up to {settings.max_file_mb} MB each",
        type=["txt", "md", "html"],
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
    for status, message in state.upload_notes:
        kind = {"saved": st.success, "unchanged": st.info}.get(status, st.error)
        kind(
            display.plain(message)
            + (". Press Re-ingest to make it searchable." if status == "saved" else "")
        )
    for name, data in list(state.conflicts.items()):
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
            continue
        del state.conflicts[name]
        state.upload_notes = [n for n in state.upload_notes if not n[1].startswith(f"{name}:")]
        settled = settle_conflict(settings.root, name, data, settings.max_bytes, choice)
        if settled is not None:
            state.upload_notes.append((settled.status.value, settled.message))
        st.rerun()


def reingest(assistant: Assistant, settings: IngestSettings, primary: bool) -> None:
    """Sync the documents folder into the index, with a progress bar and the report."""
    st.subheader("Index")
    state = st.session_state
    kind: Literal["primary", "secondary"] = "primary" if primary else "secondary"
    if st.button("Re-ingest", icon=":material/sync:", type=kind, width="stretch"):
        bar = st.progress(0.0, text="Reading the documents folder…")

        def progress(done: int, total: int, label: str) -> None:
            bar.progress(done / total if total else 1.0, text=f"{label}: {done}/{total} texts")

        try:
            state.report = ingest(settings, progress=progress, embedder=assistant.searcher.embedder)
            state.report_error = ""
            assistant.searcher.refresh()
        except Exception as exc:
            state.report, state.report_error = None, display.explain(exc)
        state.upload_notes = []
        st.rerun()
    if state.report_error:
        st.error(f"Ingest failed: {state.report_error}")
    elif state.report is not None:
        report = state.report
        (st.success if report.ok else st.warning)(report.summary(), icon=":material/inventory_2:")
        with st.expander("Ingest report", expanded=not report.ok):
            st.text("\n".join(report.lines()))


# -- the page -----------------------------------------------------------------------------------
def main() -> None:
    # the icon is served by the app itself: a Material icon name would be fetched from Google
    st.set_page_config(page_title="Ask the articles", page_icon=str(UI / "favicon.svg"))
    st.title("Ask the articles")
    st.caption("Answers come only from the collection, each sentence with the source it rests on.")
    state = st.session_state
    for key, value in dict(
        messages=[], upload_notes=[], conflicts={}, uploader_round=0, report=None, report_error=""
    ).items():
        state.setdefault(key, value)
    settings = AssistantSettings()
    ingest_settings = IngestSettings(store=settings.store)
    assistant = load_assistant(settings)
    try:
        docs, problem = documents(assistant), None
    except Exception as exc:
        docs, problem = {}, exc
    with st.sidebar:
        sidebar(assistant, ingest_settings, docs)

    for index, message in enumerate(state.messages):
        with st.chat_message(message["role"]):
            if message.get("answer") is not None:
                show_answer(index, message["answer"], assistant, ingest_settings)
            elif message.get("error"):
                st.error(message["error"], icon=":material/error:")
            else:
                st.text(message["content"])

    ready = bool(docs)
    question = st.chat_input(
        "Ask about the articles…" if ready else "Add articles and press Re-ingest first",
        disabled=not ready,
        max_chars=settings.max_question_chars,
    )
    if not ready:
        st.info(display.explain(problem or EmptyIndexError()), icon=":material/inbox:")
        return
    try:
        with st.spinner("Loading the models (only the first time)…"):
            warm_up(settings)
    except Exception as exc:
        st.error(display.explain(exc), icon=":material/error:")
        return
    if question:
        ask(assistant, question)


main()
