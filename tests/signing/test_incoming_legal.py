"""Incoming documents are verified on arrival: legal validity stored, indexed, filterable, shown."""

import base64

import pytest
from plone import api
from test_plone_api import sign_both

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.numbering.retry import savepoints_only


def _values(pdf, subject):
    from tests.incoming.helpers import payload

    body = payload(title=subject)
    body["file"] = (pdf, "van-ban.pdf")
    return body


@pytest.fixture
def snv(sdemo):
    return sdemo["so-noi-vu"]


def _receive(agency, pdf, subject):
    with api.env.adopt_user(username="snv.vanthu"), savepoints_only():
        values = incoming.clean(_values(pdf, subject))
        result = incoming.create(agency, values, register=False)
        return api.content.get(UID=result["uid"])


def test_signed_incoming_document_is_legal_and_filterable(unsigned_doc, snv, pdf_bytes):
    sign_both(unsigned_doc)
    signed = bytes(unsigned_doc.file.data)
    legal = _receive(snv, signed, "Văn bản có chữ ký số hợp lệ")
    plain = _receive(snv, pdf_bytes, "Văn bản chưa ký số")
    assert legal.legal_validity == "legal"
    assert plain.legal_validity == "unsigned"
    # tampering one byte in the signed PDF makes it reference only
    tampered = bytearray(signed)
    tampered[len(tampered) // 3] ^= 0x01
    forged = _receive(snv, bytes(tampered), "Văn bản bị sửa sau khi ký")
    assert forged.legal_validity == "reference"
    with api.env.adopt_user(username="snv.vanthu"):
        only_legal = queries.lists_for(snv, "snv.vanthu", {"legal_validity": "legal"})
        everything = queries.lists_for(snv, "snv.vanthu", {})
    titles = {row["title"] for rows in only_legal.values() for row in rows}
    assert "Văn bản có chữ ký số hợp lệ" in titles
    assert "Văn bản chưa ký số" not in titles and "Văn bản bị sửa sau khi ký" not in titles
    rows = {row["title"]: row for rows in everything.values() for row in rows}
    assert rows["Văn bản bị sửa sau khi ký"]["legal_validity"] == "reference"


def test_dashboard_shows_the_badge(unsigned_doc, snv):
    sign_both(unsigned_doc)
    _receive(snv, bytes(unsigned_doc.file.data), "Văn bản có chữ ký số hợp lệ")
    with api.env.adopt_user(username="snv.vanthu"):
        view = api.content.get_view("van-ban-den", snv["van-ban-den"], snv.REQUEST)
        html = view()
    assert "Có giá trị pháp lý" in html
    assert base64  # noqa: B018 - keeps the import used by helpers
