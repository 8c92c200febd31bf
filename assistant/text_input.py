"""Text from outside the program (argv, stdin, JSON) made valid before it is used or written.

Argument bytes that are not UTF-8 reach Python as lone surrogates (U+DC80..U+DCFF), and a JSON
`\\ud800` escape decodes to one. No UTF-8 encoder accepts them: the tokenizer raises and so does
a UTF-8 stdout. `clean` turns every lone surrogate into U+FFFD and drops the control characters
that have no place in a question (NUL among them; tab and line breaks stay); `encodable`, for
output, only replaces the surrogates.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import BinaryIO, TextIO

from vectorstore.errors import AssistantError

REPLACEMENT = "\ufffd"
_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UndecodableArgumentError(AssistantError):
    """A path given on the command line is not valid UTF-8."""


def clean(text: str) -> str:
    """`text` with lone surrogates as U+FFFD and control characters other than whitespace gone."""
    return _CONTROLS.sub("", encodable(text))


def encodable(text: str) -> str:
    """`text` with lone surrogates as U+FFFD: what is written out, where every other character
    stays as it is (a passage's text is still the document's text at its span)."""
    return _SURROGATES.sub(REPLACEMENT, text)


def utf8_text(binary: BinaryIO) -> TextIO:
    """A text view of a byte stream where bytes that are not UTF-8 read as U+FFFD, never raise."""
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace")


def checked_path(path: Path) -> Path:
    """`path` itself if it is valid UTF-8: names are kept and shown as UTF-8 text."""
    if _SURROGATES.search(str(path)):
        raise UndecodableArgumentError(
            f"the path {clean(str(path))!r} is not valid UTF-8; give one whose name is UTF-8"
        )
    return path


def write_line(stream: TextIO, text: str) -> None:
    """`text` and a line break, with what a UTF-8 stream cannot carry (lone surrogates) replaced."""
    stream.write(encodable(text) + "\n")
