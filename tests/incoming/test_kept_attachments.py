"""The registration form keeps the attachments after a refusal, like the main PDF (issue 15): each
is listed "Tệp đính kèm đã chọn: X (giữ lại)" with a ticked box, the next try saves the document
with the ticked ones plus any chosen again, a token is worth nothing to another user, and a file
that cannot be kept is named in the "choose again" message."""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.documents import kept_uploads
from plone import api
from plone.protect.authenticator import createToken
from tests.incoming.helpers import today

import datetime
import io
import re


class Upload(io.BytesIO):  # what a form upload offers the view: a file with its name
    def __init__(self, data, filename):
        super().__init__(data)
        self.filename = filename


def _post(agency, user, **form):
    request = agency.REQUEST
    request.method = "POST"
    request.form.clear()
    request.form.update({
        "form.submitted": "1", "title": "Về việc giữ tệp đính kèm", "document_type": "cong_van",
        "code_number": "45", "code_notation": "UBND-VP", "issuing_agency_name": "UBND tỉnh Đồng Tháp",
        "urgency": "thuong", "source": "paper", "register": "1",
        "issued_date": (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"), **form})
    request.response.setStatus(200)
    with api.env.adopt_user(username=user):
        request.form["_authenticator"] = createToken()
        html = api.content.get_view("vao-so-van-ban-den", agency, request)()
        return request.response.getStatus(), html, request.response.getHeader("Location")


def _kept(html):
    return re.findall(r'name="kept_attachments:list" checked="checked"\s+value="([^"]+)"', html)


def test_attachments_are_kept_after_a_refusal(portal):
    agency = portal["so-tttt"]
    status, html, _where = _post(agency, "stttt.vanthu", issued_date="31/02/2026",
                                 file=Upload(make_pdf(["chinh"]), "cv45.pdf"),
                                 attachments=[Upload(make_pdf(["pl1"]), "phu-luc-1.pdf"),
                                              Upload(make_pdf(["pl2"]), "phu-luc-2.pdf")])
    assert status == 400
    assert "Tệp đã chọn: <strong>cv45.pdf</strong> (giữ lại)" in html
    assert "Tệp đính kèm đã chọn: <strong>phu-luc-1.pdf</strong> (giữ lại)" in html
    assert "Tệp đính kèm đã chọn: <strong>phu-luc-2.pdf</strong> (giữ lại)" in html
    assert "qlvb-choose-again" not in html  # nothing to choose again
    tokens = _kept(html)
    assert len(tokens) == 2
    main = re.search(r'name="kept_file" value="([^"]+)"', html).group(1)

    # another user's try with the tokens: the files are not his (nothing attached, nothing listed)
    status, html, _where = _post(agency, "stttt.lanhdao", issued_date="31/02/2026",
                                 kept_attachments=tokens)
    assert status in (400, 403) and "phu-luc-1.pdf" not in html

    # the next try: the first attachment unticked, one more chosen; saved with the kept files
    status, html, where = _post(agency, "stttt.vanthu", kept_file=main, kept_attachments=[tokens[1]],
                                attachments=Upload(make_pdf(["pl3"]), "phu-luc-3.pdf"))
    assert status == 302, html[:500]
    doc = portal.getPhysicalRoot().unrestrictedTraverse(where.split("://", 1)[1].split("/", 1)[1])
    assert doc.file.filename == "cv45.pdf"
    assert [a.filename for a in doc.attachments] == ["phu-luc-2.pdf", "phu-luc-3.pdf"]
    with api.env.adopt_user(username="stttt.vanthu"):  # used: dropped from the store
        assert kept_uploads.take(tokens[1]) is None and kept_uploads.take(main) is None
        assert kept_uploads.take(tokens[0]) is not None  # unticked: left to expire


def test_refused_attachments_are_named_to_choose_again(portal):
    agency = portal["so-tttt"]
    status, html, _where = _post(agency, "stttt.vanthu", file=Upload(make_pdf(["chinh"]), "cv46.pdf"),
                                 attachments=[Upload(b"not a pdf at all", "bang-tinh.pdf")])
    assert status == 400
    assert "qlvb-kept-attachments" not in html  # the attachments themselves were refused
    choose = re.search(r'class="alert alert-warning qlvb-choose-again[^"]*">(.*?)</div>', html, re.S).group(1)
    assert "bang-tinh.pdf" in choose and "cv46.pdf" not in choose  # the main PDF is kept
    assert "Tệp đã chọn: <strong>cv46.pdf</strong> (giữ lại)" in html
