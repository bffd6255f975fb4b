"""A package marked secret in decomposed Unicode (NFD) is refused like one in NFC (QĐ 595)."""

from __future__ import annotations

import unicodedata

import pytest
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.worker import system_user
from plone import api
from plone_support import external_package


@pytest.mark.parametrize("where", ["sphere_of_promulgation", "subject"])
@pytest.mark.parametrize("marking", ["MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_secret_marking_typed_decomposed_is_refused_on_import(portal, marking, where):
    text = unicodedata.normalize("NFD", marking if where != "subject" else f"{marking} - Kế hoạch")
    pkg = external_package(number="31")
    if where == "subject":
        pkg.message_header.subject = text
    else:
        pkg.message_header.other_info.sphere_of_promulgation = text
    data = edxml.build_document(pkg)
    assert unicodedata.normalize("NFD", "Ậ").encode() in data  # really sent decomposed
    agency = portal["so-tttt"]
    before = len(api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True))
    with system_user(portal):
        outcome = process_package(portal, data, source="import", source_id="imp1", agency=agency)
    assert outcome.result == "refused"
    assert marking in outcome.reason and "595" in outcome.reason
    assert len(api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True)) == before
