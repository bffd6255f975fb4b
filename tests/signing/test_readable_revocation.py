"""People read when and why a certificate was revoked, in Vietnamese (CRL and OCSP alike)."""

from __future__ import annotations

import re

from test_certificates import bare_pyhanko_sign

from dongthap.qlvb.signing.readable import readable


def test_revocation_date_and_reason_in_the_readable_report(sdemo, pdf_bytes, pki, verify):
    report = verify(bare_pyhanko_sign(pdf_bytes, pki.revoked, pki)).to_dict()
    [sig] = readable(report, sdemo.REQUEST)["signatures"]
    assert sig["revocation"] == "đã bị thu hồi (qua danh sách thu hồi CRL)"
    texts = " ".join(sig["problems"])
    pattern = r"bị thu hồi ngày \d{2}/\d{2}/\d{4} \d{2}:\d{2}, lý do: khóa bí mật bị lộ\."
    assert re.search(pattern, texts), texts
    [problem] = [p for p in report["signatures"][0]["problems"] if p["code"] == "revocation_reason"]
    assert problem["mapping"]["reason"] == "key_compromise"  # stable code in the stored report
