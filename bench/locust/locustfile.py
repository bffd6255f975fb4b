"""Locust scenarios of a province's working day, through REST (run by bench/bench_cluster.py).

Run alone::

    QLVB_BENCH_PDF=van-ban.pdf .venv/bin/locust -f bench/locust/locustfile.py \\
        --host http://localhost:8080/qlvb --headless -u 20 -r 5 -t 60s

Environment: ``QLVB_BENCH_PDF`` (a readable PDF file sent with registrations and drafts),
``QLVB_BENCH_NUMBERS`` (a file; each registration appends ``<agency> <arrival number>`` so
the runner can check the register afterwards), ``QLVB_BENCH_AGENCIES`` (comma-separated
``path:login-prefix``, default: the five demo agencies with a Văn phòng ``vp``),
``QLVB_BENCH_FILES`` (the plain Plone folder of the baseline, default ``bench-files``,
created by the runner).

Users (weights): clerks register incoming paper documents with a PDF (3); leaders read their
list and assign (1); specialists read their lists, open documents and search (4); drafters
write an outgoing công văn, which goes submit → approve → sign → issue (1); the baseline
creates plain plone.restapi Files and lists a plain folder (1) – the same server, the same
run, none of our code on the way.
"""

from __future__ import annotations

import base64
import datetime
import os
import random
import threading

from locust import HttpUser, between, task

PASSWORD = "Demo@2026"
DEFAULT_AGENCIES = "so-tttt:stttt,so-noi-vu:snv,so-tai-chinh:stc,phuong-cao-lanh:caolanh,xa-my-tho:mytho"
AGENCIES = [tuple(item.split(":", 1)) for item in
            os.environ.get("QLVB_BENCH_AGENCIES", DEFAULT_AGENCIES).split(",") if item]
FILES = os.environ.get("QLVB_BENCH_FILES", "bench-files")
JSON = {"Accept": "application/json"}

def _pdf() -> bytes:
    path = os.environ.get("QLVB_BENCH_PDF")
    if not path:  # the system refuses anything but a readable PDF
        raise SystemExit("set QLVB_BENCH_PDF to a PDF file (bench/bench_cluster.py writes one)")
    with open(path, "rb") as fh:
        return fh.read()


PDF_B64 = base64.b64encode(_pdf()).decode()
_NUMBERS_LOCK = threading.Lock()
_SERIAL = iter(range(1, 10**9))


def _file(name):
    return {"data": PDF_B64, "encoding": "base64", "filename": name, "content-type": "application/pdf"}


def _record_number(agency, number):
    target = os.environ.get("QLVB_BENCH_NUMBERS")
    if target and number is not None:
        with _NUMBERS_LOCK, open(target, "a", encoding="utf-8") as out:
            out.write(f"{agency} {number}\n")


class _Staff(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.agency, self.prefix = random.choice(AGENCIES)
        self.client.auth = (f"{self.prefix}.{self.role}", PASSWORD)
        self.client.headers.update(JSON)

    def _ok(self, response, what):
        if response.status_code >= 300:
            response.failure(f"{what}: {response.status_code} {response.text[:200]}")
            return None
        try:
            return response.json() if response.content else {}
        except ValueError:
            response.failure(f"{what}: not JSON")
            return None


class Clerk(_Staff):
    """Văn thư: registers incoming paper documents (REST with a PDF)."""

    weight = 3
    role = "vanthu"
    wait_time = between(1, 3)

    @task
    def register_incoming(self):
        today = datetime.date.today()
        serial = next(_SERIAL)
        body = {"title": f"V/v đo tải cụm máy chủ số {serial}", "document_type": "cong_van",
                "code_number": str(random.randint(100, 99999)), "code_notation": f"UBND-T{serial}",
                "issued_date": today.isoformat(), "issuing_agency_name": "UBND tỉnh Đồng Tháp",
                "issuing_agency_code": "000.00.00.H20", "signer_name": "Trần Văn Bình",
                "signer_position": "Phó Chủ tịch", "urgency": "thuong", "source": "paper",
                "due_date": (today + datetime.timedelta(days=10)).isoformat(),
                "file": _file(f"vbd-{serial}.pdf"), "register": True}
        with self.client.post(f"/{self.agency}/@incoming", json=body, name="incoming: register (PDF)",
                              catch_response=True) as response:
            data = self._ok(response, "register")
            if data is not None:
                _record_number(self.agency, data.get("arrival_number"))


class Leader(_Staff):
    """Lãnh đạo: reads the documents waiting for assignment and assigns one."""

    weight = 1
    role = "lanhdao"
    wait_time = between(1, 3)

    @task
    def assign(self):
        with self.client.get(f"/{self.agency}/@incoming", name="incoming: leader's list",
                             catch_response=True) as response:
            data = self._ok(response, "list")
        waiting = (data or {}).get("waiting_assignment") or []
        if not waiting:
            return
        doc = random.choice(waiting[:20])["url"]
        deadline = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
        body = {"lead": {"user": f"{self.prefix}.truongphong", "department": "vp", "deadline": deadline},
                "direction": "Văn phòng chủ trì, tham mưu trả lời."}
        with self.client.post(f"{doc}/@assign", json=body, name="incoming: assign", catch_response=True) as r:
            if r.status_code == 409 or (r.status_code == 400 and "assign" in r.text.lower()):
                r.success()  # another leader was first: what a person sees too
            else:
                self._ok(r, "assign")


class Specialist(_Staff):
    """Chuyên viên: reads the lists, opens documents, searches."""

    weight = 4
    role = "chuyenvien"
    wait_time = between(1, 3)

    @task(3)
    def read(self):
        with self.client.get(f"/{self.agency}/@incoming", name="incoming: list", catch_response=True) as r:
            data = self._ok(r, "list")
        items = [*(data or {}).get("my_work", []), *(data or {}).get("waiting_assignment", [])]
        if items:
            self.client.get(random.choice(items)["url"], name="document: read")

    @task(1)
    def search(self):
        word = random.choice(("chuyen doi so", "bao cao", "ke hoach", "do tai", "ubnd tinh"))
        with self.client.get(f"/{self.agency}/@search-documents", params={"text": word, "b_size": 20},
                             name="search", catch_response=True) as r:
            self._ok(r, "search")


class Drafter(_Staff):
    """Chuyên viên drafts an outgoing công văn; the leader approves and signs; the clerk issues it."""

    weight = 1
    role = "chuyenvien"
    wait_time = between(1, 3)

    def on_start(self):
        super().on_start()
        other = random.choice([path for path, _prefix in AGENCIES if path != self.agency] or [self.agency])
        admin = ("admin", os.environ.get("QLVB_BENCH_ADMIN_PASSWORD", "admin"))  # other agencies are closed
        response = self.client.get(f"/{other}", name="setup: recipient agency", auth=admin)
        self.recipient = response.json()["UID"] if response.status_code == 200 else None

    def _as(self, role):
        return (f"{self.prefix}.{role}", PASSWORD)

    @task
    def draft_to_issue(self):
        serial = next(_SERIAL)
        body = {"title": f"V/v đo tải dự thảo số {serial}", "document_type": "cong_van",
                "drafting_department": "vp", "signer": f"{self.prefix}.lanhdao",
                "signer_position": "GIÁM ĐỐC", "internal_recipients": [self.recipient],
                "file": _file(f"du-thao-{serial}.pdf")}
        with self.client.post(f"/{self.agency}/@outgoing", json=body, name="outgoing: draft",
                              catch_response=True) as r:
            data = self._ok(r, "draft")
        if not data:
            return
        doc = data["url"]
        for role, step in (("chuyenvien", "submit"), ("truongphong", "forward"), ("lanhdao", "approve"),
                           ("lanhdao", "sign"), ("vanthu", "issue")):
            with self.client.post(f"{doc}/@workflow/{step}", json={}, auth=self._as(role),
                                  name=f"outgoing: {step}", catch_response=True) as r:
                if step == "forward" and r.status_code >= 300:
                    r.success()  # one review level only in this agency
                    continue
                if self._ok(r, step) is None:
                    return


class Baseline(HttpUser):
    """Plain Plone through plone.restapi: File creation and a folder listing (no code of ours)."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.client.auth = ("admin", os.environ.get("QLVB_BENCH_ADMIN_PASSWORD", "admin"))
        self.client.headers.update(JSON)

    @task
    def create_file(self):
        serial = next(_SERIAL)
        body = {"@type": "File", "title": f"Tệp đo tải {serial}", "file": _file(f"tep-{serial}.pdf")}
        with self.client.post(f"/{FILES}", json=body, name="baseline: restapi File create",
                              catch_response=True) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:200]}")

    @task
    def list_folder(self):
        self.client.get(f"/{FILES}", name="baseline: folder listing")
