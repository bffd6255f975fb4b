"""Phụ lục VI III.1.g: every incoming document stores the code of the agency that received it."""

from dongthap.qlvb.incoming import api as incoming
from plone import api
from tests.incoming.helpers import form_values
from tests.incoming.helpers import payload
from tests.incoming.helpers import session

STTTT = "000.00.14.H20"
SNV = "000.00.09.H20"


def _find(portal, code):
    return api.content.find(portal_type="IncomingDocument", unrestricted=True,
                            qlvb_receiving_agency_code=code)


def test_form_path_stores_and_catalogues_the_code(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values(code_number="411")), register=True)
    doc = portal.unrestrictedTraverse(result["path"])
    assert doc.receiving_agency_code == STTTT
    brains = [b for b in _find(portal, STTTT) if b.getPath() == result["path"]]
    assert len(brains) == 1 and brains[0].qlvb_receiving_agency_code == STTTT
    assert not [b for b in _find(portal, SNV) if b.getPath() == result["path"]]


def test_internal_delivery_stores_the_receivers_code(portal):
    from dongthap.qlvb.numbering import retry
    from dongthap.qlvb.outgoing import delivery
    from tests.outgoing.helpers import chain
    from tests.outgoing.helpers import draft

    with retry.savepoints_only():
        doc = chain(draft(portal))
    uid = api.content.get_uuid(doc)
    copies = [b._unrestrictedGetObject() for b in _find(portal, SNV)]
    copies = [c for c in copies if getattr(c, delivery.SOURCE_ATTR, None) == uid]
    assert len(copies) == 1
    assert copies[0].receiving_agency_code == SNV


def test_generic_add_gets_the_code_of_its_folder(portal):
    from dongthap.qlvb.demo.incoming import make_pdf
    from plone.namedfile.file import NamedBlobFile

    import datetime

    folder = incoming.incoming_root(portal["so-noi-vu"], create=True)
    with api.env.adopt_user(username="snv.vanthu"):
        doc = api.content.create(
            container=folder, type="IncomingDocument", title="Thêm bằng form chung",
            document_type="cong_van", code_number="412", issued_date=datetime.date.today(),
            issuing_agency_name="Sở Tài chính", urgency="thuong", source="paper",
            file=NamedBlobFile(data=make_pdf(["Một trang"]), filename="a.pdf",
                               contentType="application/pdf"))
    assert doc.receiving_agency_code == SNV


def test_upgrade_fills_the_code_of_existing_documents(portal):
    from dongthap.qlvb.upgrades import v1006_paper_and_copies

    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values(code_number="413")))
    doc = portal.unrestrictedTraverse(result["path"])
    doc.receiving_agency_code = None  # as stored before 1006
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex(v1006_paper_and_copies.INDEX)
    catalog.delColumn(v1006_paper_and_copies.INDEX)
    v1006_paper_and_copies.receiving_agency_code()
    assert doc.receiving_agency_code == STTTT
    assert result["path"] in {b.getPath() for b in _find(portal, STTTT)}


def test_rest_shows_the_code_and_refuses_to_set_it(demo_server):
    url = demo_server["url"]
    clerk = session("snv.vanthu")
    r = clerk.post(f"{url}/so-noi-vu/@incoming", json=payload(code_number="414"))
    assert r.status_code == 201, r.text
    doc_url = r.json()["url"]
    assert clerk.get(doc_url).json()["receiving_agency_code"] == SNV
    r = clerk.patch(doc_url, json={"receiving_agency_code": STTTT})
    assert r.status_code in (204, 400)
    assert clerk.get(doc_url).json()["receiving_agency_code"] == SNV
    page = clerk.get(doc_url, headers={"Accept": "text/html"})
    assert "Mã cơ quan nhận" in page.text and SNV in page.text


def test_dossier_export_carries_the_code(portal):
    from dongthap.qlvb.archive.api import export_document

    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values(code_number="415")), register=True)
    doc = portal.unrestrictedTraverse(result["path"])
    exported = export_document(1, doc, {"FileCode": "000.00.14.H20.2026.01.VP", "OrganId": STTTT})
    assert exported.extension["ReceivingOrganId"] == STTTT
