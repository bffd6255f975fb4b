"""Background exports (reports/jobs.py) through real HTTP: started with ``POST @export-jobs`` or the
"Xuất trong nền" form, made by the worker's tick (``POST @@exchange-worker-tick``), progress and
errors visible, the file only for its owner; two concurrent worker rounds make a job once."""

from tests.reports import dataset as D  # noqa: F401 - the dataset the server fixture builds

import io
import pytest
import requests
import threading

PW = "Demo@2026"
Q1 = {"from": "01/01/2026", "to": "31/03/2026"}
JSON = {"Accept": "application/json"}


def call(method, user, url, **kwargs):
    auth = (user, PW) if user else None
    return requests.request(method, url, auth=auth, headers=JSON, timeout=120, **kwargs)


@pytest.fixture
def tick(server, tmp_path, monkeypatch):
    token = tmp_path / "exchange-worker.token"
    token.write_text("tick-token-for-tests")
    monkeypatch.setenv("QLVB_EXCHANGE_TOKEN_FILE", str(token))

    def run():
        r = requests.post(f"{server['url']}/@@exchange-worker-tick",
                          headers={"X-Qlvb-Worker-Token": "tick-token-for-tests"}, timeout=300)
        assert r.status_code == 200, r.text
        return r.json()["export_jobs"]

    return run


def test_report_export_in_background(server, tick):
    url = server["url"]
    r = call("POST", "stttt.lanhdao", f"{url}/so-tttt/@export-jobs",
             json={"kind": "report", "name": "processing",
                   "params": {"kind": "incoming", "format": "xlsx", **Q1}})
    assert r.status_code == 201, r.text
    job = r.json()
    assert job["state"] == "queued" and job["progress"] == 0 and job["download"] is None
    assert job["title"] == "Báo cáo tình hình giải quyết văn bản đến"

    # not made in the request: nothing to download yet
    assert call("GET", "stttt.lanhdao", f"{job['@id']}/download").status_code == 409
    listed = call("GET", "stttt.lanhdao", f"{url}/@export-jobs").json()
    assert [item["id"] for item in listed["items"]] == [job["id"]]
    assert call("GET", "snv.lanhdao", f"{url}/@export-jobs").json()["items"] == []

    assert tick() == {"made": 1, "removed": 0}
    done = call("GET", "stttt.lanhdao", job["@id"]).json()
    assert done["state"] == "done" and done["progress"] == 100 and done["error"] is None
    assert tick()["made"] == 0  # made once

    r = call("GET", "stttt.lanhdao", done["download"])
    assert r.status_code == 200, r.text
    assert r.headers["Content-Disposition"].startswith('attachment; filename="bao-cao-tinh-hinh-giai-quyet')
    from openpyxl import load_workbook

    cells = [c.value for row in load_workbook(io.BytesIO(r.content)).active.iter_rows() for c in row]
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN" in cells

    # only its owner: another user of the same agency, of another agency, anonymous
    assert call("GET", "stttt.vanthu", done["download"]).status_code == 403
    assert call("GET", "snv.lanhdao", done["download"]).status_code == 403
    assert call("GET", "snv.lanhdao", job["@id"]).status_code == 403
    assert call("GET", None, done["download"]).status_code == 401
    # the page of the browser: the owner's list and download, nobody else's
    page = requests.get(f"{url}/@@tep-xuat-cua-toi", auth=("stttt.lanhdao", PW), timeout=60)
    assert page.status_code == 200 and "Tệp xuất của tôi" in page.text and "Sẵn sàng" in page.text
    link = f"{url}/@@tai-tep-xuat?id={job['id']}"
    assert link in page.text
    assert requests.get(link, auth=("stttt.lanhdao", PW), timeout=60).content == r.content
    other = requests.get(link, auth=("snv.lanhdao", PW), timeout=60, allow_redirects=False)
    assert other.status_code in (302, 401, 403) and other.content != r.content

    # forgetting it: only its owner
    assert call("DELETE", "snv.lanhdao", f"{url}/@export-jobs/{job['id']}").status_code == 403
    assert call("DELETE", "stttt.lanhdao", f"{url}/@export-jobs/{job['id']}").status_code == 204
    assert call("GET", "stttt.lanhdao", job["@id"]).status_code == 404


def test_register_export_from_the_page_and_refusals(server, tick):
    url = server["url"]
    session = requests.Session()
    session.auth = ("stttt.vanthu", PW)
    page = session.get(f"{url}/so-tttt/@@so-bao-cao", timeout=60)
    assert page.status_code == 200 and "Tệp xuất của tôi" in page.text and "Xuất trong nền" in page.text
    import re

    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    r = session.post(f"{url}/so-tttt/@@xuat-trong-nen", timeout=60,
                     data={"_authenticator": token, "kind": "register", "register": "incoming",
                           "format": "xlsx", "from": "01/01/2026", "to": "31/12/2026"})
    assert r.status_code == 200 and r.url.endswith("/@@tep-xuat-cua-toi")
    assert "Đang chờ" in r.text
    assert r.headers.get("Refresh") == "15"  # reloads itself while a job waits
    # without the authenticator: refused, nothing queued
    bare = {"kind": "register", "register": "incoming", "format": "xlsx"}
    assert session.post(f"{url}/so-tttt/@@xuat-trong-nen", timeout=60, data=bare).status_code == 403
    jobs = call("GET", "stttt.vanthu", f"{url}/@export-jobs").json()["items"]
    assert len(jobs) == 1 and jobs[0]["kind"] == "register" and jobs[0]["state"] == "queued"

    assert tick()["made"] == 1
    job = call("GET", "stttt.vanthu", jobs[0]["@id"]).json()
    assert job["state"] == "done", job
    from openpyxl import load_workbook

    data = call("GET", "stttt.vanthu", job["download"]).content
    assert load_workbook(io.BytesIO(data)).active.max_row > 3

    # refused at once: bad format, a register of another agency, anonymous
    r = call("POST", "stttt.vanthu", f"{url}/so-tttt/@export-jobs",
             json={"kind": "register", "name": "incoming", "params": {"format": "doc"}})
    assert r.status_code == 400 and "định dạng" in r.json()["error"]["message"].lower(), r.text
    other = call("POST", "snv.lanhdao", f"{url}/so-tttt/@export-jobs",
                 json={"kind": "register", "name": "incoming", "params": {"format": "xlsx"}})
    assert other.status_code in (401, 403)
    assert call("POST", None, f"{url}/so-tttt/@export-jobs",
                json={"kind": "report", "name": "edoc", "params": {"format": "xlsx"}}).status_code == 401


def test_failing_job_shows_its_error(server, tick):
    url = server["url"]
    r = call("POST", "stttt.lanhdao", f"{url}/so-tttt/@export-jobs",
             json={"kind": "report", "name": "processing",
                   "params": {"kind": "incoming", "format": "pdf", "department": "khong-co", **Q1}})
    assert r.status_code == 201, r.text
    assert tick()["made"] == 1
    job = call("GET", "stttt.lanhdao", r.json()["@id"]).json()
    assert job["state"] == "failed" and job["download"] is None
    assert job["error"] and "phòng" in job["error"].lower(), job["error"]
    assert call("GET", "stttt.lanhdao", f"{r.json()['@id']}/download").status_code == 409
    page = requests.get(f"{url}/@@tep-xuat-cua-toi", auth=("stttt.lanhdao", PW), timeout=60).text
    assert "Không thành công" in page and job["error"] in page


def test_two_concurrent_rounds_make_a_job_once(server, demo_server, monkeypatch):
    import transaction

    from dongthap.qlvb.reports import jobs
    from zope.component.hooks import setSite

    url = server["url"]
    r = call("POST", "stttt.lanhdao", f"{url}/so-tttt/@export-jobs",
             json={"kind": "report", "name": "edoc", "params": {"format": "xlsx", **Q1}})
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]

    made = []
    render = jobs._render
    monkeypatch.setattr(jobs, "_render", lambda job, site: made.append(job.id) or render(job, site))
    claim = jobs.claim
    barrier = threading.Barrier(2, timeout=60)

    def claim_together(job, worker="", txn=None):
        job.state  # noqa: B018 - both rounds have read the job as queued before either commits
        barrier.wait()
        return claim(job, worker, txn)

    monkeypatch.setattr(jobs, "claim", claim_together)
    db = demo_server["layer"]["portal"]._p_jar.db()
    results = []

    def round_():
        connection = db.open()
        try:
            from Testing.makerequest import makerequest

            site = makerequest(connection.root()["Application"])["plone"]
            setSite(site)
            results.append(jobs.run_pending(site))
        finally:
            transaction.abort()
            setSite(None)
            connection.close()

    threads = [threading.Thread(target=round_) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert made == [job_id]
    assert sorted(result["made"] for result in results) == [0, 1]
    job = call("GET", "stttt.lanhdao", f"{url}/@export-jobs/{job_id}").json()
    assert job["state"] == "done"
    assert call("GET", "stttt.lanhdao", job["download"]).status_code == 200
