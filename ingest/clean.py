"""Keep the article, drop the page furniture, and never lose the offsets into the original text.

Cleaning works on paragraphs: each paragraph is a `(start, end)` span of the original text, and a
boilerplate paragraph is simply not kept. Nothing is rewritten, so every kept character is still
at its original offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# Whole paragraphs that are page furniture, not article text.
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(source|share|print|email|related articles?|advertisement|back to top( button)?)\W*$",
        r"^\(?source:\s*[^()]{1,60}\)?$",
        r"^leave a (reply|comment)\b",
        r"your email address will not be published",
        r"\bad-?block(er|ing)?\b",
        r"\b(ad|adblock(ing)?) (blocking )?whitelist\b",
        r"^sign up (for|to)\b",
        r"\bnewsletter\b.{0,80}\b(sign up|subscribe|inbox)\b",
        r"\bdelivered to your inbox\b",
        r"^subscribe\b",
        r"^(photo|image|picture)( credit)?s?\s*:",
        r"^(all content by|copyright|©)\b.{0,200}\b(licen[cs]ed|rights reserved)\b",
        r"^related:\s",
        r"^listen to (part \w+ of )?the (above )?(interview|story|episode)",
        r"^this (interview|article) has been edited\b",
        r"^(click|tap) here\b",
        r"\bcookies?\b.{0,60}\b(accept|consent|policy)\b",
    )
]
# A metadata label opening a paragraph ("date 2021-10 Han er…"): read for the document's date,
# but not part of its first sentence, whose embedding and citation it would blur.
_LEADING_LABEL = re.compile(
    r"(?:date|dato|published|updated|posted)\s*:?\s+(?:19|20)\d\d-\d\d(?:-\d\d)?\s+(?=\S)",
    re.IGNORECASE,
)
# A photo credit in brackets at the end of a caption: "[Name/Reuters]".
_CREDIT = re.compile(r"\[[^\]]{2,60}/(Reuters|AP|AFP|Getty( Images)?|EPA|Anadolu)[^\]]*\]\s*$")


@dataclass(frozen=True)
class CleanedText:
    """The paragraphs of a document worth keeping, as spans of its original text."""

    paragraphs: tuple[Span, ...]
    dropped: tuple[Span, ...]


def paragraphs(text: str) -> list[Span]:
    """Spans of the non-blank paragraphs, trimmed of surrounding white space."""
    spans: list[Span] = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e))[1] > trimmed[0]]


def is_boilerplate(paragraph: str) -> bool:
    """Whether a paragraph is page furniture (ads, reply boxes, sign-ups, credits)."""
    stripped = paragraph.strip()
    if len(stripped) > 600:
        return False  # long paragraphs are article text even when they mention a newsletter
    if _CREDIT.search(stripped):
        return True
    return any(pattern.search(stripped) for pattern in _BOILERPLATE)


def clean(text: str) -> CleanedText:
    """Split into paragraphs and drop the boilerplate ones, keeping original offsets."""
    kept: list[Span] = []
    dropped: list[Span] = []
    for start, end in paragraphs(text):
        label = _LEADING_LABEL.match(text, start, end)
        if label is not None:
            dropped.append((start, label.end()))
            start = label.end()
        (dropped if is_boilerplate(text[start:end]) else kept).append((start, end))
    return CleanedText(paragraphs=tuple(kept), dropped=tuple(dropped))


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
