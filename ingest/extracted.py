"""What reading a file gives: the text every span points into, where its pages start, and what
the file says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extracted:
    """`text` is what the viewer shows and spans index. `pages[i]` is the offset where page i + 1
    starts (empty for a file without pages). `meta` holds what the file itself declares, under
    the keys title, date, outlet, byline, url and created (a file's creation date, weaker than a
    publication date), each only when set."""

    text: str
    pages: tuple[int, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
