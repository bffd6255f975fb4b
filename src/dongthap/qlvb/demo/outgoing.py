"""Demo outgoing documents (văn bản đi) of Sở TT&TT: one draft, one waiting for review.

Installed by the demo profile after the demo staff and signing keys. With
``QLVB_DEMO_OUTGOING_ISSUE=1`` one công văn is also reviewed, signed with the
leader's demo key and issued to Sở Nội vụ (a received copy appears there);
off by default so that the shared demo test fixture has no delivered copies.
Idempotent: documents whose trích yếu already exists are not created again.
"""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.outgoing import api as outgoing
from plone import api

import logging
import os

logger = logging.getLogger("dongthap.qlvb.demo")

#: (trích yếu, type, department, transitions [(user suffix, transition)])
DOCUMENTS = (
    ("V/v góp ý dự thảo Kế hoạch chuyển đổi số năm 2027", "cong_van", "vp", ()),
    ("Quyết định ban hành Quy chế quản lý hệ thống thông tin dùng chung", "quyet_dinh", "cntt",
     (("chuyenvien", "submit"),)),
)
ISSUED = ("V/v đề nghị cử cán bộ tham gia tập huấn an toàn thông tin", "cong_van", "vp",
          (("chuyenvien", "submit"), ("truongphong", "forward"), ("lanhdao", "approve"),
           ("lanhdao", "sign"), ("vanthu", "issue")))


def install(context=None, prefix="stttt", path="so-tttt"):
    portal = api.portal.get()
    try:
        agency = portal.unrestrictedTraverse(path)
        recipient = portal.unrestrictedTraverse("so-noi-vu")
    except (KeyError, AttributeError):
        return
    documents = DOCUMENTS + ((ISSUED,) if os.environ.get("QLVB_DEMO_OUTGOING_ISSUE") == "1" else ())
    root = outgoing.outgoing_root(agency)
    existing = {b.Title for b in api.content.find(context=root, portal_type="OutgoingDocument",
                                                  unrestricted=True)} if root is not None else set()
    for subject, doc_type, department, steps in documents:
        if subject in existing:
            continue
        pdf = make_pdf([agency.title.upper(), f"Số:      /{agency.abbreviation}", subject])
        try:
            with api.env.adopt_user(username=f"{prefix}.chuyenvien"):
                values = outgoing.clean(agency, {
                    "title": subject, "document_type": doc_type, "drafting_department": department,
                    "signer": f"{prefix}.lanhdao", "signer_position": "GIÁM ĐỐC",
                    "internal_recipients": [api.content.get_uuid(recipient)],
                    "file": (pdf, "du-thao.pdf")})
                result = outgoing.create(agency, values)
            doc = portal.unrestrictedTraverse(result["path"])
            for suffix, transition in steps:
                with api.env.adopt_user(username=f"{prefix}.{suffix}"):
                    outgoing.transition(doc, transition)
        except outgoing.OutgoingError as problem:  # e.g. no antivirus service or signing key
            logger.warning("demo outgoing document %r not completed: %s", subject, problem.message)
    logger.info("demo outgoing documents in place")
