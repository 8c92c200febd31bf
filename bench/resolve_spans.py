"""Fill in the character offsets of gold spans from their quoted text, in place.

A gold span is written on one line as `{source: FILE, text: "quoted words"}`; this adds
`start` and `end` (offsets into the file under the documents folder) so that
`file_text[start:end] == text`. Run it again after editing quotes; it re-checks existing offsets.

    python -m bench.resolve_spans bench/questions.yaml [--root seeds]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

_SPAN = re.compile(r"\{source: [^,{}]+,(?: start: \d+, end: \d+,)? text: .*\}\s*$")


def resolve_line(line: str, root: Path) -> str:
    """The line with its span's offsets filled in (unchanged if it holds no span)."""
    match = _SPAN.search(line)
    if not match:
        return line
    span = yaml.safe_load(match.group(0))
    text = (root / span["source"]).read_text(encoding="utf-8")
    quote = span["text"]
    start = text.find(quote)
    if start < 0:
        raise SystemExit(f"not found in {span['source']}: {quote[:80]!r}")
    if text.find(quote, start + 1) >= 0:
        print(
            f"warning: quoted twice in {span['source']}, first kept: {quote[:60]!r}",
            file=sys.stderr,
        )
    quoted = yaml.safe_dump(quote, allow_unicode=True, default_style='"', width=10**6).strip()
    new = f"{{source: {span['source']}, start: {start}, end: {start + len(quote)}, text: {quoted}}}"
    return line[: match.start()] + new + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--root", type=Path, default=Path(__file__).resolve().parent.parent / "seeds"
    )
    args = parser.parse_args()
    lines = args.file.read_text(encoding="utf-8").splitlines(keepends=True)
    args.file.write_text("".join(resolve_line(line, args.root) for line in lines), encoding="utf-8")


if __name__ == "__main__":
    main()
