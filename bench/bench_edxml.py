"""Throughput of the edXML builder and parser with a 2 MB attachment.

Not a test: run ``python bench/bench_edxml.py [--seconds S]``.  Baselines are
measured in the same run on the same bytes: base64-encoding the attachment
(the floor for building) and a raw ``lxml.etree.fromstring`` (the floor for
parsing).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import os
import sys
import time
from pathlib import Path

try:
    from dongthap.qlvb.exchange import edxml
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from dongthap.qlvb.exchange import edxml

from lxml import etree

from dongthap.qlvb.exchange.edxml.constants import NS, VN_TZ

ENCODED = f"{{{NS}}}AttachmentEncoded/{{{NS}}}Attachment/{{{NS}}}ContentTransferEncoded"

ATTACHMENT_SIZE = 2 * 1024 * 1024


def sample() -> edxml.DocumentPackage:
    """A realistic document package with one 2 MB attachment."""
    date = datetime.date(2024, 3, 5)
    header = edxml.MessageHeader(
        from_=edxml.Organization("000.00.14.H20", "UBND tỉnh Đồng Tháp", "Sở TT&TT"),
        to=[edxml.Organization(f"000.00.{i:02d}.H20", organ_name=f"Đơn vị {i}") for i in range(1, 21)],
        document_id=edxml.make_document_id("000.00.14.H20", date, "125", "STTTT-VP"),
        code=edxml.Code("125", "STTTT-VP"),
        promulgation_info=edxml.PromulgationInfo("Đồng Tháp", date),
        document_type=edxml.DocumentType("1", "0", "Công văn"),
        subject="V/v báo cáo tình hình ứng dụng công nghệ thông tin năm 2024",
        signer_info=edxml.SignerInfo("Thủ trưởng", "Giám đốc", "Nguyễn Văn A"),
        other_info=edxml.OtherInfo(priority=1, page_amount=3),
    )
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader("000.00.14.H20", datetime.datetime(2024, 3, 5, 8, 30, tzinfo=VN_TZ))],
        edxml.Bussiness(header.document_id, 0, "", 0, edxml.StaffInfo("VP", "Văn thư")),
    )
    blob = b"%PDF-1.7\n" + os.urandom(ATTACHMENT_SIZE - 9)
    attachments = [edxml.Attachment("a1", "van_ban.pdf", "Văn bản chính", "application/pdf", blob)]
    return edxml.DocumentPackage(header, trace, attachments)


def rate(func, seconds: float) -> tuple[float, int]:
    """Calls per second of ``func`` over about ``seconds`` (after one warm-up)."""
    func()
    count, start = 0, time.perf_counter()
    while True:
        func()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed, count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args(argv)

    pkg = sample()
    today = datetime.date(2024, 3, 10)
    data = edxml.build_document(pkg, today=today)
    blob = pkg.attachments[0].data
    assert edxml.parse(data) == pkg

    rows = [
        ("build_document()", rate(lambda: edxml.build_document(pkg, today=today), args.seconds)),
        ("  baseline: base64 encode", rate(lambda: base64.b64encode(blob), args.seconds)),
        ("parse()", rate(lambda: edxml.parse(data), args.seconds)),
        ("  baseline: lxml fromstring", rate(
            lambda: etree.fromstring(data, etree.XMLParser(huge_tree=True)), args.seconds)),
        ("  baseline: lxml + b64decode", rate(lambda: base64.b64decode(
            etree.fromstring(data, etree.XMLParser(huge_tree=True)).findtext(ENCODED)), args.seconds)),
    ]
    size_mb = len(data) / 1e6
    print(f"edXML benchmark — package {size_mb:.2f} MB, attachment {len(blob) / 1e6:.2f} MB, "
          f"python {sys.version.split()[0]}, lxml {etree.__version__}")
    print(f"{'operation':32} {'packages/s':>11} {'MB/s':>9} {'runs':>6}")
    for name, (per_s, runs) in rows:
        print(f"{name:32} {per_s:11.1f} {per_s * size_mb:9.1f} {runs:6d}")
    build, b64 = rows[0][1][0], rows[1][1][0]
    parse, raw = rows[2][1][0], rows[4][1][0]
    print(f"build is {b64 / build:.2f}x the cost of base64 alone; "
          f"parse is {raw / parse:.2f}x the cost of lxml + b64decode")


if __name__ == "__main__":
    main()
