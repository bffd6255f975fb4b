"""The signature page names the signer, the position and the organisation, never the raw
``2.5.4.42=…`` of the certificate (issue 15, item 6)."""

from cryptography import x509
from cryptography.x509.oid import NameOID
from dongthap.qlvb.signing.readable import readable
from dongthap.qlvb.signing.readable import subject_parts

import pytest


def subject(*pairs):
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs]).rfc4514_string()


OFFICIAL = subject(
    (NameOID.COUNTRY_NAME, "VN"), (NameOID.LOCALITY_NAME, "Đồng Tháp"),
    (NameOID.ORGANIZATION_NAME, "Sở Thông tin và Truyền thông"),
    (NameOID.ORGANIZATIONAL_UNIT_NAME, "Văn phòng"),
    (NameOID.TITLE, "Phó Giám đốc, phụ trách"), (NameOID.SURNAME, "Nguyễn"),
    (NameOID.GIVEN_NAME, "Văn An"), (NameOID.COMMON_NAME, "Nguyễn Văn An"),
)


def test_a_subject_in_dotted_form_is_read():
    assert "2.5.4.12=" in OFFICIAL  # what cryptography writes, and what users saw
    assert subject_parts(OFFICIAL) == {
        "name": "Nguyễn Văn An", "title": "Phó Giám đốc, phụ trách",
        "organisation": "Văn phòng, Sở Thông tin và Truyền thông", "place": "Đồng Tháp",
    }


def test_the_name_comes_from_surname_and_given_name_without_common_name():
    plain = subject((NameOID.SURNAME, "Trần"), (NameOID.GIVEN_NAME, "Thị Bình"),
                    (NameOID.ORGANIZATION_NAME, "UBND xã Mỹ Thọ"))
    assert subject_parts(plain)["name"] == "Trần Thị Bình"
    assert subject_parts(plain)["title"] == ""


@pytest.mark.parametrize("text", ["", "garbage", "=x,,"])
def test_odd_subjects_give_empty_parts(text):
    assert set(subject_parts(text)) == {"name", "title", "organisation", "place"}


def test_the_readable_report_carries_title_and_organisation():
    report = {"legal_validity": "legal", "signatures": [{
        "kind": "person", "ok": True, "signer_name": "", "signer_subject": OFFICIAL,
        "issuer": subject((NameOID.COMMON_NAME, "CA Chính phủ"), (NameOID.COUNTRY_NAME, "VN")),
        "signing_time": "2026-12-20T01:30:00+00:00", "time_source": "timestamp"}]}
    sig = readable(report, None)["signatures"][0]
    assert sig["signer"] == "Nguyễn Văn An"
    assert sig["signer_title"] == "Phó Giám đốc, phụ trách"
    assert sig["organisation"] == "Văn phòng, Sở Thông tin và Truyền thông"
    assert sig["issuer_name"] == "CA Chính phủ"
    assert sig["signing_time"].startswith("20/12/2026 08:30")
    shown = " ".join(str(value) for key, value in sig.items() if key not in ("subject", "issuer"))
    assert "2.5.4" not in shown and "CN=" not in shown
