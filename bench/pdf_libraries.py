"""Which PDF text library should ingest use? pypdfium2, pdfplumber and pypdf, measured.

Run it with `.venv/bin/python -m bench.pdf_libraries` (one process, no models; about a minute).
It prints Markdown tables and writes the raw figures to bench/results/pdf_libraries.json.
It does not touch docs/BENCHMARKS.md.

What it measures, for each library's plain per-page text extraction (and a few cheap variants):

- Text quality and reading order, on PDFs made on the spot with fpdf2 from article paragraphs
  whose sentences are the ground truth: (1) a one-column article, (2) a two-column article of
  about three pages (fpdf2 text_columns, the left column drawn first), (3) a two-column page whose
  lines are drawn interleaved (left line 1, right line 1, left line 2, ...) at explicit
  coordinates, so only layout analysis, not the content stream order, gives the reading order,
  and (4) a 30-page PDF with a running header and a 'Page N' footer on every page.
  "Intact" is the share of ground-truth sentences found verbatim after collapsing all whitespace
  to single spaces and joining words hyphenated at a line end; "in order" is the share of all
  sentences that are found (spaces ignored) in the order they were written (the longest
  increasing run of their positions).
- Whether the per-page text keeps the running header and the footer (ingest must then strip it).
- Speed: pages per second, best of three wall-clock runs (open the file, extract every page).
- Two real PDFs of this machine (pdfTeX manuals), if present: speed, and signs of garbling
  (words no other library produced, over-long glued words, words hyphenated at a line end).
- Licence (from the installed package metadata) and installed size, alone and with dependencies.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import ForeignLoad, fmt, machine, save_json, table

RUNS = 3
PAGED_PAGES = 30
RUNNING_HEADER = "Haldrup Weekly - Town and Environment - Spring Edition"
REAL_PDFS = {
    "libtasn1.pdf": Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    "shared-mime-info-spec.pdf": Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
}
DISTRIBUTIONS = {"pypdfium2": "pypdfium2", "pdfplumber": "pdfplumber", "pypdf": "pypdf"}

LIBRARY_TITLE = "Night hours at the town library"
LIBRARY_ARTICLE = (
    "The town library on Market Street will stay open until ten in the evening from the first of "
    "March. The council approved the change on Tuesday after a trial that ran for six weeks last "
    "autumn. During the trial, more than four thousand people came in after seven o'clock, most "
    "of them students and shift workers. Staff say the quiet evening hours were the busiest time "
    "for the study rooms.",
    "The longer hours will not require new hires. Instead, the library will use self-service "
    "machines for loans and returns after six, and two members of staff will cover the reading "
    "rooms. A security guard, shared with the swimming hall next door, will make rounds every "
    "hour. The head librarian, Marta Lindqvist, said the arrangement had worked without a single "
    "complaint during the trial.",
    "Not everyone is convinced. The union representing library workers warned that two people "
    "are too few for a building with three floors. It asked the council to review the staffing "
    "after the first three months. Several parents also asked whether the children's section "
    "would be supervised in the evening, since it closes at six today.",
    "The council's answer is that the children's section will keep its current hours. Its doors "
    "will be locked at six, and the upper floors will remain open to adults and teenagers with a "
    "library card. The extra cost, mostly electricity and cleaning, is estimated at 180,000 "
    "crowns a year. That is less than a tenth of what a full evening staff would have cost, "
    "according to the budget office.",
    "Students at the nearby technical college welcomed the decision. Many of them share small "
    "flats and have nowhere quiet to work after classes. One second-year student said she had "
    "written most of her thesis at the library during the trial weeks. She hopes the café on the "
    "ground floor will also stay open, but that has not yet been decided.",
    "The library will publish visitor numbers for the evening hours every quarter. If fewer than "
    "fifty people come in on an average evening, the council may cut the late hours back to two "
    "nights a week. The first figures are expected in June.",
)
RIVER_TITLE = "The buried stream that came back"
RIVER_ARTICLE = (
    "For almost ninety years, the Kvarn stream ran through a concrete pipe under the centre of "
    "Haldrup. It was put there in 1936, when the town needed room for a road and the open water "
    "was seen as a source of smells and disease. Most residents under sixty had no idea the "
    "stream existed at all. This summer, after three years of digging, it flows in daylight "
    "again, through a new park between the railway station and the old tannery.",
    "The project cost 64 million crowns, of which the European Union paid about a third. The rest "
    "came from the municipality, the regional water company and a local foundation. Critics "
    "called it an expensive way to build a ditch. Supporters pointed to the floods of 2019 and "
    "2021, when the old pipe could not carry the water from heavy rain and the basements of more "
    "than two hundred homes filled up.",
    "The engineering idea is simple. An open channel with gently sloping banks can hold far more "
    "water than a pipe of the same width, and the surrounding park can flood on purpose without "
    "harming anyone. During a cloudburst, the lawns on both sides turn into shallow ponds for a "
    "day or two. When the rain stops, the water drains slowly into the stream and on to the fjord.",
    "Getting there was not simple at all. The pipe ran under eleven private properties, a petrol "
    "station and a protected building from the eighteenth century. Negotiations with the owners "
    "took longer than the construction itself. In the end, the municipality bought two of the "
    "properties outright and moved the petrol station two hundred metres to the north, at a cost "
    "that was not in the original budget.",
    "Under the old tannery, the diggers found something nobody had planned for. The soil was "
    "heavily polluted with chromium, a legacy of the leather industry that closed in the 1970s. "
    "About nine thousand tonnes of earth had to be removed and treated at a special site on the "
    "coast. The clean-up delayed the project by seven months and added eleven million crowns to "
    "the bill.",
    "Ecologists say the results are already visible. Within weeks of the water returning, "
    "sticklebacks and freshwater shrimp appeared in the new pools. A pair of grey wagtails nested "
    "under the footbridge in May. Anne-Sofie Bech, a biologist at the regional museum, has "
    "counted more than forty species of insects along the banks, including two dragonflies that "
    "had not been recorded in the town before.",
    "Sea trout are the real test. The fish used to swim up the Kvarn to spawn in the gravel beds "
    "above the town, but the pipe and a weir at its outlet blocked the way. The weir has now been "
    "replaced by a series of low stone steps. Anglers and biologists will know next winter "
    "whether the trout have found their way back.",
    "Not every neighbour is pleased. Some shop owners on Algade lost parking spaces when the "
    "street was narrowed to make room for the channel. One of them, who sells bicycles, says his "
    "turnover fell by a fifth during the construction years. He admits that more people walk "
    "past his window now, but he doubts that they buy as much as the drivers did.",
    "Safety was another concern. Parents asked what would stop small children from falling into "
    "the water. The answer was to keep the stream shallow, less than forty centimetres in most "
    "places, and to plant thick reeds along the steepest banks. There are no fences. The "
    "landscape architects argue that fences would have cut the park in two and invited people to "
    "climb them.",
    "The town's older residents have brought their own stories to the project. A local history "
    "group collected photographs of the stream from before 1936, showing washerwomen at the bank "
    "and boys fishing from a wooden bridge. Copies of the pictures now hang on boards along the "
    "new path. Jørgen Müller, who is ninety-one, says his father helped to lay the pipe and "
    "always regretted it.",
    "Other towns are watching closely. Planners from at least six municipalities have visited "
    "Haldrup since the park opened, and several have buried streams of their own. The national "
    "association of water companies estimates that there are more than four hundred kilometres "
    "of piped streams in the country. Opening even a small part of them would cost billions, but "
    "so does repairing flood damage.",
    "The maintenance budget is still an open question. Reeds must be cut, sediment must be "
    "removed from the pools, and litter collects at the grates after every storm. The "
    "municipality has set aside 1.2 million crowns a year, which the park department calls the "
    "bare minimum. A volunteer group has offered to help with the lighter work on weekends.",
    "For now, the park is simply popular. On warm evenings, families picnic on the lawns and "
    "teenagers dangle their feet in the water under the footbridge. The café in the old pump "
    "house has extended its opening hours twice since June. Whatever the trout decide, the town "
    "has gained a place to sit by running water, something it had forgotten it ever had.",
)
BAKERY_ARTICLE = (
    "The bakery on Strandvej has baked bread in gas ovens since 1962. In January, its owner, Lise "
    "Kjær, had the last of them removed and replaced with two electric deck ovens and a heat "
    "pump. The change cost her nearly as much as the bakery earns in a year. She says the rising "
    "price of gas and a grant from the energy agency made the decision easier than it looks.",
    "Electric ovens are common in large industrial bakeries but still rare in small shops. Many "
    "bakers believe that gas gives a better crust, especially for rye bread and sourdough. Kjær "
    "was worried about the same thing. She baked test batches for two weeks at a supplier's "
    "workshop before she signed the order, and her regular customers were asked to taste the "
    "results without being told which oven had been used.",
    "Most of them could not tell the difference. A few preferred the new bread, saying the crust "
    "was more even. One customer, a retired baker, insisted that the electric loaves tasted flat, "
    "but he kept buying them anyway. Kjær laughs about it now. She says the real difference is in "
    "the kitchen, which no longer smells of burnt gas in the early morning.",
    "The heat pump recovers warmth from the ovens and the cooling rooms and uses it to heat water "
    "and the flat above the shop. According to the installer, it covers almost all of the "
    "building's hot water needs. In winter, the bakery now sends surplus heat into the district "
    "heating network through a small exchanger in the cellar. It is paid a modest price for "
    "every megawatt-hour it delivers.",
    "The numbers are still uncertain. Electricity prices swing from hour to hour, and bakers work "
    "at night, when power is usually cheap. Kjær has moved the longest baking runs to between two "
    "and five in the morning. Her electricity bill for the first quarter was about forty percent "
    "lower than the gas bill for the same months last year, but she warns that one cold winter "
    "could change the picture.",
    "There were practical problems too. The old wiring in the building could not carry the load "
    "of two large ovens, so the grid company had to lay a new cable from the street. That took "
    "four months and required a permit from the road authority. During the wait, the bakery ran "
    "on a single rented oven and sold only half of its usual range.",
    "Staff had to learn new habits. Electric ovens heat up more slowly, and the trays must go in "
    "at different times. The head baker, Tomasz Nowak, kept a notebook of every batch for the "
    "first six weeks. He says the ovens are easier to control once you know them, and that the "
    "temperature stays steady even when the door is opened often on busy Saturday mornings.",
    "The national bakers' association says that about one in ten small bakeries has asked for "
    "advice on switching. Its energy adviser expects many to wait until their gas ovens wear "
    "out, since a new oven lasts twenty years or more. She also points out that a heat pump only "
    "pays off if there is somewhere to use the heat, which is not the case in every shopping "
    "street.",
    "For Kjær, the decision was partly about the next generation. Her daughter has started as an "
    "apprentice, and the two of them talk about running the bakery without fossil fuels by the "
    "end of the decade. The delivery van is the next item on the list. A second-hand electric "
    "van is already parked in the yard, waiting for a charger that the landlord has promised to "
    "install.",
    "On a grey Tuesday morning, the queue still reaches the door. People come for the same seeded "
    "rye and cinnamon rolls they have bought for years. Few of them know what kind of oven stands "
    "behind the counter. Kjær thinks that is exactly how it should be.",
)

FERRY_ARTICLE = (
    "The ferry to Langø made its first crossing on battery power on the second Monday of April. "
    "The new vessel, named Tern, carries up to thirty cars and three hundred passengers on the "
    "forty-minute route. It replaces a diesel ferry that had served the island since 1988. For "
    "the two hundred and fifty people who live on Langø all year, the ferry is the only link to "
    "schools, doctors and jobs on the mainland.",
    "The batteries are charged at both harbours while cars drive on and off. A crossing uses "
    "about a third of the capacity, so the ship can still make the trip if one charger fails. The "
    "charging towers were built by the regional grid company, which also had to strengthen the "
    "cable to the island. The whole project, ship and chargers together, cost 118 million crowns.",
    "Islanders had feared that the new ferry would be smaller than the old one. In the first "
    "plans it was, and a petition against the cut collected more than two thousand signatures, "
    "many of them from summer residents. The design was changed to add a second car deck. That "
    "decision delayed the delivery from the shipyard in Poland by almost a year.",
    "The crew noticed the difference at once. There is no engine noise on the bridge, and the "
    "vibration that used to shake the cafeteria tables has gone. Captain Henrik Dahl, who has "
    "sailed the route for twenty-two years, says the ship answers the helm more quickly than the "
    "old one. Passengers mostly talk about the smell, or rather the lack of it, on the open deck.",
    "Not everything went smoothly in the first weeks. A software fault in the charging system "
    "stopped two departures in April, and passengers had to wait more than an hour in the rain. "
    "The shipping company has since added a manual override. It also promised to send a text "
    "message to regular travellers whenever a departure is delayed by more than fifteen minutes.",
    "The timetable has changed as well. Because the ferry needs a few minutes at each harbour to "
    "charge, the last evening departure from the mainland now leaves at half past nine instead of "
    "ten. Commuters who work late shifts at the hospital have complained. The municipality says "
    "it will test an extra night departure on Fridays and Saturdays during the summer.",
    "Fuel savings are large. The old ferry burned about six hundred thousand litres of diesel a "
    "year. Even with the price of electricity included, the running costs are expected to fall "
    "by almost half. The municipality, which owns the route, says the money will go to keeping "
    "ticket prices for residents at the current level for at least five years.",
    "Other island communities are following the experiment. Three more routes in the region will "
    "get electric ferries before 2030, according to the transport plan adopted last year. The "
    "smallest of them, a twelve-car ferry to Hjortø, may be ordered from the same shipyard to "
    "save on design costs.",
    "On the island, life goes on at its own pace. The grocery store still closes at five, and the "
    "ferry still sets the rhythm of the day. Children on their way to school now do their "
    "homework in a quiet lounge. Several of them say they no longer get seasick, although the "
    "captain suspects that the calm spring weather deserves most of the credit.",
)


# --- The PDFs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A PDF to extract; `truth` holds its sentences (per page when `per_page`), or None."""

    name: str
    path: Path
    truth: tuple[tuple[str, ...], ...] | None = None
    per_page: bool = False
    running_header: str = ""


def sentences(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """The sentences of `paragraphs` (the texts above have no abbreviations to trip on)."""
    return tuple(s for p in paragraphs for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p))


def wrap(pdf: Any, text: str, width: float) -> list[str]:
    """`text` broken greedily into lines no wider than `width` mm in the current font."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and pdf.get_string_width(candidate) > width:
            lines.append(line)
            candidate = word
        line = candidate
    return [*lines, line] if line else lines


def interleaved_pdf(path: Path, title: str, paragraphs: Sequence[str]) -> Path:
    """One page in two columns whose lines are drawn left 1, right 1, left 2, right 2, ...

    The left column holds the first half of the article's lines, the right column the rest.
    """
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=16)
    pdf.text(10, 20, title)
    pdf.set_font("helvetica", size=11)
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [*wrap(pdf, paragraph, 88), ""]
    half = (len(lines) + 1) // 2
    left, right = lines[:half], lines[half:]
    for row in range(half):
        y = 35 + row * 5.5
        pdf.text(10, y, left[row])
        if row < len(right):
            pdf.text(112, y, right[row])
    pdf.output(str(path))
    return path


def paged_pages() -> list[list[str]]:
    """30 pages of paragraphs: a sentence unique to the page, then two article paragraphs."""
    pool = [*RIVER_ARTICLE, *BAKERY_ARTICLE, *FERRY_ARTICLE, *LIBRARY_ARTICLE]
    pages = []
    for n in range(PAGED_PAGES):
        lead = f"This is part {n + 1} of the spring series about life in Haldrup."
        pages.append([lead, pool[(2 * n) % len(pool)], pool[(2 * n + 1) % len(pool)]])
    return pages


def synthetic_documents(folder: Path) -> list[Document]:
    """The four made-up PDFs with their ground-truth sentences."""
    from tests.documents_factory import one_column_pdf, paged_pdf, two_column_pdf

    long_article = [*RIVER_ARTICLE, *BAKERY_ARTICLE, *FERRY_ARTICLE, *LIBRARY_ARTICLE]
    pages = paged_pages()
    return [
        Document(
            "one-column",
            one_column_pdf(folder / "one.pdf", LIBRARY_TITLE, LIBRARY_ARTICLE),
            (sentences(LIBRARY_ARTICLE),),
        ),
        Document(
            "two-column",
            two_column_pdf(folder / "two.pdf", RIVER_TITLE, long_article),
            (sentences(long_article),),
        ),
        Document(
            "interleaved",
            interleaved_pdf(folder / "interleaved.pdf", LIBRARY_TITLE, LIBRARY_ARTICLE),
            (sentences(LIBRARY_ARTICLE),),
        ),
        Document(
            "paged-30",
            paged_pdf(folder / "paged.pdf", RUNNING_HEADER, pages, title=RIVER_TITLE),
            tuple(sentences(p) for p in pages),
            per_page=True,
            running_header=RUNNING_HEADER,
        ),
    ]


def real_documents() -> list[Document]:
    """The real PDFs of this machine that exist."""
    return [Document(name, path) for name, path in REAL_PDFS.items() if path.exists()]


# --- The extractors -----------------------------------------------------------------------------


def pdfium_pages(path: Path) -> list[str]:
    """pypdfium2: `get_textpage().get_text_range()` of every page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def plumber_pages(path: Path, **options: Any) -> list[str]:
    """pdfplumber: `page.extract_text(**options)` of every page."""
    import pdfplumber

    with pdfplumber.open(path) as document:
        texts = []
        for page in document.pages:
            texts.append(page.extract_text(**options))
            page.close()
        return texts


def plumber_boxes_pages(path: Path) -> list[str]:
    """pdfplumber with pdfminer's layout analysis (LAParams): its text boxes, in its order."""
    import pdfplumber

    with pdfplumber.open(path, laparams={}) as document:
        texts = []
        for page in document.pages:
            boxes = page.objects.get("textboxhorizontal", [])
            texts.append("\n".join(box["text"] for box in boxes))
            page.close()
        return texts


def pypdf_pages(path: Path, **options: Any) -> list[str]:
    """pypdf: `PdfReader(path).pages[i].extract_text(**options)` of every page."""
    from pypdf import PdfReader

    return [page.extract_text(**options) for page in PdfReader(path).pages]


@dataclass(frozen=True)
class Variant:
    """One way of getting the text of every page of a PDF."""

    name: str
    library: str
    extract: Callable[[Path], list[str]]
    default: bool


VARIANTS = (
    Variant("pypdfium2 get_text_range()", "pypdfium2", pdfium_pages, True),
    Variant("pdfplumber extract_text()", "pdfplumber", plumber_pages, True),
    Variant(
        "pdfplumber extract_text(x_tolerance=1.5)",
        "pdfplumber",
        partial(plumber_pages, x_tolerance=1.5),
        False,
    ),
    Variant(
        "pdfplumber extract_text(layout=True)",
        "pdfplumber",
        partial(plumber_pages, layout=True),
        False,
    ),
    Variant(
        "pdfplumber extract_text(use_text_flow=True)",
        "pdfplumber",
        partial(plumber_pages, use_text_flow=True),
        False,
    ),
    Variant("pdfplumber laparams text boxes", "pdfplumber", plumber_boxes_pages, False),
    Variant("pypdf extract_text()", "pypdf", pypdf_pages, True),
    Variant(
        'pypdf extract_text(extraction_mode="layout")',
        "pypdf",
        partial(pypdf_pages, extraction_mode="layout"),
        False,
    ),
)


# --- The metrics --------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, control characters dropped, a word hyphenated at a line end joined (its hyphen
    kept), then every run of whitespace (\\r\\n included) made one space.

    PDFium already joins such a word and marks its hyphen U+FFFE (for soft TeX hyphens and real
    ones like 'second-hand' alike); it becomes '-' here, as the others' '-' + line break does.
    """
    text = unicodedata.normalize("NFKC", text).replace("\ufffe", "-")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\uffff]", "", text)
    text = re.sub(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def collapse(text: str) -> str:
    """Only whitespace collapsed (no hyphen joining), for comparison."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def squash(text: str) -> str:
    """`normalise` without any whitespace: order survives, spacing mistakes do not count."""
    return re.sub(r"\s+", "", normalise(text))


def longest_increasing(values: Sequence[int]) -> int:
    """Length of the longest strictly increasing subsequence (O(n^2), n is small)."""
    best = [1] * len(values)
    for i, value in enumerate(values):
        for j in range(i):
            if values[j] < value:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@dataclass
class Score:
    """Counts of ground-truth sentences: found intact, found with spaces ignored, in order."""

    total: int = 0
    intact: int = 0
    plain: int = 0
    squashed: int = 0
    in_order: int = 0

    def add(self, truth: Sequence[str], text: str) -> None:
        normal, plain, flat = normalise(text), collapse(text), squash(text)
        positions = [flat.find(squash(s)) for s in truth]
        found = [p for p in positions if p >= 0]
        self.total += len(truth)
        self.intact += sum(normalise(s) in normal for s in truth)
        self.plain += sum(collapse(s) in plain for s in truth)
        self.squashed += len(found)
        self.in_order += longest_increasing(found)

    def shares(self) -> dict[str, float]:
        return {
            "intact": self.intact / self.total,
            "intact_whitespace_only": self.plain / self.total,
            "intact_ignoring_spaces": self.squashed / self.total,
            "in_order": self.in_order / self.total,
        }


def quality(document: Document, pages: Sequence[str]) -> dict[str, float]:
    """The sentence shares of one extraction against the document's ground truth."""
    assert document.truth is not None
    score = Score()
    if document.per_page:
        for truth, text in zip(document.truth, pages, strict=True):
            score.add(truth, text)
    else:
        score.add(document.truth[0], "\n".join(pages))
    return score.shares()


def running_parts(header: str, pages: Sequence[str]) -> dict[str, float]:
    """Share of pages whose text still holds the running header, and 'Page N'."""
    kept_header = sum(normalise(header) in normalise(text) for text in pages)
    kept_footer = sum(
        re.search(rf"\bPage {n}\b", normalise(text)) is not None
        for n, text in enumerate(pages, start=1)
    )
    return {"header_kept": kept_header / len(pages), "footer_kept": kept_footer / len(pages)}


def best_seconds(variant: Variant, path: Path) -> tuple[float, list[str]]:
    """The fastest of RUNS wall-clock extractions of the whole file, and its pages."""
    best, pages = float("inf"), []
    for _ in range(RUNS):
        started = time.perf_counter()
        pages = variant.extract(path)
        best = min(best, time.perf_counter() - started)
    return best, pages


WORD = re.compile(r"[^\W\d_]{3,}")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def garbling(texts: dict[str, str], variant: Variant) -> dict[str, Any]:
    """Signs of glued or split words in one variant's text of a real PDF.

    Odd words are words (3+ letters) that no variant of the two other libraries produced;
    line-end hyphens are words still broken by a hyphen and a line break; soft hyphens are
    line-end hyphens PDFium marks as U+FFFE (and joins); cid are glyphs without Unicode.
    """
    own = texts[variant.name]
    others = set().union(*(words(texts[v.name]) for v in VARIANTS if v.library != variant.library))
    odd = sorted(words(own) - others)
    return {
        "chars": len(own),
        "odd_words": len(odd),
        "odd_samples": odd[:12],
        "long_words": len({w for w in WORD.findall(own) if len(w) >= 20}),
        "long_samples": sorted({w for w in WORD.findall(own) if len(w) >= 20})[:12],
        "line_end_hyphens": len(re.findall(r"[^\W\d_]-[ \t]*\r?\n\s*[^\W\d_]", own)),
        "soft_hyphens": own.count("\ufffe") + own.count("\xad"),
        "cid": own.count("(cid:"),
    }


# --- Licence and footprint ----------------------------------------------------------------------


def licence(distribution: str) -> str:
    """The licence a distribution declares: its expression, its License field or classifier."""
    meta = metadata.metadata(distribution).json
    declared = meta.get("license_expression") or meta.get("license")
    if declared:
        return str(declared)
    classifiers = [c for c in meta.get("classifier", []) if c.startswith("License ::")]
    return "; ".join(c.rsplit(" :: ", 1)[-1] for c in classifiers) or "unknown"


def dependencies(distribution: str) -> list[str]:
    """The distributions `distribution` needs (extras left out), recursively, itself first."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen: list[str] = []
    todo = [distribution]
    while todo:
        name = canonicalize_name(todo.pop(0))
        if name in seen:
            continue
        seen.append(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def installed_bytes(distribution: str) -> int:
    """The size of the files a distribution installed (its RECORD)."""
    total = 0
    for file in metadata.files(distribution) or []:
        if file.size is not None:
            total += file.size
        else:
            located = Path(str(file.locate()))
            total += located.stat().st_size if located.is_file() else 0
    return total


def package_facts(library: str) -> dict[str, Any]:
    """Version, licence and footprint of one library and of what it pulls in."""
    distribution = DISTRIBUTIONS[library]
    closure = dependencies(distribution)
    return {
        "version": metadata.version(distribution),
        "licence": licence(distribution),
        "dependencies": {d: licence(d) for d in closure[1:]},
        "installed_mb": installed_bytes(distribution) / 1e6,
        "installed_with_dependencies_mb": sum(installed_bytes(d) for d in closure) / 1e6,
    }


# --- The run ------------------------------------------------------------------------------------


def measure(document: Document) -> dict[str, Any]:
    """Every variant on one document: speed, and quality or garbling."""
    results: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for variant in VARIANTS:
        seconds, pages = best_seconds(variant, document.path)
        texts[variant.name] = "\n".join(pages)
        result: dict[str, Any] = {
            "pages": len(pages),
            "seconds": seconds,
            "pages_per_second": len(pages) / seconds,
            "sample": normalise(pages[min(1, len(pages) - 1)])[:400],
        }
        if document.truth is not None:
            result |= quality(document, pages)
        if document.running_header:
            result |= running_parts(document.running_header, pages)
        results[variant.name] = result
    if document.truth is None:
        for variant in VARIANTS:
            results[variant.name] |= garbling(texts, variant)
    return results


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


def default_equals_layout_false(path: Path) -> bool:
    """Whether pdfplumber's `extract_text()` is `extract_text(layout=False)` (it should be)."""
    return plumber_pages(path) == plumber_pages(path, layout=False)


def run() -> dict[str, Any]:
    """Make the PDFs, measure every variant on each, print the tables, save the figures."""
    with ForeignLoad() as load, tempfile.TemporaryDirectory(prefix="pdf-libraries-") as folder:
        documents = [*synthetic_documents(Path(folder)), *real_documents()]
        figures = {d.name: measure(d) for d in documents}
        same = default_equals_layout_false(documents[1].path)
    packages = {library: package_facts(library) for library in DISTRIBUTIONS}
    print(report(figures, packages, load.line()))
    payload = {
        "machine": machine().__dict__,
        "foreign_load_cores": load.samples,
        "runs": RUNS,
        "pdfplumber_default_is_layout_false": same,
        "packages": packages,
        "documents": figures,
    }
    print(f"\nRaw figures: {save_json('pdf_libraries', payload)}")
    return payload


if __name__ == "__main__":
    run()
