"""Export of a dossier of 1,000 documents against zipping the same files alone.

Not a test: run ``python bench/bench_dossier_export.py [--documents N] [--pages P] [--no-memory]``.

The documents are PDF files on disk (written once into a temporary folder,
each different, ``P`` pages each).  In the same run:

* **zip only** — the baseline: the same files copied into a ZIP (stored, as
  the package stores PDFs), nothing else;
* **package** — :func:`dongthap.qlvb.archive.package.write_package`: the same
  originals plus the reading PDF (cover, Mục lục văn bản, every page of every
  document), the TT 02/2019 metadata XML and the SHA-256 manifest; then
  :func:`read_package` validating the result (every checksum, the XML).

Each is timed without tracing, then run again under ``tracemalloc`` for its
peak Python memory (the import and font loading are done before, in a warm-up).
Prints seconds, output size, documents per second and peak memory, and the
ratios to the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import dongthap.qlvb.archive  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "archive"))

from archive_samples import AGENCY, DOSSIER, bulk_documents  # noqa: E402

from dongthap.qlvb.archive.package import read_package, write_package  # noqa: E402


def zip_only(out_path: Path, documents) -> None:
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for doc in documents:
            for f in doc.files:
                with (
                    f.open() as src,
                    zf.open(f"van-ban/{doc.fields['DocOrdinal']:04d}/{f.name}", "w", force_zip64=True) as dst,
                ):
                    while chunk := src.read(1024 * 1024):
                        dst.write(chunk)


def package(out_path: Path, documents) -> None:
    with open(out_path, "wb") as out:
        write_package(
            out, dict(DOSSIER), documents, agency_name=AGENCY, exported_at=dt.datetime(2026, 1, 15, 9, 0)
        )


def validate(out_path: Path, _documents) -> None:
    with read_package(out_path) as pkg:
        assert pkg.meta.documents


def measure(fn, out_path: Path, documents, memory: bool) -> tuple[float, int | None]:
    start = time.perf_counter()
    fn(out_path, documents)
    seconds = time.perf_counter() - start
    peak = None
    if memory:
        tracemalloc.start()
        try:
            fn(out_path, documents)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return seconds, peak


def mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:8.1f}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    args = parser.parse_args(argv)
    memory = not args.no_memory

    with tempfile.TemporaryDirectory(prefix="qlvb-bench-export-") as tmp:
        tmp = Path(tmp)
        files = tmp / "files"
        files.mkdir()
        documents = bulk_documents(files, args.documents, pages=args.pages)
        source_bytes = sum(p.stat().st_size for p in files.iterdir())
        # warm-up: imports, fonts, code paths
        write_package(
            io.BytesIO(), dict(DOSSIER), bulk_documents(files, 2, pages=args.pages), agency_name=AGENCY
        )

        print(
            f"dossier: {args.documents} documents × {args.pages} pages, "
            f"{source_bytes / 1e6:.1f} MB of PDF files"
        )
        print(f"{'step':<22} {'seconds':>9} {'MB out':>9} {'docs/s':>9} {'peak MB':>9} {'x zip (s)':>10}")
        results = {}
        for name, fn, target in (
            ("zip only (baseline)", zip_only, tmp / "plain.zip"),
            ("export package", package, tmp / "package.zip"),
            ("validate package", validate, tmp / "package.zip"),
        ):
            seconds, peak = measure(fn, target, documents, memory)
            results[name] = seconds
            size = target.stat().st_size
            ratio = seconds / results["zip only (baseline)"]
            print(
                f"{name:<22} {seconds:9.2f} {size / 1e6:9.1f} {args.documents / seconds:9.0f} "
                f"{mb(peak):>9} {ratio:10.1f}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
