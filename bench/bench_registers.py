"""Benchmark: register rendering to PDF and XLSX vs. writing the same rows as CSV.

Run: ``.venv/bin/python bench/bench_registers.py [register_key] [sizes...]``
(default: ``incoming 1000 10000``).

For each size the same rows (every column filled, long subjects on one row in
four) are written with the ``csv`` module (baseline: formatting values the way
the registers print them), then rendered with ``render_pdf`` and
``render_xlsx``.  Prints seconds, output size, rows per second and the ratio
to the CSV baseline.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "registers"))

from register_samples import HEADING, bulk_rows  # noqa: E402

from dongthap.qlvb.registers import REGISTERS, render_pdf, render_xlsx  # noqa: E402
from dongthap.qlvb.registers.formatting import format_value  # noqa: E402


def write_csv(register_key: str, rows: list[dict], **_heading) -> bytes:
    """The baseline: header plus rows, values formatted as printed, UTF-8 with BOM."""
    register = REGISTERS[register_key]
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(register.headers)
    for row in rows:
        writer.writerow([format_value(row.get(key)) for key in register.keys])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def timed(fn, *args, **kwargs) -> tuple[float, int]:
    """Seconds taken and size of the output of one call."""
    start = time.perf_counter()
    data = fn(*args, **kwargs)
    return time.perf_counter() - start, len(data)


def main(argv: list[str]) -> None:
    key = argv[0] if argv and not argv[0].isdigit() else "incoming"
    sizes = [int(a) for a in argv if a.isdigit()] or [1000, 10_000]
    render_pdf(key, bulk_rows(key, 10), **HEADING)  # warm up: font loading
    print(f"register: {key} ({len(REGISTERS[key].columns)} columns)")
    print(f"{'rows':>7} {'format':<6} {'seconds':>9} {'bytes':>11} {'rows/s':>9} {'x csv':>8}")
    for size in sizes:
        rows = bulk_rows(key, size)
        base, _ = timed(write_csv, key, rows)
        for name, fn in (("csv", write_csv), ("pdf", render_pdf), ("xlsx", render_xlsx)):
            seconds, size_bytes = (base, len(write_csv(key, rows))) if name == "csv" else \
                timed(fn, key, rows, **HEADING)
            print(f"{size:>7} {name:<6} {seconds:>9.3f} {size_bytes:>11,} {size / seconds:>9,.0f} "
                  f"{seconds / base:>8.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
