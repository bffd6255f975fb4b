#!/usr/bin/env python3
"""Upload latency through the REST API with and without virus scanning (issue 6).

A plain script (not a test): it starts its own private clamd (test signature
database, ``scripts/clamd_ctl.py``) in a temporary directory and its own
temporary Plone site served by a real WSGI server (the layers of
``dongthap.qlvb.testing``), then POSTs ``File`` objects with 1 MB and 20 MB
PDFs (base64 JSON, as the web client does) in interleaved rounds:

``scan``      scanning on (clamd INSTREAM over the unix socket);
``off``       scanning switched off in the control panel (the upload is then
              recorded as an incident "accepted without scan");
``baseline``  the antivirus hooks bypassed entirely (what Plone costs alone).

It prints p50/p90 per size and mode and the overhead of scanning.

    .venv/bin/python bench/bench_antivirus.py [--rounds-1mb 15] [--rounds-20mb 5]
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024


def load_clamd_ctl():
    spec = importlib.util.spec_from_file_location("clamd_ctl", ROOT / "scripts" / "clamd_ctl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_pdf(size: int, seed: int) -> bytes:
    """A valid PDF of about *size* bytes: one page plus a stream of random bytes."""
    payload = os.urandom(size) if seed else b"\0" * size
    content = b"BT /F1 12 Tf 72 770 Td (Cong van) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /D 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 1 1] /Length %d >>\nstream\n"
        % len(payload) + payload + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def setup_layer(layer, done):
    for base in layer.__bases__:
        setup_layer(base, done)
    if layer not in done:
        layer.setUp()
        done.append(layer)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds-1mb", type=int, default=15)
    parser.add_argument("--rounds-20mb", type=int, default=5)
    args = parser.parse_args(argv)

    ctl = load_clamd_ctl()
    var_dir = tempfile.mkdtemp(prefix="bench-clamd-")
    print(f"starting a private clamd in {var_dir} (test signature database) ...", flush=True)
    ctl.start(var_dir, port=0, db="test", stream_max="60M")
    os.environ["QLVB_CLAMD"] = f"unix://{var_dir}/clamd.sock"
    os.environ["QLVB_CLAMD_MAX_SIZE"] = "50M"
    os.environ.pop("QLVB_CLAMD_ENABLED", None)
    os.environ.setdefault("zope_i18n_compile_mo_files", "true")

    import requests
    import transaction
    from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD, FunctionalTesting
    from plone.testing.zope import WSGI_SERVER_FIXTURE

    from dongthap.qlvb.antivirus import hooks
    from dongthap.qlvb.antivirus.scanner import CLEAN, ScanResult
    from dongthap.qlvb.testing import QLVB_FIXTURE

    bench_layer = FunctionalTesting(bases=(QLVB_FIXTURE, WSGI_SERVER_FIXTURE), name="AvBench")
    done = []
    print("setting up a temporary Plone site ...", flush=True)
    setup_layer(bench_layer, done)
    bench_layer.testSetUp()
    try:
        from plone import api
        from zope.component.hooks import setSite

        portal = bench_layer["portal"]
        setSite(portal)
        with api.env.adopt_roles(["Manager"]):
            api.content.create(container=portal, type="Folder", id="bench", title="Bench")
        transaction.commit()
        url = f"http://localhost:{bench_layer['port']}/plone/bench"
        session = requests.Session()
        session.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        session.headers["Accept"] = "application/json"

        real_check = hooks.api.check_file

        def bypass(data, filename, **kwargs):
            return ScanResult(CLEAN, filename or "", -1, None, detail="bench bypass")

        def set_mode(mode):
            os.environ.pop("QLVB_CLAMD_ENABLED", None)
            hooks.api.check_file = real_check
            if mode == "off":
                os.environ["QLVB_CLAMD_ENABLED"] = "0"
            elif mode == "baseline":
                hooks.api.check_file = bypass

        def upload(data, name):
            body = {
                "@type": "File",
                "title": name,
                "file": {
                    "data": base64.b64encode(data).decode("ascii"),
                    "encoding": "base64",
                    "filename": name,
                    "content-type": "application/pdf",
                },
            }
            started = time.perf_counter()
            response = session.post(url, json=body)
            elapsed = time.perf_counter() - started
            if response.status_code != 201:
                raise SystemExit(f"upload failed: {response.status_code} {response.text[:300]}")
            return elapsed

        modes = ("scan", "off", "baseline")
        results = {}
        for size_mb, rounds in ((1, args.rounds_1mb), (20, args.rounds_20mb)):
            pdfs = [make_pdf(size_mb * MB, seed=i + 1) for i in range(3)]
            for mode in modes:  # warm-up
                set_mode(mode)
                upload(pdfs[0], f"warmup-{mode}.pdf")
            for index in range(rounds):
                for mode in modes:  # interleaved: same conditions for every mode
                    set_mode(mode)
                    elapsed = upload(pdfs[index % 3], f"{mode}-{size_mb}-{index}.pdf")
                    results.setdefault((size_mb, mode), []).append(elapsed)
        set_mode("scan")

        print()
        print("REST upload latency (POST File, base64 JSON), one client, "
              "clamd INSTREAM over a unix socket")
        print(f"{'size':>6} {'mode':>9} {'n':>3} {'p50 ms':>9} {'p90 ms':>9} {'mean ms':>9}")
        for (size_mb, mode), values in sorted(results.items()):
            print(
                f"{size_mb:>4}MB {mode:>9} {len(values):>3} "
                f"{statistics.median(values) * 1000:9.1f} "
                f"{percentile(values, 0.9) * 1000:9.1f} {statistics.mean(values) * 1000:9.1f}"
            )
        print()
        for size_mb in (1, 20):
            scan = statistics.median(results[(size_mb, "scan")])
            off = statistics.median(results[(size_mb, "off")])
            base = statistics.median(results[(size_mb, "baseline")])
            print(
                f"{size_mb:>2} MB: scanning overhead p50 {1000 * (scan - off):+.1f} ms vs off "
                f"({100 * (scan - off) / off:+.1f} %), {1000 * (scan - base):+.1f} ms vs "
                f"no hooks ({100 * (scan - base) / base:+.1f} %)"
            )
    finally:
        try:
            bench_layer.testTearDown()
            for layer in reversed(done):
                layer.tearDown()
        except Exception as exc:  # teardown problems must not hide the figures
            print(f"(teardown: {exc!r})", file=sys.stderr)
        ctl.stop(var_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
