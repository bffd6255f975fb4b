"""Copies (bản sao): each form in the ONE yearly series of copies, linked to its original."""

from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.documents.pdfpages import count_pages
from dongthap.qlvb.numbering import counter
from dongthap.qlvb_testing.scans import make_scan
from plone import api
from tests.copies.helpers import act
from tests.copies.helpers import issue
from tests.copies.helpers import make_copy
from tests.copies.helpers import registered_incoming
from zope.i18n import translate

import pytest


def _vi(message):
    return translate(message, target_language="vi")


def _last(portal, agency="so-tttt"):
    return counter.peek_number(portal[agency], copies.SERIES)


def test_three_forms_share_one_series_and_are_linked_to_their_originals(portal):
    from tests.outgoing.helpers import chain
    from tests.outgoing.helpers import draft

    abbr = portal["so-tttt"].abbreviation
    start = _last(portal)
    incoming_doc = registered_incoming(portal, code_number="501")
    outgoing_doc = chain(draft(portal, file=(make_pdf(["Ba trang"], pages=3), "ba-trang.pdf")))
    sao_y = issue(make_copy(portal, incoming_doc, copy_form="sao_y"))
    sao_luc = issue(make_copy(portal, outgoing_doc, copy_form="sao_luc", copy_medium="paper"))
    trich = issue(make_copy(portal, outgoing_doc, copy_form="trich_sao", page_from="2", page_to="3",
                            signing_authority="KT", signer_position="PHÓ GIÁM ĐỐC"))
    assert [c.register_number for c in (sao_y, sao_luc, trich)] == [start + 1, start + 2, start + 3]
    assert sao_y.notation() == f"{start + 1:02d}/SY-{abbr}"
    assert sao_luc.notation() == f"{start + 2:02d}/SL-{abbr}"
    assert trich.notation() == f"{start + 3:02d}/TrS-{abbr}"
    assert [c.form_words() for c in (sao_y, sao_luc, trich)] == ["SAO Y", "SAO LỤC", "TRÍCH SAO"]
    for copy in (sao_y, sao_luc, trich):
        assert api.content.get_state(copy) == "issued"
        assert copy.register_year == counter.current_year() and copy.register_date is not None
    # the outgoing register is untouched: copies have their own series
    from dongthap.qlvb.outgoing import numbering

    assert numbering.last_number(portal["so-tttt"], "cong_van") == int(outgoing_doc.code_number)
    # linked both ways
    assert sao_y.original_uid == api.content.get_uuid(incoming_doc)
    assert [c["notation"] for c in copies.copies_of(incoming_doc)] == [sao_y.notation()]
    assert [c["notation"] for c in copies.copies_of(outgoing_doc)] == [sao_luc.notation(), trich.notation()]
    # the excerpt has the chosen pages only; sao y the whole original
    assert count_pages(trich.file) == 2 and (trich.page_from, trich.page_to) == (2, 3)
    assert count_pages(sao_y.file) == count_pages(incoming_doc.file) == 2
    # electronic copy: the agency's digital signature with the copy form and number
    data = bytes(sao_y.file.data)
    assert b"/ByteRange" in data and data.startswith(bytes(incoming_doc.file.data)[:8])
    assert sao_y.signature_report and sao_y.signature_report["signatures"]
    # paper copy: sealed on paper, no digital signature added
    assert sao_luc.qlvb_sealed_on_paper is True
    assert bytes(sao_luc.file.data) == bytes(outgoing_doc.file.data)
    # the signer's authority and the trail
    info = copies.info(trich)
    assert info["signing_authority"] == "KT." and info["signer_position"] == "PHÓ GIÁM ĐỐC"
    assert [t["action"] for t in info["trail"]] == ["create", "sign", "issue"]
    assert info["trail"][-1]["number"] == trich.notation()
    # the register of copies lists the three, in number order
    rows = copies.copy_rows(portal["so-tttt"], None, None)
    mine = [r for r in rows if r["notation"] in {sao_y.notation(), sao_luc.notation(), trich.notation()}]
    assert [r["form"] for r in mine] == ["SAO Y", "SAO LỤC", "TRÍCH SAO"]
    assert mine[2]["pages"] == "trang 2–3" and mine[1]["medium"].startswith("Giấy")
    assert mine[2]["signer"].startswith("KT. PHÓ GIÁM ĐỐC")


def test_a_new_year_starts_the_series_again(portal):
    import datetime

    when = datetime.datetime(2031, 1, 1, 0, 30, tzinfo=counter.VIETNAM)
    assert counter.next_number(portal["so-tttt"], copies.SERIES, when) == (2031, 1)


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_made(portal):
    original = registered_incoming(portal, code_number="502")
    before = len(api.content.find(portal_type="DocumentCopy", unrestricted=True))
    with pytest.raises(copies.CopyError) as refused:
        make_copy(portal, original, copy_form="trich_sao", page_from="2", page_to="5")
    fields = {e["field"]: _vi(e["message"]) for e in refused.value.errors}
    assert "2 trang" in fields["page_to"]
    with pytest.raises(copies.CopyError) as refused:
        make_copy(portal, original, copy_form="trich_sao")
    assert "page_from" in {e["field"] for e in refused.value.errors}
    with pytest.raises(copies.CopyError) as refused:
        make_copy(portal, original, copy_form="ban_chup", signer="stttt.chuyenvien", place="")
    assert {"copy_form", "signer", "place"} <= {e["field"] for e in refused.value.errors}
    # another agency's document cannot be copied (it is not found there)
    with pytest.raises(copies.CopyError) as refused:
        make_copy(portal, original, user="snv.vanthu", agency="so-noi-vu", signer="snv.lanhdao")
    assert "original" in {e["field"] for e in refused.value.errors}
    assert len(api.content.find(portal_type="DocumentCopy", unrestricted=True)) == before


def test_who_copies_and_who_signs(portal):
    original = registered_incoming(portal, code_number="503")
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "stttt.truongphong"):
        with pytest.raises(copies.CopyError) as refused:
            make_copy(portal, original, user=user)
        assert refused.value.status == 403
    copy = make_copy(portal, original)
    start = _last(portal)
    # only the chosen signer signs; the clerk cannot issue before the signature
    for user in ("stttt.vanthu", "stttt.truongphong"):
        with pytest.raises(copies.CopyError):
            act(copy, user, "sign")
    with pytest.raises(copies.CopyError):
        act(copy, "stttt.vanthu", "issue")
    act(copy, "stttt.lanhdao", "sign")
    with pytest.raises(copies.CopyError):
        act(copy, "stttt.lanhdao", "issue")  # numbering and sealing is the clerk's
    act(copy, "stttt.vanthu", "issue")
    assert copy.register_number == start + 1
    # another agency's staff do not see the copy
    with api.env.adopt_user(username="snv.vanthu"):
        assert not api.user.has_permission("View", obj=copy)
    with api.env.adopt_user(username="stttt.luutru"):
        assert api.user.has_permission("View", obj=copy)


def test_a_paper_original_scanned_below_200_dpi_is_not_copied(portal):
    low = registered_incoming(portal, code_number="504", data=make_scan(150))
    with pytest.raises(copies.CopyError) as refused:
        make_copy(portal, low)
    assert refused.value.status == 422
    message = _vi(refused.value.message)
    assert "150 dpi" in message and "200 dpi" in message
    good = registered_incoming(portal, code_number="505", data=make_scan(300))
    copy = issue(make_copy(portal, good))
    assert copy.qlvb_original_scan_dpi == 300
    assert copies.info(copy)["scan_dpi"] == 300


def test_the_register_of_copies_prints_as_pdf_and_xlsx(portal):
    from dongthap.qlvb.registers import service
    from openpyxl import load_workbook

    import io

    original = registered_incoming(portal, code_number="506")
    copy = issue(make_copy(portal, original, copy_form="sao_y", recipients="Lưu: VT"))
    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.luutru"):
        pdf = service.answer(agency, "copies", {"format": "pdf"}, portal.REQUEST)
        xlsx = service.answer(agency, "copies", {"format": "xlsx"}, portal.REQUEST)
        data = service.answer(agency, "copies", {}, portal.REQUEST)
    assert pdf.data.startswith(b"%PDF") and pdf.filename.startswith("so-dang-ky-ban-sao-van-ban-")
    rows = [list(r) for r in load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True)]
    assert any(copy.notation() in [str(v) for v in row] for row in rows)
    assert data["rows"][-1]["notation"] == copy.notation() and data["rows"][-1]["form"] == "SAO Y"
    # a specialist does not see the register of copies
    from dongthap.qlvb.registers.errors import RegisterError

    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(RegisterError):
        service.answer(agency, "copies", {}, portal.REQUEST)


def test_the_desk_shows_copies_waiting_for_the_signer_and_the_clerk(portal):
    from dongthap.qlvb.copies.desk import CopiesSection

    agency = portal["so-tttt"]
    original = registered_incoming(portal, code_number="507")
    copy = make_copy(portal, original)

    def counts(user, roles):
        with api.env.adopt_user(username=user):
            return {i["key"]: i["count"] for i in CopiesSection(agency).items(user, roles)}

    before_issue = counts("stttt.vanthu", {"QlvbClerk"})["waiting_issue"]
    assert counts("stttt.lanhdao", {"QlvbLeader"})["waiting_signature"] >= 1
    act(copy, "stttt.lanhdao", "sign")
    assert counts("stttt.vanthu", {"QlvbClerk"})["waiting_issue"] == before_issue + 1
    assert counts("stttt.chuyenvien", {"QlvbSpecialist"}) == {}
    act(copy, "stttt.vanthu", "issue")
    assert counts("stttt.vanthu", {"QlvbClerk"})["waiting_issue"] == before_issue


def test_a_copy_is_legal_by_its_own_seal_not_by_the_signatures_of_its_original(portal):
    """A sao y of a digitally signed original carries the original's signatures in its PDF: the copy
    shows "legal" only once its own agency signature is on and verified."""
    from dongthap.qlvb.signing.browser.views import BadgeViewlet
    from tests.outgoing.helpers import chain

    def shown(doc):  # the legal-validity badge on the page of the copy
        viewlet = BadgeViewlet(doc, portal.REQUEST, None)
        viewlet.update()
        return viewlet.badge["value"]

    from tests.outgoing.helpers import draft

    original = chain(draft(portal))
    assert original.legal_validity == "legal"  # signed by the leader and the agency
    copy = make_copy(portal, original)
    # its PDF carries the original's (valid) signatures, yet the copy is not legal before its seal
    assert copy.signature_report["signatures"]
    assert copy.legal_validity == "reference"
    assert copies.info(copy)["legal_validity"] == "reference"
    assert shown(copy) == "reference"
    act(copy, "stttt.lanhdao", "sign")
    assert copy.legal_validity == "reference"  # signed by the leader, not yet sealed
    act(copy, "stttt.vanthu", "issue")
    # sealed with the agency's signature, verified: legal by its own seal
    assert copy.legal_validity == "legal"
    assert copy.signature_report["rule"] == "attachment"
    assert len(copy.signature_report["signatures"]) > len(original.signature_report["signatures"])
    assert shown(copy) == "legal"
    # a paper copy of the same original stays a reference in the system (it is legal on paper)
    paper = issue(make_copy(portal, original, copy_medium="paper"))
    assert paper.qlvb_sealed_on_paper is True and paper.legal_validity == "reference"


def test_a_copy_shows_on_its_original_while_it_is_prepared(portal):
    """The original lists its copy from the moment it is prepared, with its state, for those who may
    see the copy (clerks and leaders; the others once it is issued)."""
    from dongthap.qlvb.copies.views import CopiesViewlet

    original = registered_incoming(portal, code_number="509")
    copy = make_copy(portal, original)
    uid = api.content.get_uuid(copy)

    def seen(user):
        with api.env.adopt_user(username=user):
            return {c["uid"]: c["state"] for c in copies.copies_of(original, visible=True)}

    def box(user):
        with api.env.adopt_user(username=user):
            viewlet = CopiesViewlet(original, portal.REQUEST, None)
            viewlet.update()
            return viewlet.render()

    assert seen("stttt.vanthu") == {uid: "draft"} and seen("stttt.lanhdao") == {uid: "draft"}
    assert uid not in seen("stttt.chuyenvien")
    page = box("stttt.vanthu")
    assert "qlvb-copy-draft" in page and "SAO Y" in page and _vi(copies.state_title("draft")) in page
    act(copy, "stttt.lanhdao", "sign")
    assert seen("stttt.vanthu") == {uid: "signed"}
    act(copy, "stttt.vanthu", "issue")
    entries = copies.copies_of(original)
    assert len(entries) == 1  # one entry, updated at issue: number and date
    assert entries[0]["notation"] == copy.notation() and entries[0]["date"]
    assert entries[0]["state"] == "issued"
    assert seen("stttt.vanthu") == {uid: "issued"}
    page = box("stttt.vanthu")
    assert copy.notation() in page and "qlvb-copy-issued" in page
