"""The transfer (nộp lưu) over real HTTP, with the leader's approval, written to
``docs/rest/archive_*.md``; the roles and agencies that are refused each step."""

from __future__ import annotations

import re

from tests.archive.test_rest_archive import _closed_dossier
from tests.dossiers.test_zz_browser import _give_keys
from tests.incoming.helpers import session
from tests.test_rest_docs import Recorder

TITLES = {
    "archive_transfer_propose": "Prepare a transfer list (records manager or the responsible person; "
                                "signs the handover record): `POST <agency>/@archive-transfers`",
    "archive_transfer_unapproved": "The archive cannot accept before the leader approved: "
                                   "`POST <agency>/@archive-transfers/<id>/accept`",
    "archive_transfer_approve": "The leader approves it: `POST <agency>/@archive-transfers/<id>/approve`",
    "archive_transfer_accept": "The archive signs and accepts: "
                               "`POST <agency>/@archive-transfers/<id>/accept`",
    "archive_dossier_transfer_refused": "No transfer around the approval: "
                                        "`POST <dossier>/@dossier-workflow/transfer`",
}
EXTRA = [(re.compile(r"NL-(19|20)\d{2}-\d{3}"), "NL-<year>-<n>"),
         (re.compile(r"\b\d{2,3}\.R[0-9A-F]{4}\b"), "<notation>"),
         (re.compile(r"hs-[a-z0-9]{10}"), "hs-xxxxxxxxxx")]


def test_transfer_with_the_leaders_approval_over_http(demo_server):
    url = demo_server["url"]
    _give_keys(demo_server, "stttt.chuyenvien", "stttt.luutru", "stttt.lanhdao")
    dossier = _closed_dossier(url)
    agency = f"{url}/so-tttt"
    rec = Recorder(url, TITLES, EXTRA)
    r = rec.call("archive_dossier_transfer_refused", "stttt.luutru", "POST",
                 f"{dossier['@id']}/@dossier-workflow/transfer", {"comment": "Nộp lưu"})
    assert r.status_code == 409 and "lãnh đạo cơ quan phê duyệt" in r.json()["error"]["message"]
    note = "Nộp lưu các hồ sơ năm 2025"
    r = rec.call("archive_transfer_propose", "stttt.chuyenvien", "POST", f"{agency}/@archive-transfers",
                 {"dossiers": [dossier["uid"]], "note": note})
    assert r.status_code == 201, r.text
    transfer = r.json()
    assert transfer["state"] == "proposed" and transfer["state_title"] == "Chờ lãnh đạo duyệt"
    tid = transfer["id"]
    r = rec.call("archive_transfer_unapproved", "stttt.luutru", "POST",
                 f"{agency}/@archive-transfers/{tid}/accept", {})
    assert r.status_code == 409 and "chưa được lãnh đạo cơ quan phê duyệt" in r.json()["error"]["message"]
    # nobody but this agency's leader approves; the one who prepared it may not either
    for user in ("stttt.chuyenvien", "stttt.luutru", "stttt.vanthu", "stttt.truongphong",
                 "snv.lanhdao", "ubnd.lanhdao"):
        r = session(user).post(f"{agency}/@archive-transfers/{tid}/approve", json={})
        assert r.status_code in (401, 403), (user, r.status_code, r.text)
    # another agency's staff do not see it
    for user in ("snv.lanhdao", "snv.luutru"):
        r = session(user).get(f"{agency}/@archive-transfers/{tid}")
        assert r.status_code in (401, 403), (user, r.status_code)
    r = rec.call("archive_transfer_approve", "stttt.lanhdao", "POST",
                 f"{agency}/@archive-transfers/{tid}/approve", {})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "approved" and r.json()["approved_by"] == "stttt.lanhdao"
    r = session("stttt.lanhdao").post(f"{agency}/@archive-transfers/{tid}/accept", json={})
    assert r.status_code == 403
    r = rec.call("archive_transfer_accept", "stttt.luutru", "POST",
                 f"{agency}/@archive-transfers/{tid}/accept", {})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["state"] == "accepted" and [h["action"] for h in done["history"]] == [
        "propose", "approve", "accept"]
    got = session("stttt.luutru").get(f"{dossier['@id']}/@dossier").json()
    assert got["review_state"] == "transferred"
    assert [e["action"] for e in got["log"]][-3:] == ["transfer_proposed", "transfer_approved", "transfer"]
