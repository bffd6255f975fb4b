"""Benchmark: registering incoming documents through our REST API vs plain plone.restapi.

Run: ``.venv/bin/python bench/bench_incoming.py [--count 60] [--clients 1,4] [--keep]``

Starts its own Zope (FileStorage, a temporary instance on a free port, demo data,
antivirus scanning off: ``QLVB_CLAMD_ENABLED=0``) and measures, in the same run and
with the same 1 MB PDF:

* ours:  ``POST /<agency>/@incoming`` with ``"register": true`` — creation, validation,
  arrival number, duplicate check, catalog, in one conflict-safe transaction;
* plain: ``POST /<folder>`` with ``{"@type": "File", "file": …}`` (plone.restapi).

Prints throughput (documents/s), p50/p95 latency, failures and the ratio ours/plain.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import argparse
import base64
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / ".venv" / "bin"
ADMIN = ("admin", "admin")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one_mb_pdf():
    """A realistic 1 MB PDF: Vietnamese text on 3 pages and a scanned-like image (random pixels,
    which do not compress). Padding after ``%%EOF`` would be one megabyte-long last line, which
    no real PDF has and which the PDF readers scan byte by byte."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    sys.path.insert(0, str(ROOT / "src"))
    from dongthap.qlvb.demo.incoming import _font

    noise = Image.frombytes("RGB", (540, 520), os.urandom(540 * 520 * 3))
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for page in range(3):
        pdf.setFont(_font(), 12)
        for y, line in zip((780, 760, 740), ("UBND TỈNH ĐỒNG THÁP", "Số: 15/UBND-VP",
                                             "Văn bản thử tải 1 MB"), strict=True):
            pdf.drawString(60, y, line)
        if page == 0:
            pdf.drawImage(ImageReader(noise), 60, 200, width=300, height=290)
        pdf.drawString(60, 60, f"Trang {page + 1}/3")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def start_server(tmp, port):
    env = dict(os.environ, QLVB_SITE_ID="plone", QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0")
    subprocess.run([PY / "python", ROOT / "scripts" / "instance.py", "--name", "bench", "--var", tmp,
                    "--host", "127.0.0.1", "--port", str(port), "--env", "QLVB_CLAMD_ENABLED=0"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    etc = Path(tmp) / "bench" / "etc"
    subprocess.run([PY / "zconsole", "run", etc / "zope.conf", ROOT / "scripts" / "create_site.py"],
                   check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc = subprocess.Popen([PY / "runwsgi", etc / "zope.ini"], env=env, cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import requests

    for _i in range(240):
        try:
            if requests.get(f"http://127.0.0.1:{port}/plone", timeout=30).status_code < 500:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the benchmark server did not start")


def run(count, clients, post):
    """``count`` requests spread over ``clients`` threads; (latencies, failures, seconds)."""
    import requests

    def client(n):
        s = requests.Session()
        s.auth = ADMIN
        s.headers["Accept"] = "application/json"
        times, fails = [], 0
        for _i in range(n):
            t0 = time.perf_counter()
            r = post(s)
            times.append(time.perf_counter() - t0)
            fails += r.status_code != 201
        return times, fails

    shares = [count // clients + (1 if i < count % clients else 0) for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(client, shares))
    elapsed = time.perf_counter() - started
    return [t for ts, _f in results for t in ts], sum(f for _t, f in results), elapsed


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--clients", default="1,4")
    parser.add_argument("--keep", action="store_true", help="keep the temporary instance")
    args = parser.parse_args()
    import datetime

    import requests

    pdf = one_mb_pdf()
    file_json = {"data": base64.b64encode(pdf).decode(), "encoding": "base64",
                 "filename": "bench.pdf", "content-type": "application/pdf"}
    today = datetime.date.today()
    body = {
        "title": "Văn bản thử tải", "document_type": "cong_van", "code_number": "15",
        "code_notation": "UBND-VP", "issued_date": (today - datetime.timedelta(days=1)).isoformat(),
        "issuing_agency_name": "UBND tỉnh Đồng Tháp", "urgency": "thuong", "source": "paper",
        "file": file_json, "register": True,
    }
    tmp = tempfile.mkdtemp(prefix="qlvb-bench-")
    port = free_port()
    base = f"http://127.0.0.1:{port}/plone"
    print(f"PDF {len(pdf) / 1e6:.2f} MB; starting Zope on port {port} in {tmp} …", flush=True)
    proc = start_server(tmp, port)
    try:
        admin = requests.Session()
        admin.auth = ADMIN
        admin.headers["Accept"] = "application/json"
        admin.post(base, json={"@type": "Folder", "id": "bench-files", "title": "Bench"}).raise_for_status()

        def ours(s):
            return s.post(f"{base}/so-tttt/@incoming", json=body)

        def plain(s):
            return s.post(f"{base}/bench-files", json={"@type": "File", "title": "Văn bản thử tải",
                                                       "file": file_json})

        for warm in (ours, plain):  # warm caches, catalogs, blob dirs
            run(3, 1, warm)
        for clients in [int(c) for c in args.clients.split(",")]:
            stats = {}
            for name, post in (("ours (@incoming + register)", ours), ("plain (File via restapi)", plain)):
                times, fails, elapsed = run(args.count, clients, post)
                stats[name] = (len(times) / elapsed, statistics.median(times), pct(times, 0.95), fails)
                rate, p50 = stats[name][0], stats[name][1] * 1000
                print(f"clients={clients} {name:30s} {rate:6.2f}/s  p50 {p50:6.0f} ms"
                      f"  p95 {stats[name][2] * 1000:6.0f} ms  failures {fails}/{len(times)}", flush=True)
            (o, p) = stats.values()
            print(f"clients={clients} ratio ours/plain: throughput {o[0] / p[0]:.2f}, "
                  f"p50 {o[1] / p[1]:.2f}, p95 {o[2] / p[2]:.2f}", flush=True)
        numbers = [r["arrival_number"] for r in admin.get(f"{base}/so-tttt/@registers/incoming")
                   .json()["register"]["rows"]]
        ok = sorted(numbers) == list(range(1, len(numbers) + 1))
        print(f"arrival numbers 1..{len(numbers)} without gap or duplicate: {ok}")
    finally:
        proc.terminate()
        proc.wait(30)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
