"""Time on the command line: `assistant timeline "TOPIC"` (the dated events the collection
reports on a topic, oldest first, each with its citation; `--json`: `{"events": [{"date", "text",
"citations": [...]}]}`), and the date filter of `ask`, `search` and `timeline`
(`--since`, `--until`, `--undated`)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from assistant.text_input import clean, write_line
from assistant.types import DateFilter


def add_timeline_command(sub: Any) -> None:
    """Register `timeline` on the CLI's subcommand parser."""
    timeline = sub.add_parser("timeline", help="the dated events of a topic, oldest first")
    timeline.add_argument("topic", help="what the timeline is about")
    add_date_options(timeline)
    timeline.add_argument("--json", action="store_true", help="print one JSON object")
    timeline.set_defaults(run=_timeline)


def add_date_options(parser: Any) -> None:
    """--since, --until and --undated: the documents drawn on, by their publication date."""
    for name, what in (("since", "from"), ("until", "up to")):
        parser.add_argument(
            f"--{name}", type=_iso, help=f"only articles {what} this date (YYYY-MM-DD)"
        )
    parser.add_argument(
        "--undated", action="store_true", help="with a date filter, keep articles with no date"
    )


def date_filter(args: argparse.Namespace) -> DateFilter | None:
    """The filter the options ask for (None: no date option given)."""
    since, until = getattr(args, "since", None) or "", getattr(args, "until", None) or ""
    if not (since or until):
        return None
    return DateFilter(since, until, getattr(args, "undated", False))


def _iso(value: str) -> str:
    """A date given as YYYY, YYYY-MM or YYYY-MM-DD, checked."""
    try:
        parts = [int(p) for p in value.split("-")]
        date(parts[0], *(parts[1:] or [1]), *([1] if len(parts) < 3 else []))
    except (ValueError, TypeError):
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2021-10-18") from None
    return value


def _timeline(args: argparse.Namespace) -> int:
    from assistant.core import Assistant, EmptyQuestionError
    from assistant.timeline import timeline

    topic = clean(args.topic).strip()
    if not topic:
        raise EmptyQuestionError('the topic is empty: assistant timeline "a topic"')
    events = timeline(Assistant(), topic, date_filter(args))
    if args.json:
        payload = {"topic": topic, "events": [e.to_dict() for e in events]}
        write_line(sys.stdout, json.dumps(payload, ensure_ascii=False))
        return 0
    if not events:
        write_line(sys.stdout, "No dated events on this topic in the collection.")
    for event in events:
        sources = "; ".join(f"{c.where()} ({c.source}:{c.start}-{c.end})" for c in event.citations)
        write_line(sys.stdout, f"{event.date}  {' '.join(event.text.split())}")
        write_line(sys.stdout, f"            {sources}")
    return 0
