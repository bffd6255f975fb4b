"""Phụ lục VI III.1.g through the exchange inbox: each received copy stores its receiving agency's code."""

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.worker import system_user
from plone import api
from plone_support import SNV
from plone_support import STTTT
from plone_support import external_package


def test_a_package_for_two_agencies_stores_each_receivers_code(portal):
    with system_user(portal):
        outcome = process_package(portal, edxml.build_document(external_package(to=(STTTT, SNV))),
                                  source_id="ax-code")
    docs = [portal.unrestrictedTraverse(path) for path in outcome.documents]
    codes = {doc.getPhysicalPath()[2]: doc.receiving_agency_code for doc in docs}
    assert codes == {"so-tttt": STTTT, "so-noi-vu": SNV}
    for doc in docs:
        brains = api.content.find(UID=api.content.get_uuid(doc), unrestricted=True)
        assert brains[0].qlvb_receiving_agency_code == doc.receiving_agency_code
