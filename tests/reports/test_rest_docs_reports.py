"""The reports REST API by example (``docs/rest/reports_*.md``), written like ``tests/test_rest_docs.py``."""

from tests.reports import dataset as D
from tests.test_rest_docs import Recorder

TITLES = {
    "reports_list": "The reports the user may see: `GET <agency>/@reports`",
    "reports_edoc_province": "QĐ 595, the province (provincial administrator): "
                             "`GET @reports/edoc?year=2026&quarter=1`",
    "reports_processing": "Tình hình giải quyết văn bản đến (leader): "
                          "`GET <agency>/@reports/processing?kind=incoming`",
    "reports_dashboard": "The leaders' dashboard: `GET <agency>/@reports/dashboard`",
    "reports_bad_input": "Bad input: a translated error",
    "export_jobs_start": "Export in the background: `POST <agency>/@export-jobs`",
    "export_jobs_done": "Its progress, and the download link when done: `GET @export-jobs/<id>`",
}


class ReportRecorder(Recorder):
    def write(self, name, user, method, url, body, status, answer):
        if name == "reports_edoc_province" and answer:  # the demo agencies without documents: left out
            answer = dict(answer, rows=[r for r in answer["rows"] if r["received"]["total"]])
        super().write(name, user, method, url, body, status, answer)


def test_reports_by_example(server):
    rec = ReportRecorder(server["url"], TITLES)
    r = rec.call("reports_list", "stttt.lanhdao", "GET", "so-tttt/@reports")
    assert [i["name"] for i in r.json()["items"]] == ["edoc", "processing", "processing", "dashboard"]
    r = rec.call("reports_edoc_province", "qtht", "GET", "@reports/edoc?year=2026&quarter=1")
    assert r.status_code == 200 and r.json()["totals"]["received"]["total"] == 7
    r = rec.call("reports_processing", "stttt.lanhdao", "GET",
                 "so-tttt/@reports/processing?kind=incoming&from=01/01/2026&to=31/03/2026")
    assert r.json()["counts"] == D.EXPECTED_PROCESSING
    r = rec.call("reports_dashboard", "stttt.lanhdao", "GET", "so-tttt/@reports/dashboard")
    assert r.status_code == 200 and len(r.json()["trend"]) == 12
    r = rec.call("reports_bad_input", "stttt.lanhdao", "GET", "so-tttt/@reports/edoc?year=2026&quarter=5")
    assert r.status_code == 400


def test_export_jobs_by_example(server, tmp_path, monkeypatch):
    import requests

    token = tmp_path / "exchange-worker.token"
    token.write_text("tick-token-for-docs")
    monkeypatch.setenv("QLVB_EXCHANGE_TOKEN_FILE", str(token))
    rec = ReportRecorder(server["url"], TITLES)
    r = rec.call("export_jobs_start", "stttt.lanhdao", "POST", "so-tttt/@export-jobs",
                 {"kind": "report", "name": "edoc",
                  "params": {"format": "xlsx", "from": "01/01/2026", "to": "31/03/2026"}})
    assert r.status_code == 201, r.text
    tick = requests.post(f"{server['url']}/@@exchange-worker-tick", timeout=300,
                         headers={"X-Qlvb-Worker-Token": "tick-token-for-docs"})
    assert tick.json()["export_jobs"]["made"] == 1
    r = rec.call("export_jobs_done", "stttt.lanhdao", "GET", r.json()["@id"])
    assert r.json()["state"] == "done" and r.json()["download"].endswith("/download")
