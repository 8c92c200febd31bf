"""What every benchmark shares: the machine, timing, percentiles, memory, and the results file.

Each benchmark writes its own section of docs/BENCHMARKS.md between `<!-- NAME:start -->` and
`<!-- NAME:end -->` markers, so benchmarks (and other authors' sections) update independently.
Raw figures go to bench/results/NAME.json (not committed).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vectorstore.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "results"
REPORT = PROJECT_ROOT / "docs" / "BENCHMARKS.md"
HEAVY_LOCK = Path("/tmp/seed-assistant-heavy.lock")

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@dataclass(frozen=True)
class Machine:
    """Where a figure was measured."""

    cpus: int
    cpu_model: str
    ram_gib: float
    python: str
    system: str

    def line(self) -> str:
        return (
            f"{self.cpus} CPUs ({self.cpu_model}), {self.ram_gib:.0f} GiB RAM, "
            f"Python {self.python}, {self.system}"
        )


def machine() -> Machine:
    """nproc, the CPU model, the RAM and the system of this machine."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024**2
                break
    except OSError:
        pass
    return Machine(
        cpus=len(os.sched_getaffinity(0)),
        cpu_model=model,
        ram_gib=ram,
        python=platform.python_version(),
        system=f"{platform.system()} {platform.release()}",
    )


def command() -> str:
    """The command line that is running, as a user would type it."""
    args = " ".join(shlex.quote(a) for a in sys.argv[1:])
    return f".venv/bin/python -m bench {args}".strip()


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Clock:
    """Milliseconds since creation (or since the last `lap`)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000


@contextmanager
def timed(into: list[float]) -> Iterator[None]:
    """Append the block's duration in milliseconds to `into`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        into.append((time.perf_counter() - started) * 1000)


def rss_mb() -> float:
    """Resident memory of this process in MB."""
    import psutil

    return float(psutil.Process().memory_info().rss) / 1e6


def save_json(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=str), "utf-8")
    return path


def load_json(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def write_section(name: str, body: str, report: Path = REPORT, first: bool = False) -> None:
    """Replace the text between this section's markers; a new section is appended (or, with
    `first`, put before every other section)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = report.read_text("utf-8") if report.exists() else _HEADER
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    elif first and "<!-- " in text:
        head, tail = text.split("<!-- ", 1)
        text = head.rstrip() + "\n\n" + block + "\n\n<!-- " + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(text, "utf-8")


class ForeignLoad:
    """How many cores other processes keep busy while a benchmark runs (sampled every 2 s).

    The heavy-job lock keeps other model-loading jobs out, not everything: this says how quiet
    the machine really was.
    """

    def __init__(self, interval: float = 2.0):
        self.interval = interval
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._ours: dict[int, Any] = {}

    def __enter__(self) -> ForeignLoad:
        global _LOAD
        _LOAD = self
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        psutil.cpu_percent(None)
        while not self._stop.wait(self.interval):
            busy = psutil.cpu_percent(None) * psutil.cpu_count() / 100
            own = 0.0
            for process in [me, *me.children(recursive=True)]:
                known = self._ours.setdefault(process.pid, process)
                try:
                    own += known.cpu_percent(None) / 100
                except psutil.Error:
                    continue
            self.samples.append(max(0.0, busy - own))

    def line(self) -> str:
        if not self.samples:
            return ""
        mean = statistics.fmean(self.samples)
        return (
            f"; other processes kept {mean:.1f} cores busy on average (max {max(self.samples):.1f})"
        )


_LOAD: ForeignLoad | None = None


def wait_until_quiet(max_wait: float, cores: float = 0.3, seconds: float = 10.0) -> float:
    """Wait (at most `max_wait` s) until other processes use under `cores` cores for `seconds`.

    Returns the seconds waited. The benchmark then runs anyway, and says how busy it was.
    """
    import psutil

    started = time.monotonic()
    quiet_since = time.monotonic()
    psutil.cpu_percent(None)
    me = psutil.Process()
    me.cpu_percent(None)
    while time.monotonic() - started < max_wait:
        time.sleep(1.0)
        busy = psutil.cpu_percent(None) * psutil.cpu_count() / 100 - me.cpu_percent(None) / 100
        if busy >= cores:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= seconds:
            break
    return time.monotonic() - started


def provenance(seconds: float) -> str:
    """The line under each section: when, where, with which command, how long, how quiet."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime())
    quiet = _LOAD.line() if _LOAD is not None else ""
    return (
        f"_Measured {when} on {machine().line()}; `{command()}` "
        f"(run under `{HEAVY_LOCK}`), {seconds:.0f} s{quiet}._"
    )


def fmt(value: float | None, digits: int = 0, unit: str = "") -> str:
    """A number for a table ('–' when missing)."""
    if value is None or value != value:  # None or nan
        return "–"
    return f"{value:,.{digits}f}{unit}"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


_HEADER = """# Benchmarks

`make bench` runs every benchmark (`python -m bench`; one of them: `python -m bench retrieval`).
Each figure is a ratio against its physical limit or its peer, measured in the same run, and each
section names the machine and the exact command. Raw figures: `bench/results/*.json`.
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server this benchmark started, by its PID: terminate, then kill if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
