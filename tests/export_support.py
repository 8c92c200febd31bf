"""Shared by the export tests (test_export*.py): citations and answers as stored, and a reading
of the exported Markdown that finds the footnotes and structure it really makes."""

from __future__ import annotations

import re
from typing import Any

from markdown_it import MarkdownIt

STRUCTURE = {"link_open", "image", "html_inline", "html_block", "blockquote_open", "fence"}
STRUCTURE |= {"code_block", "code_inline", "heading_open"}


def _citation(n: int, text: str = "", **fields: Any) -> dict[str, Any]:
    citation = {
        "n": n,
        "source": "harbour.txt",
        "title": "Harbour plans",
        "start": 0,
        "end": 10,
        "text": text or f"Sentence {n}.",
        "page": None,
        "date": "2021-10-18",
        "outlet": "Daily News",
        "url": "",
    }
    return citation | fields


def _answer(text: str, *citations: dict[str, Any], found: bool = True) -> dict[str, Any]:
    return {"answer": text, "found": found, "citations": list(citations)}


def _parse(markdown: str) -> tuple[set[str], str, str]:
    """The token types of the document, its text with every backslash escape as NUL (so only
    unescaped brackets can be read as footnote syntax), and its text as a reader sees it.

    markdown-it-py has no footnote plugin here: `[^1]` stays text, which is what lets the test
    find the references and definitions the document really makes."""
    md = MarkdownIt("commonmark").disable("text_join")
    kinds: set[str] = set()
    structural: list[str] = []
    shown: list[str] = []
    for token in md.parse(markdown):
        kinds.add(token.type)
        for child in token.children or []:
            kinds.add(child.type)
            if child.type in {"text", "text_special"}:
                escaped = child.type == "text_special" and child.info == "escape"
                structural.append("\0" if escaped else child.content)
                shown.append(child.content)
            elif child.type == "softbreak":
                structural.append("\n")
                shown.append("\n")
        if token.type == "inline":
            structural.append("\n")
            shown.append("\n")
    return kinds, "".join(structural), "".join(shown)


def _footnotes(markdown: str) -> tuple[list[str], list[str]]:
    """The footnote references and definitions the document makes, by label."""
    _, structural, _ = _parse(markdown)
    definitions = re.findall(r"(?m)^\[\^(\d+)\]:", structural)
    references = re.findall(r"\[\^(\d+)\](?!:)", structural)
    return references, definitions


def _definition(markdown: str, label: int) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"[^{label}]: "))


HOSTILE = [
    "[x](http://evil)",
    "![img](http://evil/p.png)",
    "[^9]: fake",
    "<http://evil> <img src=http://evil/p.png>",
    "`code` \\[x\\](http://evil) [ref][x]\n\n[x]: http://evil",
    "# heading\n> quote\n~~~\n    indented [^9]",
]


def _one_line(text: str) -> str:
    return " ".join(text.split())
