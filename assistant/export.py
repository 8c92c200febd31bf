"""Export: an answer or a whole chat as a Markdown document with footnotes.

Each citation marker `[n]` of an answer becomes a footnote reference `[^k]`, and the footnote
quotes the cited sentence and says where it is: `[^k]: “sentence” — Title, Outlet, date, file,
p. 4`. Numbers run across a chat, so each footnote of the document is unique.

Text from documents, the model and the user is written so that it reads the same in a Markdown
viewer and cannot add structure of its own (see `escape`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from assistant.types import Answer

# The marker grammar of ingest.viewer.marker_parts (not imported: assistant does not depend on
# ingest). tests/unit/test_export.py checks that both read markers alike.
_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_INLINE = re.compile(r"[\\\[\]<`]")
_LEADING = re.compile(r"^[#>~]")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}


def escape(text: str, line_start: bool = True) -> str:
    """`text` as Markdown that shows it as written and adds no link, image, footnote or HTML.

    Escaped: backslash (so an escape in the text cannot cancel ours), `[` and `]` (every link,
    image, reference definition and footnote needs them), `<` (autolinks and raw HTML) and the
    backtick (a code span would show our escapes as backslashes). At the start of a line (when
    `line_start`, and after every newline) `#`, `>` and `~` too: headings, quotes and code fences.
    Emphasis and bare URLs are left alone: they cannot hide where a link goes, and escaping all
    punctuation would make the exported file hard to read as plain text.
    """
    lines = _INLINE.sub(r"\\\g<0>", text).split("\n")
    return "\n".join(
        _LEADING.sub(r"\\\g<0>", line) if i or line_start else line for i, line in enumerate(lines)
    )


def answer_markdown(answer: Mapping[str, Any], first: int = 1) -> tuple[str, int]:
    """The answer (its JSON dict, `Answer.to_dict()`) as Markdown with its footnotes at the end,
    numbered from `first`; and the next free footnote number.

    A marker whose number has no citation stays as text; a not-found answer is its text alone.
    """
    body, notes, following = _answer_parts(answer, first)
    return "\n\n".join(part for part in (body, "\n".join(notes)) if part) + "\n", following


def chat_markdown(title: str, messages: Sequence[Mapping[str, Any]]) -> str:
    """A chat as one document: `# title`, each question as `**You:** …`, each answer (its dict,
    or an `Answer`) as `**Assistant:** …`, an error in italics; all footnotes at the end.

    Messages are dicts with `role`, `content`, and optionally `answer` and `error`.
    """
    # Every `#` escaped: a closing `#` sequence would be dropped from the heading.
    heading = escape(_one_line(title), line_start=False).replace("#", "\\#") or "Chat"
    blocks = [f"# {heading}"]
    notes: list[str] = []
    following = 1
    for message in messages:
        if message.get("error"):
            blocks.append(f"_{_error_line(str(message['error']))}_")
        elif message.get("role") == "user":
            blocks.append(f"**You:** {escape(_one_line(str(message.get('content') or '')))}")
        elif message.get("answer") is not None:
            body, new, following = _answer_parts(_as_dict(message["answer"]), following)
            blocks.append(f"**Assistant:** {body}")
            notes.extend(new)
        elif message.get("content"):
            blocks.append(f"**Assistant:** {escape(_trimmed(str(message['content'])))}")
    if notes:
        blocks.append("\n".join(notes))
    return "\n\n".join(blocks) + "\n"


def answer_filename(question: str) -> str:
    """A safe ASCII file name for an answer: the question as a slug, `answer.md` if none."""
    return _filename(question, "answer")


def chat_filename(title: str) -> str:
    """A safe ASCII file name for a chat: its title as a slug, `chat.md` if none."""
    return _filename(title, "chat")


def _answer_parts(answer: Mapping[str, Any], first: int) -> tuple[str, list[str], int]:
    """The answer's text with footnote references, its footnote lines, the next free number."""
    text = _trimmed(str(answer.get("answer") or ""))
    if not answer.get("found"):
        return escape(text), [], first
    citations: dict[int, Mapping[str, Any]] = {}
    for citation in answer.get("citations") or ():
        citations.setdefault(citation.get("n"), citation)
    labels: dict[int, int] = {}  # citation number → footnote number, in order of appearance

    def label(n: int) -> str:
        labels.setdefault(n, first + len(labels))
        return f"[^{labels[n]}]"

    pieces: list[str] = []
    position = 0
    for match in _MARKER.finditer(text):
        cited = _numbers(match.group(1))
        if cited is None or not all(n in citations for n in cited):
            continue
        pieces.append(_segment(text[position : match.start()], after_marker=position > 0))
        if pieces[-1].endswith("!"):  # `![^1]` would read as an image
            pieces[-1] = pieces[-1][:-1] + "\\!"
        pieces.append("".join(label(n) for n in dict.fromkeys(cited)))
        position = match.end()
    pieces.append(_segment(text[position:], after_marker=position > 0))
    # A citation the text never marks still gets its footnote (renderers drop unreferenced ones).
    pieces.extend(f" {label(n)}" for n in citations if n not in labels)
    notes = [_footnote(labels[n], citations[n]) for n in labels]
    return "".join(pieces).strip(), notes, first + len(labels)


def _segment(text: str, after_marker: bool) -> str:
    """Text between markers, escaped. After a marker a `:` is escaped too: `[^1]:` at the start
    of a line would define a footnote."""
    escaped = escape(text, line_start=not after_marker)
    return "\\" + escaped if after_marker and escaped.startswith(":") else escaped


def _footnote(k: int, citation: Mapping[str, Any]) -> str:
    """`[^k]: “sentence” — Title, Outlet, date, file, p. 4`, empty parts left out."""
    sentence = escape(_one_line(str(citation.get("text") or "")), line_start=False)
    where = [citation.get(key) for key in ("title", "outlet", "date", "source")]
    if citation.get("page") is not None:
        where.append(f"p. {citation['page']}")
    place = ", ".join(escape(_one_line(str(part)), line_start=False) for part in where if part)
    said = f"“{sentence}”" if sentence else ""
    return f"[^{k}]: " + " — ".join(part for part in (said, place) if part)


def _trimmed(text: str) -> str:
    """Each line without its indentation (four spaces would make a code block, where footnote
    references are not read) or trailing spaces."""
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _error_line(error: str) -> str:
    """The error as one escaped line. The app's errors are already Markdown (`display.explain`
    escapes every punctuation mark), so their escapes are undone before ours are added."""
    return escape(_one_line(_ESCAPED.sub(r"\1", error)))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _numbers(group: str) -> list[int] | None:
    """The numbers of a marker like `1, 2`; None when one is too long to be a citation."""
    digits = re.split(r"\s*[,;]\s*", group)
    return None if any(len(d) > 9 for d in digits) else [int(d) for d in digits]


def _as_dict(answer: Answer | Mapping[str, Any]) -> Mapping[str, Any]:
    return answer.to_dict() if isinstance(answer, Answer) else answer


def _filename(text: str, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 57:  # 60 with ".md"; cut at a word when one ends late enough
        cut = slug[:58]
        slug = cut[: cut.rfind("-")] if cut.rfind("-") > 30 else cut[:57]
        slug = slug.strip("-")
    if not slug or slug in _RESERVED:
        slug = fallback
    return f"{slug}.md"
