"""The provider contract: a capability adds a register with one adapter, nothing else changes.

What the dossier registers will do, with a provider registered only for this test.
"""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.registers import errors as E
from dongthap.qlvb.registers import service
from dongthap.qlvb.registers.columns import REGISTERS
from dongthap.qlvb.registers.interfaces import IRegisterProvider
from dongthap.qlvb.registers.provider import RegisterProvider
from plone import api
from zope.component import getGlobalSiteManager

import datetime
import pytest

NAME = "qlvb_test_list"


class ListOfDossiers(RegisterProvider):
    """Kept by so-tttt only; visible to everybody who may View the agency."""

    name = NAME
    permission = "View"
    register = REGISTERS["dossiers"]
    seen = []

    def rows(self, start, end, filters):
        self.seen.append((start, end, dict(filters)))
        if filters.get("broken"):
            return [{"ordinal": 1, "colour": "red"}]
        return [{"ordinal": 1, "title": "Hồ sơ chuyển đổi số", "period": start, "pages": 12}]


def factory(agency):
    return ListOfDossiers(agency) if agency.getId() == "so-tttt" else None


@pytest.fixture
def provider():
    registry = getGlobalSiteManager()
    registry.registerAdapter(factory, (IAgency,), IRegisterProvider, NAME)
    ListOfDossiers.seen = []
    yield ListOfDossiers
    registry.unregisterAdapter(factory, (IAgency,), IRegisterProvider, NAME)


def names(agency, user):
    with api.env.adopt_user(username=user):
        return [item["name"] for item in service.listing(agency, agency.REQUEST)["items"]]


def test_a_new_provider_is_listed_and_served_without_touching_the_service(demo, provider):
    agency = demo["so-tttt"]
    assert names(agency, "stttt.vanthu") == ["incoming", "incoming_tracking", "outgoing", "outgoing_report",
                                             "dossier_documents", "dossiers", "copies", NAME]
    assert names(agency, "stttt.chuyenvien") == ["dossier_documents", "dossiers", NAME]
    # an agency whose factory answers None does not keep it
    assert NAME not in names(demo["so-noi-vu"], "snv.vanthu")
    with api.env.adopt_user(username="snv.vanthu"), pytest.raises(E.UnknownRegisterError) as refused:
        service.answer(demo["so-noi-vu"], NAME, {}, demo.REQUEST)
    assert refused.value.status == 404
    # JSON: typed values printed dd/mm/yyyy; other parameters reach rows() as filters
    with api.env.adopt_user(username="stttt.chuyenvien"):
        body = service.answer(agency, NAME, {"year": "2026", "dossier": "hs-01"}, agency.REQUEST)
    assert body["rows"] == [{"ordinal": 1, "title": "Hồ sơ chuyển đổi số", "period": "01/01/2026",
                             "pages": 12}]
    assert provider.seen == [(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), {"dossier": "hs-01"})]
    # a file follows the one convention
    with api.env.adopt_user(username="stttt.chuyenvien"):
        file = service.answer(agency, NAME, {"year": "2025", "format": "xlsx"}, agency.REQUEST)
    assert file.filename == "muc-luc-ho-so-2025.xlsx" and file.data[:2] == b"PK"


def test_rows_the_renderer_refuses_are_a_400_and_no_file(demo, provider):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(E.UnknownColumnError) as refused:
        service.answer(agency, NAME, {"format": "pdf", "broken": "1"}, agency.REQUEST)
    assert refused.value.status == 400
