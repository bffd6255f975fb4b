#!/usr/bin/env python3
"""Issuing and a 20 MB edXML import, alone and while other users write in the same agency.

Run: .venv/bin/python bench/bench_under_load.py [--rounds 4] [--import-mb 20] [--writers 2]

Starts its own temporary instance (FileStorage, one waitress process, demo data, antivirus
off, no TSA) and measures in the same run:

* ``@workflow/issue`` of signed công văn of Sở TT&TT (one recipient): first with nobody
  else writing (the baseline), then while ``--writers`` clients register incoming documents
  in Sở TT&TT and write drafts there without pause;
* ``@edxml-import`` of a package of about ``--import-mb`` MB (the document and one large PDF
  annex) into Sở TT&TT, alone and under the same writers.

Prints per case: p50 / max latency, failed requests (any non-2xx: a 500 ``ConflictError``
is the defect this measures) and the writers' throughput meanwhile.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import argparse
import base64
import datetime
import os
import sys
import threading
import time

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "src"))
from _server import instance  # noqa: E402
from _server import summary  # noqa: E402

import requests  # noqa: E402

PW = "Demo@2026"
STTTT = None  # filled in from the site (agency code of so-tttt)


def session(user, password=PW):
    s = requests.Session()
    s.auth = (user, password)
    s.headers["Accept"] = "application/json"
    return s


def post(s, url, **kw):
    start = time.perf_counter()
    r = s.post(url, timeout=900, **kw)
    return time.perf_counter() - start, r


def signed_documents(url, pdf, recipient, count, tag):
    drafter, head, leader = (session(f"stttt.{u}") for u in ("chuyenvien", "truongphong", "lanhdao"))
    docs = []
    for n in range(count):
        body = {"title": f"V/v đo phát hành khi tải {tag}-{n}", "document_type": "cong_van",
                "drafting_department": "vp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
                "internal_recipients": [recipient],
                "file": {"data": base64.b64encode(pdf).decode(), "encoding": "base64",
                         "filename": "cv.pdf"}}
        _t, r = post(drafter, f"{url}/so-tttt/@outgoing", json=body)
        assert r.status_code == 201, r.text[:300]
        doc = r.json()["url"]
        for s, step in ((drafter, "submit"), (head, "forward"), (leader, "approve"), (leader, "sign")):
            _t, r = post(s, f"{doc}/@workflow/{step}", json={})
            if r.status_code != 200 and step == "forward":
                continue  # one review level only
            assert r.status_code == 200, (step, r.text[:300])
        docs.append(doc)
    return docs


class Writers:
    """Clients writing in Sở TT&TT without pause (incoming registrations and drafts)."""

    def __init__(self, url, pdf, count):
        self.url, self.pdf, self.count = url, pdf, count
        self.stop = threading.Event()
        self.done = []
        self.failed = []

    def _incoming(self):
        today = datetime.date.today()
        return {"title": "V/v văn bản đến khi đo tải", "document_type": "cong_van", "code_number": "15",
                "code_notation": "UBND-VP", "issued_date": today.isoformat(),
                "issuing_agency_name": "UBND tỉnh Đồng Tháp", "issuing_agency_code": "000.00.00.H20",
                "signer_name": "Trần Văn Bình", "signer_position": "Phó Chủ tịch", "urgency": "thuong",
                "source": "paper", "register": True,
                "file": {"data": base64.b64encode(self.pdf).decode(), "encoding": "base64",
                         "filename": "cv.pdf", "content-type": "application/pdf"}}

    def _run(self, index):
        clerk, drafter = session("stttt.vanthu"), session("stttt.chuyenvien")
        while not self.stop.is_set():
            if index % 2 == 0:
                _t, r = post(clerk, f"{self.url}/so-tttt/@incoming", json=self._incoming())
            else:
                body = {"title": "V/v bản nháp khi đo tải", "document_type": "cong_van",
                        "drafting_department": "vp", "signer": "stttt.lanhdao",
                        "signer_position": "GIÁM ĐỐC",
                        "file": {"data": base64.b64encode(self.pdf).decode(), "encoding": "base64",
                                 "filename": "du-thao.pdf"}}
                _t, r = post(drafter, f"{self.url}/so-tttt/@outgoing", json=body)
            (self.done if r.status_code < 300 else self.failed).append(r.status_code)

    def __enter__(self):
        self.pool = ThreadPoolExecutor(self.count)
        self.started = time.perf_counter()
        self.futures = [self.pool.submit(self._run, i) for i in range(self.count)]
        time.sleep(0.5)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for f in self.futures:
            f.result()
        self.pool.shutdown()
        self.seconds = time.perf_counter() - self.started
        return False


def package(code, size, number):
    from dongthap.qlvb.demo.incoming import make_pdf
    from dongthap.qlvb.exchange import edxml
    from dongthap.qlvb.exchange.edxml.constants import VN_TZ

    sender = "000.00.01.G01"
    date = datetime.date.today() - datetime.timedelta(days=1)
    document_id = edxml.make_document_id(sender, date, number, "VPCP-TH")
    header = edxml.MessageHeader(
        from_=edxml.Organization(sender, "Chính phủ", "Văn phòng Chính phủ"),
        to=[edxml.Organization(code, organ_name="Sở TT&TT")], document_id=document_id,
        code=edxml.Code(number, "VPCP-TH"), promulgation_info=edxml.PromulgationInfo("Hà Nội", date),
        document_type=edxml.DocumentType("1", "0", "Công văn"),
        subject="V/v đo thời gian nhập gói tin lớn",
        signer_info=edxml.SignerInfo("", "Phó Chủ nhiệm", "Nguyễn Văn Bình"),
        other_info=edxml.OtherInfo(1, page_amount=1))
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader(sender, datetime.datetime.now(VN_TZ).replace(microsecond=0))],
        edxml.Bussiness(document_id, 0, "", 0, edxml.StaffInfo("Văn thư", "Lê Văn Thư")))
    main = make_pdf(["VĂN PHÒNG CHÍNH PHỦ", "Gói tin lớn"])
    annex = make_pdf(["Phụ lục"]) + b"%" + os.urandom(size // 2).hex().encode()
    return edxml.build_document(edxml.DocumentPackage(header, trace, [
        edxml.Attachment("cid:vb1", "vanban.pdf", "Văn bản", "application/pdf", main),
        edxml.Attachment("vb2", "phuluc.pdf", "Phụ lục", "application/pdf", annex)]))


def line(label, times, failures, writers=None):
    s = summary(times) if times else {"p50": 0}
    extra = ""
    if writers is not None:
        extra = (f"   writers: {len(writers.done)} writes in {writers.seconds:.0f} s, "
                 f"{len(writers.failed)} failed")
    print(f"  {label:<34} p50 {s['p50']:8.0f} ms  max {max(times or [0]) * 1000:8.0f} ms  "
          f"failed {failures}/{len(times) + failures}{extra}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--import-mb", type=int, default=20)
    parser.add_argument("--writers", type=int, default=2)
    args = parser.parse_args()
    from dongthap.qlvb.demo.incoming import make_pdf

    pdf = make_pdf(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Công văn đo phát hành khi tải"])
    with instance(None, demo=True, env={"QLVB_CLAMD_ENABLED": "0", "QLVB_TSA_URL": ""}) as url:
        admin = session("admin", "admin")
        recipient = admin.get(f"{url}/so-noi-vu").json()["UID"]
        code = admin.get(f"{url}/so-tttt").json()["agency_code"]
        clerk = session("stttt.vanthu")
        print(f"bench_under_load: {args.rounds} issues per case, {args.writers} writer(s), "
              f"import of {args.import_mb} MB, FileStorage, one waitress process, antivirus off, no TSA")
        alone = signed_documents(url, pdf, recipient, args.rounds + 1, "a")
        loaded = signed_documents(url, pdf, recipient, args.rounds, "b")
        post(clerk, f"{alone.pop(0)}/@workflow/issue", json={})  # warm-up
        for label, docs, load in (("issue, nobody else writing", alone, 0),
                                  ("issue, others writing", loaded, args.writers)):
            times, failures = [], 0
            writers = Writers(url, pdf, load) if load else None
            with writers or _nothing():
                for doc in docs:
                    t, r = post(clerk, f"{doc}/@workflow/issue", json={})
                    if r.status_code == 200:
                        times.append(t)
                    else:
                        failures += 1
                        print(f"    {r.status_code} {r.text[:200]}")
            line(label, times, failures, writers)
        size = args.import_mb * 1024 * 1024
        for index, (label, load) in enumerate((("import, nobody else writing", 0),
                                               ("import, others writing", args.writers))):
            data = package(code, size, str(900 + index))
            writers = Writers(url, pdf, load) if load else None
            with writers or _nothing():
                t, r = post(clerk, f"{url}/so-tttt/@edxml-import", data=data,
                            headers={"Content-Type": "application/xml"})
            if r.status_code >= 300:
                print(f"    {r.status_code} {r.text[:200]}")
            line(f"{label} ({len(data) // 1048576} MB)", [t] if r.status_code < 300 else [],
                 0 if r.status_code < 300 else 1, writers)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


if __name__ == "__main__":
    main()
