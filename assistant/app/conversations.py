"""Saved chats in the app: the list in the sidebar (new, open, rename, delete, export), and the
messages of the open chat, kept in the chat store so that they survive reloads and restarts."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import streamlit as st

from assistant import display
from assistant.chats import ChatStore
from assistant.export import chat_filename, chat_markdown
from assistant.types import Answer


@st.cache_resource(show_spinner=False)
def chat_store(path: Path) -> ChatStore:
    """One store per server (it is safe to share between sessions)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return ChatStore(path)


def open_chat(store: ChatStore) -> None:
    """Put the open chat's messages in the session (the newest chat on a first visit)."""
    state = st.session_state
    if "chat_id" not in state:
        newest = store.chats()
        state.chat_id = newest[0].id if newest else None
        state.loaded_chat = -1
    if state.loaded_chat != state.chat_id:
        state.messages = messages_of(store, state.chat_id)
        state.loaded_chat = state.chat_id


def messages_of(store: ChatStore, chat_id: int | None) -> list[dict[str, Any]]:
    """A saved chat as the page shows it: each answer restored with its citations."""
    if chat_id is None:
        return []
    shown = []
    for message in store.messages(chat_id):
        item: dict[str, Any] = {"role": message.role, "content": message.content}
        if message.answer:
            item["answer"] = Answer.from_record(message.answer)
        if message.error:
            item["error"] = message.error
        shown.append(item)
    return shown


def save_turn(store: ChatStore, question: str, reply: dict[str, Any]) -> None:
    """Keep a question and its reply (an answer or an error) in the open chat."""
    state = st.session_state
    if state.chat_id is None:
        state.chat_id = store.create().id
        state.loaded_chat = state.chat_id
    store.add_message(state.chat_id, "user", question)
    answer = reply.get("answer")
    store.add_message(
        state.chat_id,
        "assistant",
        reply.get("content", ""),
        answer=answer.record() if answer is not None else None,
        error=reply.get("error", ""),
    )


def chat_list(store: ChatStore) -> None:
    """New chat, the saved chats (the open one can be renamed, exported and deleted)."""
    state = st.session_state
    st.header("Chats")
    if st.button("New chat", icon=":material/add_comment:", width="stretch"):
        state.chat_id = None
        st.rerun()
    for chat in store.chats()[:30]:
        label = display.plain(chat.title or "Untitled chat")
        current = chat.id == state.chat_id
        kind: Literal["primary", "tertiary"] = "primary" if current else "tertiary"
        if st.button(label, key=f"chat-{chat.id}", type=kind, width="stretch"):
            state.chat_id = chat.id
            st.rerun()
    if state.chat_id is not None:
        _manage(store, state.chat_id)


def _manage(store: ChatStore, chat_id: int) -> None:
    chat = store.get(chat_id)
    if chat is None:
        return
    with st.expander("This chat", icon=":material/edit:"):
        title = st.text_input("Title", value=chat.title, key=f"title-{chat_id}")
        rename, delete = st.columns(2)
        if rename.button("Rename", key=f"rename-{chat_id}") and title.strip() != chat.title:
            store.rename(chat_id, title)
            st.rerun()
        if delete.button("Delete", key=f"delete-{chat_id}", icon=":material/delete:"):
            store.delete(chat_id)
            st.session_state.chat_id = None
            st.rerun()
    export = chat_markdown(chat.title or "Chat", st.session_state.messages)
    st.download_button(
        "Export chat (Markdown)",
        data=export,
        file_name=chat_filename(chat.title or "chat"),
        mime="text/markdown",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
