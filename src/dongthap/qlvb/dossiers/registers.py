"""The two dossier registers as providers of ``@registers`` (see ``docs/registers.md``).

``dossiers``           Mục lục hồ sơ: the agency's dossiers of the period (by their year),
                       in the order of their file code
``dossier_documents``  Mục lục văn bản trong hồ sơ: the documents of one dossier
                       (``?dossier=<uid or file code>``), or of every dossier of the period,
                       each row noting its dossier

Both need ``dongthap.qlvb: View dossiers`` on the agency and list only the dossiers (and
documents) the user may see.
"""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.registers.errors import RegisterError
from dongthap.qlvb.registers.provider import RegisterProvider
from plone import api
from zope.component import adapter


class UnknownDossierError(RegisterError):
    status = 404
    msgid = "registers_error_unknown_dossier"
    default = "No dossier \"${dossier}\" in this agency."


def dossier_row(ordinal, dossier):
    """One row of Mục lục hồ sơ (also the transfer list of the archive)."""
    start, end = dossier.start_date, dossier.end_date
    period = "–".join(d.strftime("%d/%m/%Y") for d in (start, end) if d)
    return {
        "ordinal": ordinal,
        "file_notation": dossier.file_code,
        "title": dossier.title,
        "period": period or None,
        "retention": dossiers.retention_title(dossier.retention),
        "pages": str(dossier.page_total or 0),
        "note": None,
    }


def _dossiers(agency, start, end):
    """The dossiers of the period the user may see, by file code."""
    query = {"portal_type": "Dossier", "path": "/".join(agency.getPhysicalPath()),
             "sort_on": "qlvb_file_code"}
    if start or end:
        first = start.year if start else 1900
        last = end.year if end else 9999
        query["qlvb_dossier_year"] = {"query": (first, last), "range": "min:max"}
    return [b.getObject() for b in api.content.find(**query)]


def _find(agency, key):
    path = "/".join(agency.getPhysicalPath())
    for query in ({"UID": key}, {"qlvb_file_code": key}):
        brains = api.content.find(portal_type="Dossier", path=path, **query)
        if brains:
            return brains[0].getObject()
    raise UnknownDossierError(dossier=key)


def document_rows(dossier, note=None):
    """Rows of Mục lục văn bản trong hồ sơ for ``dossier`` (documents the user may not see:
    their ordinal only)."""
    rows = []
    for item in dossiers.dossier_items(dossier):
        if not item["visible"]:
            rows.append({"ordinal": item["ordinal"], "note": note})
            continue
        rows.append({"ordinal": item["ordinal"], "notation": item["notation"] or None,
                     "issued_date": item["issued_date"], "subject": item["title"],
                     "author": item["author"] or None, "pages": item["pages"], "note": note})
    return rows


@adapter(IAgency)
class DossierList(RegisterProvider):
    """Mục lục hồ sơ."""

    name = "dossiers"
    permission = dossiers.VIEW_DOSSIERS

    def rows(self, start, end, filters):
        return [dossier_row(n, d) for n, d in enumerate(_dossiers(self.context, start, end), 1)]


@adapter(IAgency)
class DossierDocuments(RegisterProvider):
    """Mục lục văn bản trong hồ sơ."""

    name = "dossier_documents"
    permission = dossiers.VIEW_DOSSIERS

    def rows(self, start, end, filters):
        key = (filters.get("dossier") or "").strip()
        if key:
            return document_rows(_find(self.context, key))
        rows = []
        for dossier in _dossiers(self.context, start, end):
            rows += document_rows(dossier, note=dossier.file_code)
        return rows
