"""Helpers of the incoming-document tests."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import api as incoming
from tests.helpers import session  # noqa: F401 - used from here by many tests

import base64
import datetime

PW = DEMO_PASSWORD
PDF = make_pdf(["UBND TỈNH ĐỒNG THÁP", "Số: 15/QĐ-UBND", "Quyết định thử nghiệm"])


def today():
    return incoming.now().date()


def payload(**overrides):
    """A valid REST body for POST @incoming."""
    body = {
        "title": "Về việc báo cáo kết quả chuyển đổi số",
        "document_type": "cong_van",
        "code_number": "15",
        "code_notation": "UBND-VP",
        "issued_date": (today() - datetime.timedelta(days=2)).isoformat(),
        "issuing_agency_name": "UBND tỉnh Đồng Tháp",
        "issuing_agency_code": "000.00.00.H20",
        "signer_name": "Trần Văn Bình",
        "signer_position": "Phó Chủ tịch",
        "urgency": "thuong",
        "due_date": (today() + datetime.timedelta(days=10)).isoformat(),
        "source": "paper",
        "file": {"data": base64.b64encode(PDF).decode(), "encoding": "base64",
                 "filename": "cv15.pdf", "content-type": "application/pdf"},
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def form_values(**overrides):
    """Raw values for ``incoming.clean`` (integration tests)."""
    raw = payload(**overrides)
    if "file" in raw:
        raw["file"] = (PDF, "cv15.pdf") if raw["file"] == payload()["file"] else raw["file"]
    return raw




def vi(vietnamese, english):
    """The Vietnamese text users get (the English default is only documentation)."""
    return vietnamese


def _tiny_pdf():
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 4\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


#: The smallest PDF our checks accept (one empty page that a PDF reader opens): bulk
#: set-ups store thousands of them.
TINY_PDF = _tiny_pdf()


def create_received(agency, count, clerk, *, batch=500, title="Văn bản chờ vào sổ"):
    """``count`` documents in state ``received`` in ``agency``, as ``clerk``, committed.

    The same construction as ``POST @incoming`` (:func:`incoming.build_document`:
    blob, trail, catalog) but many documents per transaction, without HTTP. Returns
    their paths relative to the site, in creation order.
    """
    from plone import api

    import transaction

    raw = payload(file=None, page_amount="1", title=title)
    raw["file"] = (TINY_PDF, "cho-vao-so.pdf")
    values = incoming.clean(raw)
    site_path = len(api.portal.get().getPhysicalPath())
    paths = []
    with api.env.adopt_user(username=clerk):
        for index in range(count):
            # distinct documents (số 1, 2, …): not a thousand duplicates of one number
            result = incoming.build_document(agency, dict(values, code_number=str(index + 1)))
            assert result["state"] == "received" and result["arrival_number"] is None, result
            paths.append("/".join(result["path"].split("/")[site_path:]))
            if (index + 1) % batch == 0:
                transaction.commit()
    transaction.commit()
    return paths


def registration_of(portal, paths):
    """``{path: (arrival_number, review_state, number of register actions)}`` as stored."""
    from plone import api

    out = {}
    for path in paths:
        doc = portal.unrestrictedTraverse(path)
        history = doc.workflow_history.get("qlvb_incoming_workflow") or ()
        registrations = sum(1 for h in history if h.get("action") == "register")
        trail = sum(1 for t in getattr(doc, "qlvb_trail", ()) if t["action"] == "register")
        out[path] = (doc.arrival_number, api.content.get_state(doc), registrations, trail)
    return out
