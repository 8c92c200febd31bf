"""The Markdown tables of the figures, and `report()`, which puts them together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench.common import fmt, machine, table
from bench.pdf_libraries.documents import REAL_PDFS
from bench.pdf_libraries.extract import VARIANTS
from bench.pdf_libraries.measure import RUNS


def percent(value: float) -> str:
    return fmt(100 * value, 0, "%")


def quality_table(figures: dict[str, dict[str, Any]], names: Sequence[str]) -> str:
    """Sentences intact per layout, with the in-order share."""
    header = ["Extraction", *(f"{n}: intact / in order" for n in names)]
    rows = [
        [
            variant.name,
            *(
                f"{percent(figures[n][variant.name]['intact'])} / "
                f"{percent(figures[n][variant.name]['in_order'])}"
                for n in names
            ),
        ]
        for variant in VARIANTS
    ]
    return table(header, rows)


def speed_table(figures: dict[str, dict[str, Any]], names: Sequence[str]) -> str:
    """Pages per second per PDF, and whether the running header and footer stay in."""
    header = ["Extraction", *(f"{n} pages/s" for n in names), "header kept", "'Page N' kept"]
    rows = []
    for variant in VARIANTS:
        paged = figures["paged-30"][variant.name]
        rows.append(
            [
                variant.name,
                *(fmt(figures[n][variant.name]["pages_per_second"], 0) for n in names),
                percent(paged["header_kept"]),
                percent(paged["footer_kept"]),
            ]
        )
    return table(header, rows)


def garbling_table(figures: dict[str, dict[str, Any]], names: Sequence[str]) -> str:
    """Odd words, over-long words, hyphen breaks and unmapped glyphs in the real PDFs."""
    header = [
        "Extraction",
        "PDF",
        "chars",
        "odd words",
        "20+ letter words",
        "hyphen + line break left",
        "soft hyphens (U+FFFE)",
        "(cid:N)",
    ]
    keys = ("odd_words", "long_words", "line_end_hyphens", "soft_hyphens", "cid")
    rows = []
    for variant in VARIANTS:
        for name in names:
            g = figures[name][variant.name]
            rows.append([variant.name, name, fmt(g["chars"]), *(g[k] for k in keys)])
    return table(header, rows)


def package_table(packages: dict[str, dict[str, Any]]) -> str:
    """Version, licence and installed size of each library."""
    header = [
        "Library",
        "Version",
        "Licence",
        "Dependencies (licence)",
        "Installed MB",
        "+ deps MB",
    ]
    rows = [
        [
            library,
            facts["version"],
            facts["licence"],
            ", ".join(f"{d} ({lic})" for d, lic in facts["dependencies"].items()) or "none",
            fmt(facts["installed_mb"], 1),
            fmt(facts["installed_with_dependencies_mb"], 1),
        ]
        for library, facts in packages.items()
    ]
    return table(header, rows)


def report(
    figures: dict[str, dict[str, Any]], packages: dict[str, dict[str, Any]], load: str = ""
) -> str:
    """All tables, as Markdown."""
    synthetic = ["one-column", "two-column", "interleaved", "paged-30"]
    real = [n for n in REAL_PDFS if n in figures]
    pages = {n: next(iter(figures[n].values()))["pages"] for n in figures}
    listing = ", ".join(f"{n} {p} p." for n, p in pages.items())
    parts = [
        f"Machine: {machine().line()}{load}. PDFs: {listing}. Best of {RUNS} runs.",
        "Ground-truth sentences found intact (whitespace collapsed, line-end hyphens joined) / "
        "found (spaces ignored) and in the written order, as shares of all sentences:",
        quality_table(figures, synthetic),
        "Speed (pages per second, open + extract every page) and running header/footer:",
        speed_table(figures, ["paged-30", *real]),
    ]
    if real:
        parts += [
            "Real PDFs, signs of garbling (odd words: produced by no other library):",
            garbling_table(figures, real),
        ]
    parts += ["Licences and footprint:", package_table(packages)]
    return "\n\n".join(parts)
