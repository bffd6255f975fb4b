#!/usr/bin/env python3
"""Issue + deliver latency of an outgoing document for 1, 10 and 50 internal recipients.

Run: .venv/bin/python bench/bench_outgoing.py   (starts its own temporary instance with the demo)
Each round drafts a công văn through REST (Sở TT&TT, one review level), submits, approves and
signs it (the leader's server-held test key), then times the clerk's ``@workflow/issue``: number
from the register, agency signature (PAdES, seal image), one received copy per recipient agency
(blob copy, catalog), delivery status — one transaction. The sign step is timed for comparison.
"""

from pathlib import Path

import base64
import sys
import time

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "src"))
from _server import instance  # noqa: E402
from _server import summary  # noqa: E402

import requests  # noqa: E402

ROUNDS = 5
PW = "Demo@2026"


def session(user):
    s = requests.Session()
    s.auth = (user, PW)
    s.headers["Accept"] = "application/json"
    return s


def post(s, url, **kw):
    start = time.perf_counter()
    r = s.post(url, timeout=600, **kw)
    elapsed = time.perf_counter() - start
    if r.status_code >= 300:
        raise RuntimeError(f"{url}: {r.status_code} {r.text[:500]}")
    return elapsed, r.json()


def main():
    from dongthap.qlvb.demo.incoming import make_pdf

    pdf = make_pdf(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Công văn đo hiệu năng phát hành"])
    # No clamd here: scanning off (the antivirus capability refuses uploads when clamd is
    # unreachable); bench_antivirus.py measures scanning (~100-180 MB/s).
    with instance(Path(__file__).parent / "setup_outgoing.py", demo=True,
                  env={"QLVB_CLAMD_ENABLED": "0"}) as url:
        admin = requests.Session()
        admin.auth = ("admin", "admin")
        admin.headers["Accept"] = "application/json"
        uids = [admin.get(f"{url}/bench-nhan-{i:02d}").json()["UID"] for i in range(50)]
        drafter, leader, clerk = (session(f"stttt.{u}") for u in ("chuyenvien", "lanhdao", "vanthu"))
        print(f"bench_outgoing: {ROUNDS} rounds per size, one client, FileStorage, one waitress process, "
              f"PDF {len(pdf)} bytes, no TSA, antivirus off")
        for size in (1, 10, 50):
            issue_times, sign_times = [], []
            for n in range(ROUNDS + 1):
                body = {"title": f"V/v đo hiệu năng {size}-{n}", "document_type": "cong_van",
                        "drafting_department": "vp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
                        "internal_recipients": uids[:size],
                        "file": {"data": base64.b64encode(pdf).decode(), "encoding": "base64",
                                 "filename": "cv.pdf"}}
                _t, doc = post(drafter, f"{url}/so-tttt/@outgoing", json=body)
                post(drafter, f"{doc['url']}/@workflow/submit", json={})
                post(leader, f"{doc['url']}/@workflow/approve", json={})
                sign_t, _r = post(leader, f"{doc['url']}/@workflow/sign", json={})
                issue_t, result = post(clerk, f"{doc['url']}/@workflow/issue", json={})
                status = clerk.get(f"{doc['url']}/@delivery-status").json()
                assert len(status["items"]) == size and result["review_state"] == "issued"
                if n:  # the first round warms up
                    issue_times.append(issue_t)
                    sign_times.append(sign_t)
            s_issue, s_sign = summary(issue_times), summary(sign_times)
            print(f"  {size:>2} recipient(s): issue+deliver p50 {s_issue['p50']:7.0f} ms  "
                  f"mean {s_issue['mean']:7.0f} ms  max {max(issue_times) * 1000:7.0f} ms   "
                  f"(sign as person p50 {s_sign['p50']:5.0f} ms)")


if __name__ == "__main__":
    main()
