"""The agency archive in a Plone site: transfer accept/return with two PAdES signatures, documents
archived with their dossier, export → import round trip, legal hold and disposal, 30-day warning."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from plone import api

from dongthap.qlvb.archive import api as archive
from dongthap.qlvb.archive import retention as ret
from dongthap.qlvb.archive.package import read_package
from dongthap.qlvb.dossiers import api as dossiers
from tests.dossiers.helpers import dossier_values, fresh, incoming_doc

RM, LD, SP, CL = "stttt.luutru", "stttt.lanhdao", "stttt.chuyenvien", "stttt.vanthu"


def give_key(userid):
    """A personal test certificate for ``userid`` (as the demo gives its leaders)."""
    from dongthap.qlvb.signing import settings as cfg
    from dongthap.qlvb.signing import usercerts
    from dongthap.qlvb_testing.signing_demo import _install_key, _png
    from dongthap.qlvb_testing.testpki import ensure_test_pki, issue_identity

    keys = cfg.keys_dir()
    if (keys / "users" / userid / "person.p12").is_file():  # key kept, registration rolled back
        from cryptography.hazmat.primitives import serialization

        cert = cfg.person_signer(userid).certificate
        with api.env.adopt_roles(["Manager"]):
            usercerts.register(userid=userid, data=cert.public_bytes(serialization.Encoding.PEM))
        return
    pki = ensure_test_pki(keys.parent / "test-pki")
    user = api.user.get(userid=userid)
    fullname = user.getProperty("fullname") or userid
    person = issue_identity(pki, f"person_{userid.replace('.', '_')}", common_name=fullname,
                            organisation="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", given=fullname.split()[-1],
                            surname=fullname.split()[0], title="Cán bộ")
    _install_key(keys / "users" / userid, "person", person, _png("signature"))
    with api.env.adopt_roles(["Manager"]):
        usercerts.register(userid=userid, data=person.cert_pem.read_bytes())


def closed_dossier(portal, numbers=("61",), user=SP, **overrides):
    docs = [incoming_doc(portal, code_number=n, issued_date=f"2025-0{i + 1}-1{i}")
            for i, n in enumerate(numbers)]
    with api.env.adopt_user(username=user):
        values = dossiers.clean_dossier(dossier_values(notation=f"{numbers[0]}.LT", **overrides),
                                        agency=portal["so-tttt"])
        dossier = dossiers.create_dossier(portal["so-tttt"], values, year=2025)
    with api.env.adopt_user(username=CL):
        dossiers.file_documents(dossier, [api.content.get_uuid(d) for d in docs])
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=user):
        dossiers.close_dossier(dossier, "Kết thúc")
    fresh(portal.REQUEST)
    return dossier, docs


def as_rm(fn, *args, **kwargs):
    """Call an archive function as the records manager (the tests' own user sees nothing)."""
    with api.env.adopt_user(username=RM):
        return fn(*args, **kwargs)


def _signatures(pdf: bytes) -> list[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return [s.field_name for s in PdfFileReader(io.BytesIO(pdf)).embedded_signatures]


def test_transfer_accepted_signed_by_both_sides_documents_archived(portal, pdf_text):
    give_key(SP)
    give_key(RM)
    agency = portal["so-tttt"]
    dossier, docs = closed_dossier(portal, ("61", "62"))
    uid = api.content.get_uuid(dossier)
    with api.env.adopt_user(username=SP):
        transfer = archive.submit_transfer(agency, [uid], note="Nộp lưu năm 2026")
    assert transfer["state"] == "proposed" and transfer["history"][0]["action"] == "propose"
    assert transfer["totals"] == {"dossiers": 1, "documents": 2, "pages": 4}
    handover = bytes(as_rm(archive.transfer_file, agency, transfer["id"], "handover").data)
    assert len(_signatures(handover)) == 1
    text = pdf_text(handover)
    assert "BIÊN BẢN GIAO NHẬN TÀI LIỆU NỘP LƯU" in text and "Số lượng văn bản 2" in text
    assert "Số lượng trang 4" in text and "ĐẠI DIỆN BÊN GIAO" in text
    listing = pdf_text(bytes(as_rm(archive.transfer_file, agency, transfer["id"], "list").data))
    assert "MỤC LỤC HỒ SƠ" in listing and "61.LT" in listing and "10 năm" in listing
    # the archive staff and the submitter see the transfer; other staff do not
    with api.env.adopt_user(username=LD):
        assert transfer["id"] in [t["id"] for t in archive.transfers(agency)]
    with api.env.adopt_user(username=CL):
        assert archive.transfers(agency) == []
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.transfer_file(agency, transfer["id"], "handover")
        assert refused.value.status == 403
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.disposals(agency)
        assert refused.value.status == 403
    # the same dossier cannot be handed over twice; a specialist cannot accept
    with api.env.adopt_user(username=SP), pytest.raises(archive.ArchiveRefused) as refused:
        archive.submit_transfer(agency, [uid])
    assert refused.value.status == 409
    with api.env.adopt_user(username=SP), pytest.raises(archive.ArchiveRefused) as refused:
        archive.accept_transfer(agency, transfer["id"])
    assert refused.value.status == 403
    fresh(portal.REQUEST)
    # the archive cannot accept before the leader approved
    with api.env.adopt_user(username=RM), pytest.raises(archive.ArchiveRefused) as refused:
        archive.accept_transfer(agency, transfer["id"])
    assert refused.value.status == 409 and refused.value.message.default.startswith("Transfer ${id} has not")
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=LD):
        approved = archive.approve_transfer(agency, transfer["id"])
    assert approved["state"] == "approved" and approved["approved_by"] == LD
    assert [h["action"] for h in approved["history"]] == ["propose", "approve"]
    assert [e["action"] for e in dossiers.log_entries(dossier)][-2:] == ["transfer_proposed",
                                                                         "transfer_approved"]
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        accepted = archive.accept_transfer(agency, transfer["id"])
    assert accepted["state"] == "accepted" and [s["side"] for s in accepted["signatures"]] == ["giver",
                                                                                               "receiver"]
    assert [h["action"] for h in accepted["history"]] == ["propose", "approve", "accept"]
    signed = bytes(as_rm(archive.transfer_file, agency, transfer["id"], "handover").data)
    assert len(_signatures(signed)) == 2
    from dongthap.qlvb.signing.api import verify_bytes

    report = verify_bytes(signed)
    assert len(report["signatures"]) == 2
    assert all(s["intact"] and s["crypto_valid"] and s["trusted"] for s in report["signatures"])
    assert api.content.get_state(dossier) == "transferred"
    assert [api.content.get_state(d) for d in docs] == ["archived", "archived"]
    fresh(portal.REQUEST)
    # read-only for the former owner, and the archive cannot change it either
    assert api.user.has_permission("View", username=SP, obj=dossier)
    assert not api.user.has_permission("Modify portal content", username=SP, obj=dossier)
    with api.env.adopt_user(username=RM), pytest.raises(archive.ArchiveRefused) as refused:
        archive.accept_transfer(agency, transfer["id"])
    assert refused.value.status == 409


def test_transfer_returned_with_reasons_and_same_person_refused(portal):
    give_key(RM)
    agency = portal["so-tttt"]
    dossier, _docs = closed_dossier(portal, ("71",))
    uid = api.content.get_uuid(dossier)
    with api.env.adopt_user(username=RM):
        transfer = archive.submit_transfer(agency, [uid])  # the records manager on the unit's behalf
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.return_transfer(agency, transfer["id"], "Thiếu")  # the leader's turn, not his
        assert refused.value.status == 403
    # the leader sends it back: a reason is required
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=LD):
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.return_transfer(agency, transfer["id"], "   ")
        assert refused.value.errors[0]["field"] == "reasons"
        returned = archive.return_transfer(agency, transfer["id"], "Thiếu biên bản họp, bổ sung rồi nộp lại")
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.approve_transfer(agency, transfer["id"])  # decided
        assert refused.value.status == 409
    assert returned["state"] == "returned" and returned["reasons"].startswith("Thiếu biên bản")
    assert returned["returned_by"] == "leader" and returned["history"][-1]["reason"].startswith("Thiếu")
    assert api.content.get_state(dossier) == "closed"
    assert dossiers.log_entries(dossier)[-1]["action"] == "transfer_returned"
    # prepared again after the correction; approved; the archive cannot receive from himself
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        again = archive.submit_transfer(agency, [uid])
    assert again["id"] != transfer["id"] and again["state"] == "proposed"
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=LD):
        archive.approve_transfer(agency, again["id"])
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.accept_transfer(agency, again["id"])  # cannot receive from himself
        assert refused.value.status == 409
        back = archive.return_transfer(agency, again["id"], "Hồ sơ thiếu trang bìa")
    assert back["state"] == "returned" and back["returned_by"] == "archive"
    # an open dossier cannot be handed over; an unknown one is 404
    with api.env.adopt_user(username=RM), pytest.raises(archive.ArchiveRefused) as refused:
        archive.submit_transfer(agency, ["no-such-uid"])
    assert refused.value.status == 404


def test_thirty_day_warning_with_frozen_clock(portal):
    agency = portal["so-tttt"]
    dossier, _docs = closed_dossier(portal, ("81",))
    dossier.end_date = datetime.date(2025, 6, 30)  # due 30/06/2026
    with api.env.adopt_user(username=RM):
        early = archive.transfer_due(agency, clock=ret.frozen_clock(datetime.date(2026, 5, 30)))
        warned = archive.transfer_due(agency, clock=ret.frozen_clock(datetime.date(2026, 5, 31)))
        late = archive.transfer_due(agency, clock=ret.frozen_clock(datetime.date(2026, 7, 1)))
    code = dossier.file_code
    assert code not in [r["file_code"] for r in early["warnings"]]
    row = next(r for r in warned["warnings"] if r["file_code"] == code)
    assert (row["days_left"], row["due"]) == (30, "2026-06-30")
    overdue = [r for rows in late["overdue_by_unit"].values() for r in rows]
    assert code in [r["file_code"] for r in overdue]


def test_construction_project_due_three_months_after_settlement(portal):
    agency = portal["so-tttt"]
    dossier, _docs = closed_dossier(portal, ("83",), construction_project="1")
    assert dossier.construction_project is True
    with api.env.adopt_user(username=RM):
        assert dossiers.dossier_info(dossier)["construction_project"] is True
    dossier.end_date = datetime.date(2026, 3, 31)  # settled: due 30/06/2026, not 31/03/2027
    with api.env.adopt_user(username=RM):
        warned = archive.transfer_due(agency, clock=ret.frozen_clock(datetime.date(2026, 6, 1)))
    row = next(r for r in warned["warnings"] if r["file_code"] == dossier.file_code)
    assert row["due"] == "2026-06-30"
    with api.env.adopt_user(username=SP), pytest.raises(dossiers.DossierError) as refused:
        dossiers.clean_dossier(dossier_values(notation="84.LT", construction_project="có lẽ"), agency=agency)
    assert [e["field"] for e in refused.value.errors] == ["construction_project"]


def test_export_import_round_trip(portal):
    dossier, _docs = closed_dossier(portal, ("91", "92"))
    with api.env.adopt_user(username=RM):
        first = archive.package_bytes(dossier)
    with api.env.adopt_user(username=SP), pytest.raises(archive.ArchiveRefused) as refused:
        archive.package_bytes(dossier)
    assert refused.value.status == 403
    # into another agency's archive (the demo site has one site; the agency is "fresh" to it)
    with api.env.adopt_user(username="snv.luutru"):
        imported = archive.import_dossier(portal["so-noi-vu"], first)
        again = archive.package_bytes(imported)
    assert imported.file_code.startswith("000.00.09.H20.2025.")
    with read_package(first) as a, read_package(again) as b:
        assert a.meta.dossier == b.meta.dossier
        assert [d.fields for d in a.meta.documents] == [d.fields for d in b.meta.documents]
        assert [d.extension for d in a.meta.documents] == [d.extension for d in b.meta.documents]
        files_a = {p: s for p, s in a.checksums.items() if p.startswith("van-ban/")}
        files_b = {p: s for p, s in b.checksums.items() if p.startswith("van-ban/")}
        assert files_a == files_b and len(files_a) == 2
    # importing the same package twice into the same agency is refused, nothing stored
    with api.env.adopt_user(username="snv.luutru"), pytest.raises(archive.ArchiveRefused):
        archive.import_dossier(portal["so-noi-vu"], first)
    # a damaged package stores nothing
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(first)) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b"x" if name.endswith(".pdf") and name != "ho-so.pdf" else data)
    before = len(api.content.find(portal_type="Dossier", unrestricted=True))
    with api.env.adopt_user(username="stc.luutru"), pytest.raises(Exception) as failed:
        archive.import_dossier(portal["so-tai-chinh"], broken.getvalue())
    assert "SHA-256" in str(failed.value)
    assert len(api.content.find(portal_type="Dossier", unrestricted=True)) == before


def _transferred(portal, numbers, retention="5"):
    dossier, docs = closed_dossier(portal, numbers, retention=retention)
    with api.env.adopt_user(username=RM):
        dossiers.transfer_dossier(dossier)
    dossier.end_date = datetime.date(2015, 1, 1)
    return dossier, docs


def test_disposal_with_legal_hold_and_approval(portal):
    agency = portal["so-tttt"]
    dossier, docs = _transferred(portal, ("93",))
    keep, _ = _transferred(portal, ("94",), retention="permanent")
    uid = api.content.get_uuid(dossier)
    with api.env.adopt_user(username=LD):
        archive.set_legal_hold(dossier, "Đang thanh tra")
    with api.env.adopt_user(username=RM), pytest.raises(archive.ArchiveRefused) as refused:
        archive.propose_disposal(agency, [uid], "Hết giá trị")
    assert refused.value.status == 409
    assert refused.value.errors[0]["message"].mapping["reason"].default == "it is under a legal hold."
    with api.env.adopt_user(username=RM), pytest.raises(archive.ArchiveRefused) as refused:
        archive.propose_disposal(agency, [api.content.get_uuid(keep)], "Hết giá trị")
    reasons = [e["message"].mapping["reason"].default for e in refused.value.errors]
    assert "its retention is permanent (Vĩnh viễn)." in reasons
    with api.env.adopt_user(username=RM):
        archive.release_legal_hold(dossier, "Kết thúc thanh tra")
        proposed = archive.propose_disposal(agency, [uid], "Hội đồng xác định giá trị tài liệu: hết giá trị")
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.approve_disposal(agency, proposed["id"])  # the leader approves, not the archive
        assert refused.value.status == 403
    with api.env.adopt_user(username=LD):
        archive.set_legal_hold(dossier, "Khiếu nại mới")
        with pytest.raises(archive.ArchiveRefused):
            archive.approve_disposal(agency, proposed["id"])  # a hold set meanwhile blocks it
        archive.release_legal_hold(dossier, "Đã giải quyết")
        archive.approve_disposal(agency, proposed["id"])
    fresh(portal.REQUEST)
    doc_uid = api.content.get_uuid(docs[0])
    with api.env.adopt_user(username=RM):
        done = archive.execute_disposal(agency, proposed["id"])
    assert done["state"] == "executed" and api.content.get_state(dossier) == "disposed"
    assert api.content.get(UID=doc_uid) is None  # destroyed
    kept = done["destroyed"][0]
    assert kept["fields"]["FileCode"] == dossier.file_code
    assert kept["documents"][0]["fields"]["CodeNumber"] == "93"
    assert len(kept["documents"][0]["files"][0]["sha256"]) == 64
    record = bytes(as_rm(archive.disposal_file, agency, proposed["id"]).data)
    assert record.startswith(b"%PDF")
    assert as_rm(archive.disposals, agency)[-1]["id"] == proposed["id"]  # kept


def _post_page(portal, user, **form):
    from plone.protect.authenticator import createToken
    from zope.component import getMultiAdapter

    request = portal.REQUEST
    fresh(request)
    with api.env.adopt_user(username=user):
        request.form.clear()
        request.form.update(form, _authenticator=createToken())
        request.method = "POST"
        request["REQUEST_METHOD"] = "POST"
        view = getMultiAdapter((portal["so-tttt"], request), name="luu-tru")
        html = view()
    request.method = "GET"
    request["REQUEST_METHOD"] = "GET"
    request.form.clear()
    return view, html


def test_archive_page_hand_over_and_accept(portal):
    give_key(SP)
    give_key(RM)
    dossier, docs = closed_dossier(portal, ("95",))
    uid = api.content.get_uuid(dossier)
    view, html = _post_page(portal, SP, action="submit", dossiers=[uid], note="Nộp lưu qua trang")
    assert view.message is None, view.message
    assert "Lưu trữ cơ quan" in html and "Đã lập danh mục nộp lưu NL-" in html
    assert "Chờ lãnh đạo duyệt" in html
    transfer = as_rm(archive.transfers, portal["so-tttt"], "proposed")[-1]
    assert transfer["dossiers"] == [uid] and transfer["note"] == "Nộp lưu qua trang"
    # the archive sees no accept button yet, and accepting is refused in Vietnamese
    view, html = _post_page(portal, RM, action="accept", transfer=transfer["id"])
    assert "chưa được lãnh đạo cơ quan phê duyệt" in html
    assert 'value="accept"' not in html
    # the leader sees the approval buttons; returning needs a reason
    view, html = _post_page(portal, LD, action="return", transfer=transfer["id"], reasons="")
    assert "Hãy ghi lý do trả lại hồ sơ nộp lưu." in html and "Duyệt danh mục nộp lưu" in html
    assert as_rm(archive.transfer_info, portal["so-tttt"], transfer["id"])["state"] == "proposed"
    view, html = _post_page(portal, LD, action="approve", transfer=transfer["id"])
    assert view.message is None, view.message
    assert "lưu trữ cơ quan có thể tiếp nhận" in html
    assert as_rm(archive.transfer_info, portal["so-tttt"], transfer["id"])["state"] == "approved"
    view, html = _post_page(portal, RM, action="accept", transfer=transfer["id"])
    assert view.message is None, view.message
    assert as_rm(archive.transfer_info, portal["so-tttt"], transfer["id"])["state"] == "accepted"
    assert api.content.get_state(dossier) == "transferred"
    assert api.content.get_state(docs[0]) == "archived"
