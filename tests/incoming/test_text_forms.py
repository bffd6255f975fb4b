"""Texts typed in decomposed Unicode (NFD) are found and matched like precomposed ones (NFC)."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import queries
from plone import api
from tests.incoming.helpers import form_values

import unicodedata


def nfd(text):
    return unicodedata.normalize("NFD", text)


def _create(portal, **overrides):
    with api.env.adopt_user(username="stttt.vanthu"):
        res = incoming.create(portal["so-tttt"], incoming.clean(form_values(**overrides)), register=True)
    return res


def test_duplicate_typed_decomposed_is_recognised(portal):
    # no agency code (a paper document of an agency outside the directory): the name decides
    _create(portal, code_number="812", issuing_agency_code=None,
            issuing_agency_name="Ủy ban nhân dân tỉnh Đồng Tháp")
    second = _create(portal, code_number="812", issuing_agency_code=None,
                     issuing_agency_name=nfd("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"))
    assert len(second["warnings"]) == 1


def test_issuer_filter_matches_decomposed_names(portal):
    _create(portal, code_number="813", issuing_agency_name=nfd("Sở Giáo dục và Đào tạo"))
    with api.env.adopt_user(username="stttt.vanthu"):
        rows = queries.all_documents(portal["so-tttt"], {"issuer": "GIÁO DỤC"})
    assert [r["notation"] for r in rows if r["notation"].startswith("813/")]
