"""The timeline of a topic in the app: the dated events the collection reports, oldest first,
each with the articles that tell it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from assistant import display
from assistant.timeline import timeline


@st.dialog("Timeline of this topic", width="large")
def show_timeline(assistant: Any, topic: str) -> None:
    st.caption(f"Dated events the collection reports on: {display.plain(topic)}")
    with st.spinner("Reading the articles for dates…"):
        events = timeline(assistant, topic)
    if not events:
        st.info("The articles found for this topic name no dates.", icon=":material/event_busy:")
        return
    for event in events:
        sources = "; ".join(c.where() for c in event.citations)
        st.markdown(
            f"**{display.plain(event.date)}** · {display.plain(' '.join(event.text.split()))}  \n"
            f":small[{display.plain(sources)}]"
        )
