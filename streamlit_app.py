"""The chat front end: ask the collection, watch the answer stream, click a [n] to read its source.

Layout only: answers come from `assistant`, ingest and uploads from `ingest`. Run it with
`make run` (127.0.0.1 unless ADDRESS says otherwise).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from assistant import Answer, Assistant, Citation, display
from assistant.app.conversations import chat_list, chat_store, open_chat, save_turn
from assistant.app.folder import FolderSync
from assistant.app.sidebar import date_filter, sidebar
from assistant.app.timeline_view import show_timeline
from assistant.chats import ChatStore
from assistant.export import answer_filename, answer_markdown
from assistant.settings import AssistantSettings
from assistant.stored_citations import resolve_citation
from assistant.types import DateFilter
from ingest import IngestSettings
from ingest.viewer import SourceText, highlight, marker_parts, open_source
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


@st.cache_resource(show_spinner=False)
def folder_sync(_assistant: Assistant, settings: IngestSettings) -> FolderSync:
    """One sync of the documents folder per server; it follows the folder when settings say so."""
    folder = FolderSync(settings, _assistant)
    if settings.watch:
        folder.watch()
    return folder


def documents(assistant: Assistant) -> dict[str, DocumentRecord]:
    try:
        return assistant.searcher.documents()
    except EmptyIndexError:
        return {}


# -- the source viewer --------------------------------------------------------------------------
@st.dialog("Source", width="large")
def show_source(citation: Citation, assistant: Assistant, settings: IngestSettings) -> None:
    """The whole article, the cited sentence highlighted and scrolled into view: where it stands
    now, if the article changed since the answer; a note instead, if it is gone."""
    opened: list[SourceText] = []

    def text_of(source: str) -> str:
        opened.append(open_source(settings.root, docs, source, settings.max_bytes))
        return opened[-1].text

    try:
        docs = documents(assistant)
        found = resolve_citation(citation.to_dict(), docs, text_of)
        if not found.highlighted or not opened:
            st.warning(found.note, icon=":material/history:")
            return
        start, end = found.start or 0, found.end or 0
        cut = highlight(opened[-1].text, start, end)
    except AssistantError as exc:
        st.error(display.explain(exc))
        return
    shown = opened[-1]
    if found.note:
        st.info(found.note, icon=":material/history:")
    data = dict(title=shown.title, date=shown.date, source=shown.source, n=citation.n)
    data |= dict(outlet=shown.outlet, url=shown.url, pages=list(shown.pages))
    data |= dict(also=display.also_published(shown.source, docs, assistant.searcher.copies()))
    data |= dict(start=start, end=end, before=cut.before, cited=cut.cited, after=cut.after)
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
    titles = {str(c.n): c.where() for c in answer.citations}
    parts = marker_parts(answer.text, set(by_number))
    clicked = answer_view(
        key=f"answer-{index}", data={"parts": parts, "titles": titles}, on_cite_change=lambda: None
    ).cite
    st.markdown("**Sources**")
    for citation in answer.citations:
        label = display.plain(f"[{citation.n}] {citation.where()}")
        if st.button(label, key=f"source-{index}-{citation.n}", type="tertiary"):
            clicked = citation.n
    st.download_button(
        "Export answer (Markdown)",
        data=answer_markdown(answer.to_dict())[0],
        file_name=answer_filename(answer.question),
        mime="text/markdown",
        key=f"export-{index}",
        icon=":material/download:",
        type="tertiary",
        on_click="ignore",
    )
    if st.button("Timeline of this topic", key=f"timeline-{index}", icon=":material/timeline:",
                 type="tertiary"):  # fmt: skip
        show_timeline(assistant, answer.standalone_question)
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


def ask(assistant: Assistant, question: str, store: ChatStore, dates: DateFilter | None) -> None:
    """Stream the answer to `question` into the chat, then keep it in the session's history."""
    messages: list[dict[str, Any]] = st.session_state.messages
    history = [{"role": m["role"], "content": m["content"]} for m in messages if m.get("content")]
    messages.append({"role": "user", "content": question})
    with st.chat_message("user"):
        st.text(question)
    st.session_state.answering = True  # the sidebar must not redraw the page meanwhile
    try:
        with st.chat_message("assistant"):
            placeholder = st.empty()
            placeholder.caption("Searching the collection…")
            try:
                stream = assistant.stream(question, history, dates)
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
        save_turn(store, question, messages[-1])
    finally:
        st.session_state.answering = False
    st.rerun()


def keep_question() -> None:
    """Hold a sent question until a run reaches it: the run it arrives with may be cut short
    (the sidebar draws the whole page again after a sync), and the next run answers it."""
    st.session_state.pending = st.session_state.question


# -- the page -----------------------------------------------------------------------------------
def main() -> None:
    # the icon is served by the app itself: a Material icon name would be fetched from Google
    st.set_page_config(page_title="Ask the articles", page_icon=str(UI / "favicon.svg"))
    st.title("Ask the articles")
    st.caption("Answers come only from the collection, each sentence with the source it rests on.")
    state = st.session_state
    for key, value in dict(messages=[], upload_notes=[], conflicts={}, uploader_round=0).items():
        state.setdefault(key, value)
    settings = AssistantSettings()
    ingest_settings = IngestSettings(store=settings.store)
    store = chat_store(settings.chats_file)
    open_chat(store)
    assistant = load_assistant(settings)
    try:
        docs, problem = documents(assistant), None
    except Exception as exc:
        docs, problem = {}, exc
    with st.sidebar:
        chat_list(store)
        dates = date_filter(docs)
        sidebar(folder_sync(assistant, ingest_settings), ingest_settings, docs)

    for index, message in enumerate(state.messages):
        with st.chat_message(message["role"]):
            if message.get("answer") is not None:
                show_answer(index, message["answer"], assistant, ingest_settings)
            elif message.get("error"):
                st.error(message["error"], icon=":material/error:")
            else:
                st.text(message["content"])

    ready = bool(docs)
    st.chat_input(
        "Ask about the articles…" if ready else "Add articles and press Re-ingest first",
        disabled=not ready,
        max_chars=settings.max_question_chars,
        key="question",
        on_submit=keep_question,
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
    if state.get("pending"):
        ask(assistant, state.pop("pending"), store, dates)


main()
