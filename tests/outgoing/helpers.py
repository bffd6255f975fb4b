"""Helpers of the outgoing-document tests: drafting and the whole chain as the demo staff."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.outgoing import api as outgoing
from plone import api
from tests.helpers import session  # noqa: F401 - used from here by many tests

import base64

PW = DEMO_PASSWORD
PDF = make_pdf(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số:      /STTTT-VP", "V/v triển khai chuyển đổi số"])


def agency(portal, path="so-tttt"):
    return portal.unrestrictedTraverse(path)


def uid_of(portal, path):
    return api.content.get_uuid(portal.unrestrictedTraverse(path))


def draft(portal, *, user="stttt.chuyenvien", path="so-tttt", signer="stttt.lanhdao",
          recipients=("so-noi-vu",), external=(), **overrides):
    """Create a draft as ``user`` through the API; returns the document."""
    raw = {
        "title": "V/v triển khai chuyển đổi số năm 2026",
        "document_type": "cong_van",
        "drafting_department": "vp",
        "signer": signer,
        "signer_position": "GIÁM ĐỐC",
        "signing_authority": "none",
        "urgency": "thuong",
        "internal_recipients": [uid_of(portal, p) for p in recipients],
        "external_recipients": list(external),
        "file": (PDF, "du-thao.pdf"),
    }
    raw.update(overrides)
    with api.env.adopt_user(username=user):
        values = outgoing.clean(agency(portal, path), raw)
        result = outgoing.create(agency(portal, path), values)
    return portal.unrestrictedTraverse(result["path"])


def act(doc, user, transition, comment=""):
    with api.env.adopt_user(username=user):
        return outgoing.transition(doc, transition, comment)


def chain(doc, prefix="stttt", until="issued"):
    """submit → forward (head) → approve (leader) → sign (leader) → issue (clerk)."""
    steps = [(f"{prefix}.chuyenvien", "submit"), (f"{prefix}.truongphong", "forward"),
             (f"{prefix}.lanhdao", "approve"), (f"{prefix}.lanhdao", "sign"), (f"{prefix}.vanthu", "issue")]
    states = {"submit": "pending_review", "forward": "pending_review", "approve": "approved",
              "sign": "signed", "issue": "issued"}
    for user, transition in steps:
        act(doc, user, transition)
        if states[transition] == until and transition != "forward":
            break
    return doc


def payload(portal_url_uids, **overrides):
    body = {
        "title": "V/v báo cáo tình hình ứng dụng CNTT",
        "document_type": "cong_van",
        "drafting_department": "vp",
        "signer": "stttt.lanhdao",
        "signer_position": "GIÁM ĐỐC",
        "internal_recipients": portal_url_uids,
        "file": {"data": base64.b64encode(PDF).decode(), "encoding": "base64",
                 "filename": "du-thao.pdf", "content-type": "application/pdf"},
    }
    body.update(overrides)
    return body




def vi(vietnamese, english):
    """The Vietnamese text users get (the English default is only documentation)."""
    return vietnamese


def _entry(catalog, path):
    rid = catalog._catalog.uids[path]
    return catalog._catalog.getIndexDataForRID(rid), catalog._catalog.getMetadataForRID(rid)


def assert_as_fully_reindexed(doc):
    """The catalog entry of ``doc`` equals the one a full reindex writes."""
    from Products.CMFCore.indexing import processQueue

    catalog = api.portal.get_tool("portal_catalog")
    processQueue()
    path = "/".join(doc.getPhysicalPath())
    indexes, metadata = _entry(catalog, path)
    catalog._reindexObject(doc)  # everything, without touching the modification date
    full_indexes, full_metadata = _entry(catalog, path)
    assert {k: v for k, v in indexes.items() if full_indexes.get(k) != v} == {}
    assert {k: v for k, v in metadata.items() if full_metadata.get(k) != v} == {}
