"""Property tests on what reaches the program from outside: the JSON lines `assistant ask --jsonl`
reads, the spans and answers the source viewer cuts, and the source names it is asked to open."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import cli
from assistant.text_input import REPLACEMENT, clean, encodable, utf8_text
from assistant.types import Answer, Citation, Passage, Timings
from ingest.viewer import SourceUnavailableError, highlight, marker_parts, open_source
from vectorstore.errors import AssistantError
from vectorstore.schema import DocumentRecord

pytestmark = pytest.mark.unit

FUZZ = settings(max_examples=1000, deadline=None, database=None)

any_text = st.text(st.one_of(st.characters(), st.characters(categories=["Cs", "Cc"])))
"""Any code points: lone surrogates (as non-UTF-8 argv bytes arrive) and control characters too."""

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
history_entries = st.one_of(
    st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]), "content": any_text}),
    st.dictionaries(st.sampled_from(["role", "content", "x"]), json_values, max_size=3),
    json_values,
)
requests = st.fixed_dictionaries(
    {},
    optional={
        "question": st.one_of(any_text, json_values),
        "history": st.one_of(st.lists(history_entries, max_size=3), json_values),
    },
)
odd_lines = st.one_of(
    st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(1, 6000).map(lambda digits: '{"question": ' + "9" * digits + "}"),
    st.sampled_from(['{"question": 1e999}', '{"question": NaN}', "\x00", '{"question": "\x00"}']),
)


def as_json(value: Any, ascii_only: bool) -> str:
    """`value` on one line, its non-ASCII text raw or as \\u escapes (lone surrogates included)."""
    return json.dumps(value, ensure_ascii=ascii_only).replace("\n", "\\n")


def as_bytes(line: str) -> bytes:
    """`line` in UTF-8, where a lone surrogate becomes three bytes that are not valid UTF-8."""
    return line.encode("utf-8", "surrogatepass")


json_lines = st.one_of(
    st.builds(as_json, st.one_of(requests, json_values), st.booleans()), odd_lines, any_text
)


class FuzzAssistant:
    """Echoes each question (with a lone surrogate in its answer) or raises the next of
    `failures`; keeps every text it was given, to check that all of it was valid UTF-8."""

    def __init__(self, failures: list[BaseException | None]) -> None:
        self.failures = failures or [None]
        self.calls = 0
        self.texts: list[str] = []

    def ask(
        self, question: str, history: list[dict[str, str]] | None = None, dates: object = None
    ) -> Answer:
        failure = self.failures[self.calls % len(self.failures)]
        self.calls += 1
        self.texts += [question, *(text for m in history or [] for text in m.values())]
        if failure is not None:
            raise failure
        passage = Passage("a\udcff.txt", "A", 0, 5, "Hello \ud800", 0.5)
        return Answer(
            question=question,
            text=f"Echo: {question} \udcff [1]",
            found=True,
            standalone_question=question,
            citations=(Citation(1, "a.txt", "A", 0, 5, "Hello"),),
            passages=(passage,),
            timings=Timings(1.0, 2.0, 3.0),
        )


failures = st.lists(
    st.one_of(
        st.none(),
        st.builds(
            lambda kind, message: kind(message),
            st.sampled_from(
                [ValueError, TypeError, RuntimeError, KeyError, OSError, AssistantError]
            ),
            any_text,
        ),
        st.just(RecursionError("maximum recursion depth exceeded")),
    ),
    max_size=4,
)


def run_jsonl(assistant: FuzzAssistant, stdin: TextIO) -> list[str]:
    """What `_ask_jsonl` writes, read back from a stream as strict about UTF-8 as stdout."""
    written = io.BytesIO()
    stdout = io.TextIOWrapper(written, encoding="utf-8", errors="strict")
    assert cli._ask_jsonl(assistant, stdin, stdout) == 0
    stdout.flush()
    return written.getvalue().decode("utf-8").split("\n")[:-1]


def strict_json(constant: str) -> Any:
    """Refuses NaN and Infinity, which `json.loads` takes but JSON does not have."""
    raise AssertionError(f"{constant} is not JSON")


def check_one_object_per_line(output: list[str], expected: int, assistant: FuzzAssistant) -> None:
    """One JSON object per line: an answer, or an error with the question; all the text the
    assistant was given was valid UTF-8."""
    assert len(output) == expected
    for line in output:
        result = json.loads(line, parse_constant=strict_json)
        assert isinstance(result, dict)
        assert "answer" in result or set(result) == {"error", "question"}
    for text in assistant.texts:
        text.encode("utf-8")


@FUZZ
@given(lines=st.lists(json_lines, max_size=6), failures=failures)
def test_jsonl_answers_every_json_line_with_one_object(
    lines: list[str], failures: list[BaseException | None]
) -> None:
    text = "\n".join(lines) + "\n"
    assistant = FuzzAssistant(failures)
    output = run_jsonl(assistant, io.StringIO(text))
    check_one_object_per_line(output, sum(1 for s in text.split("\n") if s.strip()), assistant)


@FUZZ
@given(
    lines=st.lists(st.binary(max_size=60) | json_lines.map(as_bytes), max_size=6), failures=failures
)
def test_jsonl_answers_every_line_of_stdin_bytes_with_one_object(
    lines: list[bytes], failures: list[BaseException | None]
) -> None:
    data = b"\n".join(lines)
    assistant = FuzzAssistant(failures)
    output = run_jsonl(assistant, utf8_text(io.BytesIO(data)))
    decoded = data.decode("utf-8", "replace")
    expected = sum(1 for s in re.split(r"\r\n|\r|\n", decoded) if s.strip())
    check_one_object_per_line(output, expected, assistant)


@FUZZ
@given(text=any_text)
def test_clean_and_encodable_give_utf8_text_and_keep_what_was_valid(text: str) -> None:
    def kind(c: str) -> str:
        return "" if c in "\t\n\r" else unicodedata.category(c)

    written = encodable(text)
    assert written == "".join(REPLACEMENT if kind(c) == "Cs" else c for c in text)
    assert clean(text) == "".join(c for c in written if kind(c) != "Cc")
    written.encode("utf-8")


@FUZZ
@given(text=any_text, start=st.integers(), end=st.integers())
def test_highlight_cuts_exactly_or_refuses(text: str, start: int, end: int) -> None:
    if not 0 <= start <= end <= len(text):
        with pytest.raises(SourceUnavailableError):
            highlight(text, start, end)
        return
    cut = highlight(text, start, end)
    assert cut.before + cut.cited + cut.after == text
    assert cut.cited == text[start:end] and len(cut.before) == start


_MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
digits = st.one_of(
    st.integers(0, 30).map(str),
    st.text(st.characters(categories=["Nd"]), min_size=1, max_size=3),
    st.integers(1, 6000).map(lambda n: "1" * n),
)
markers = st.builds(
    lambda numbers, separator: "[" + separator.join(numbers) + "]",
    st.lists(digits, min_size=1, max_size=3),
    st.sampled_from([",", ";", ", ", " ; ", ",\n"]),
)
answers = st.lists(st.one_of(any_text, markers, st.sampled_from(["[", "]", "[x]", "[1,]"]))).map(
    "".join
)


def known(group: str, numbers: set[int]) -> bool:
    """Whether every number of a marker is a citation (a number too long to read never is)."""
    try:
        return all(int(n) in numbers for n in re.split(r"\s*[,;]\s*", group))
    except ValueError:
        return False


@FUZZ
@given(text=answers, numbers=st.sets(st.integers(-2, 30) | st.integers()))
def test_marker_parts_tile_the_answer_and_link_only_known_numbers(
    text: str, numbers: set[int]
) -> None:
    parts = marker_parts(text, numbers)
    position, i = 0, 0
    while i < len(parts):
        if "text" in parts[i]:
            piece = parts[i]["text"]
            assert set(parts[i]) == {"text"} and isinstance(piece, str) and piece
            assert text.startswith(piece, position) and not any(
                known(m.group(1), numbers) for m in _MARKER.finditer(piece)
            )
            assert i == 0 or "n" in parts[i - 1]
            position, i = position + len(piece), i + 1
            continue
        match = _MARKER.match(text, position)
        assert match and known(match.group(1), numbers)
        cited = [int(n) for n in re.split(r"\s*[,;]\s*", match.group(1))]
        assert parts[i : i + len(cited)] == [{"n": n} for n in cited]
        position, i = match.end(), i + len(cited)
    assert position == len(text)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A documents folder with a file, a folder, links out of it and a loop of links; a secret
    file sits next to it."""
    base = tmp_path_factory.mktemp("fuzz_viewer")
    root = base / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("An article.\n")
    (root / "sub" / "b.txt").write_text("Another article.\n")
    (base / "secret.txt").write_text("SECRET\n")
    os.symlink(base / "secret.txt", root / "link.txt")
    os.symlink(base, root / "up")
    os.symlink(root / "loop", root / "loop")
    yield root


def _record(source: str) -> DocumentRecord:
    return DocumentRecord(
        source=source,
        doc_hash=hashlib.sha256(b"").hexdigest(),
        title="T",
        date="",
        language="en",
        chunks=1,
        chars=1,
        encoding="utf-8",
        ingested_at=0.0,
    )


names = st.sampled_from(["..", ".", "", "a.txt", "sub", "b.txt", "link.txt", "loop", "up", "docs"])
parts_of_paths = st.one_of(
    names,
    st.sampled_from(["secret.txt", "/", "~", "\x00", "\n", "%2e%2e", "\udcff", "\ud800"]),
    any_text,
)
sources = st.one_of(
    st.lists(names, min_size=1, max_size=4).map("/".join),
    st.lists(parts_of_paths, min_size=1, max_size=5).map("/".join),
    st.lists(parts_of_paths, min_size=1, max_size=5).map(lambda p: "/" + "/".join(p)),
    any_text,
)


@FUZZ
@given(source=sources, listed=st.booleans(), anchor=st.sampled_from(["", "docs", "base"]))
def test_open_source_never_reads_outside_the_folder(
    library: Path, source: str, listed: bool, anchor: str
) -> None:
    if anchor:  # an absolute path into the folder or next to it
        source = f"{library if anchor == 'docs' else library.parent}/{source}"
    documents = {source: _record(source)} if listed else {}
    try:
        shown = open_source(library, documents, source, 1_000_000)
    except AssistantError:
        return
    assert (library / source).resolve().is_relative_to(library.resolve())
    assert "SECRET" not in shown.text
