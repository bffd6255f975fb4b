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
}


class ReportRecorder(Recorder):
    def write(self, name, user, method, url, body, status, answer):
        from tests import test_rest_docs

        test_rest_docs.TITLES.setdefault(name, TITLES[name])
        if name == "reports_edoc_province" and answer:  # the demo agencies without documents: left out
            answer = dict(answer, rows=[r for r in answer["rows"] if r["received"]["total"]])
        super().write(name, user, method, url, body, status, answer)


def test_reports_by_example(server):
    rec = ReportRecorder(server["url"])
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
