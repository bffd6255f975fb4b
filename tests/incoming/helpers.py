"""Helpers of the incoming-document tests."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import api as incoming

import base64
import datetime
import requests

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


def session(user, password=PW):
    s = requests.Session()
    s.auth = (user, password)
    s.headers["Accept"] = "application/json"
    return s


def _catalog_has_incoming():
    from pathlib import Path

    po = Path(__file__).resolve().parents[2] / "src/dongthap/qlvb/locales/vi/LC_MESSAGES/dongthap.qlvb.po"
    return 'msgid "error_issued_in_future"' in po.read_text(encoding="utf-8")


#: Until ``scripts/i18n.py sync`` merged locales/fragments/incoming.po, messages are the English defaults.
TRANSLATED = _catalog_has_incoming()


def vi(vietnamese, english):
    """The text expected in an error: Vietnamese once the catalog is merged."""
    return vietnamese if TRANSLATED else english
