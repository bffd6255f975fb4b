"""Duplicate warning **before** registration (Phụ lục VI; issue 22 item 4).

A document is a possible duplicate of another document of the same agency when

* they have the same số, ký hiệu and issuing agency (normalised: case, spaces,
  Unicode form, diacritics — :func:`dongthap.qlvb.content.incoming.duplicate_key`,
  the agency's code or its name) **and** the same issue date (when both have
  one), or
* they came through the exchange with the same ``DocumentId``.

Refused documents are not counted. The warning is shown on the "chờ vào sổ"
list (each row: ``possible_duplicate``), on the document page and the
registration form, and the registration itself stops (409, nothing numbered)
unless the clerk confirms (``confirm_duplicate``) — or he refuses the document
as a duplicate (:func:`refuse`): the ``refuse`` transition (no arrival number is
taken, so the gap-free counter stays gap-free; over the axis the sender gets 02
with the reason), the record kept on the document (``qlvb_duplicate_of``), a
trail entry (``refuse_duplicate``) and so an audit record.

Packages the exchange inbox drops because the agency already received their
DocumentId are recorded (``duplicate`` in the exchange log) and listed for the
clerk with the reason (:func:`dropped_packages`, ``@@su-co-lien-thong``).
"""

from __future__ import annotations

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.incoming import duplicate_key
from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from plone import api
from plone.indexer import indexer

from dongthap.qlvb.content.incoming import IIncomingDocument

import Missing

SHOWN = 5
DUPLICATE_ATTR = "qlvb_duplicate_of"


def document_id_of(doc):
    info = getattr(doc, "qlvb_exchange", None)
    return (info.get("document_id") or "").strip() if info is not None and hasattr(info, "get") else ""


@indexer(IIncomingDocument)
def qlvb_exchange_document_id(obj):
    """The exchange ``DocumentId`` of a document received through the axis (else no entry)."""
    return document_id_of(obj) or None


def keys(code_number, code_notation, issuer_code, issuer_name):
    found = [duplicate_key(code_number, code_notation, issuer) for issuer in (issuer_code, issuer_name)]
    return [k for k in dict.fromkeys(found) if k]


def find(agency, *, code_number=None, code_notation=None, issuer_code=None, issuer_name=None,
         issued_date=None, document_id="", exclude_uid=None):
    """Possible duplicates in ``agency`` (whatever the user may see): rows, the earliest first."""
    from dongthap.qlvb.incoming.api import incoming_root

    root = incoming_root(agency)
    if root is None:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(root.getPhysicalPath())
    found = {}
    wanted = keys(code_number, code_notation, issuer_code, issuer_name)
    if wanted:
        for brain in catalog.unrestrictedSearchResults(path=path, portal_type="IncomingDocument",
                                                       qlvb_incoming_duplicate_key=wanted):
            same_day = (issued_date is None or brain.qlvb_issued_date is None
                        or brain.qlvb_issued_date == issued_date)
            if same_day:
                found.setdefault(brain.UID, (brain, "same_number"))
    if document_id and "qlvb_exchange_document_id" in catalog.indexes():
        for brain in catalog.unrestrictedSearchResults(path=path, portal_type="IncomingDocument",
                                                       qlvb_exchange_document_id=document_id):
            found[brain.UID] = (brain, "same_document_id")
    return _rows(found, exclude_uid)


def _rows(found, exclude_uid):
    """The rows of the possible duplicates ``found`` (uid → (brain, reason)), the earliest first."""
    rows = []
    for uid, (brain, why) in found.items():
        if uid == exclude_uid or brain.review_state == "refused":
            continue
        rows.append({"uid": uid, "url": brain.getURL(), "title": brain.Title,
                     "notation": "/".join(x for x in (brain.qlvb_code_number, brain.qlvb_code_notation) if x),
                     "issuing_agency_name": brain.qlvb_issuing_agency_name,
                     "issued_date": fmt_date(brain.qlvb_issued_date),
                     "arrival_number": brain.qlvb_arrival_number,
                     "arrival_date": fmt_date(brain.qlvb_arrival_day),
                     "state": brain.review_state, "reason": why})
    rows.sort(key=lambda r: (r["arrival_number"] is None, r["arrival_number"] or 0, r["uid"]))
    return rows[:SHOWN]


def _entries(index, brain):
    """The values ``index`` holds for ``brain`` as a set (a field index holds one)."""
    entry = index.getEntryForObject(brain.getRID(), None)
    return {entry} if isinstance(entry, str) else set(entry or ())


def for_documents(agency, docs):
    """:func:`for_document` of many documents of ``agency`` at once (a page of "chờ vào sổ"):
    ``{uid: rows}`` from one catalog query for all their keys (and one for their exchange ids)
    instead of one or two per document; the same rows, in the same order."""
    return _for_wanted(agency, {api.content.get_uuid(doc): _wanted(doc) for doc in docs})


def _wanted(doc):
    """``(keys, issue date, exchange id)`` of the document ``doc``."""
    return (set(keys(doc.code_number, doc.code_notation, doc.issuing_agency_code, doc.issuing_agency_name)),
            doc.issued_date, document_id_of(doc))


def for_brains(agency, brains):
    """:func:`for_documents` of the documents of catalog ``brains`` without waking them: their keys
    are the catalog's (the key index holds the one of the issuer's code, else of its name; the
    name's is made from the metadata, as the indexer makes it), their exchange ids the id index's."""
    catalog = api.portal.get_tool("portal_catalog")
    if "qlvb_exchange_document_id" not in catalog.indexes():  # an old catalog: read the documents
        return for_documents(agency, [b._unrestrictedGetObject() for b in brains])
    key_index = catalog._catalog.getIndex("qlvb_incoming_duplicate_key")
    id_index = catalog._catalog.getIndex("qlvb_exchange_document_id")
    wanted = {}
    for brain in brains:
        number, notation, name, issued = (brain.qlvb_code_number, brain.qlvb_code_notation,
                                          brain.qlvb_issuing_agency_name, brain.qlvb_issued_date)
        if any(value is Missing.Value for value in (number, notation, name, issued)):
            wanted[brain.UID] = _wanted(brain._unrestrictedGetObject())  # catalogued before these columns
            continue
        found = _entries(key_index, brain)
        found.add(duplicate_key(number, notation, name))
        found.discard(None)
        wanted[brain.UID] = (found, issued, next(iter(_entries(id_index, brain)), ""))
    return _for_wanted(agency, wanted)


def _for_wanted(agency, wanted):
    """``{uid: rows}`` of the documents ``wanted`` (uid → (keys, issue date, exchange id))."""
    from dongthap.qlvb.incoming.api import incoming_root

    out = {uid: [] for uid in wanted}
    root = incoming_root(agency)
    if root is None or not wanted:
        return out
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(root.getPhysicalPath())
    all_keys = sorted(set().union(*(w[0] for w in wanted.values())))
    by_key = []
    if all_keys:
        index = catalog._catalog.getIndex("qlvb_incoming_duplicate_key")
        for brain in catalog.unrestrictedSearchResults(path=path, portal_type="IncomingDocument",
                                                       qlvb_incoming_duplicate_key=all_keys):
            by_key.append((brain, _entries(index, brain)))
    all_ids = sorted({w[2] for w in wanted.values() if w[2]})
    by_id = []
    if all_ids and "qlvb_exchange_document_id" in catalog.indexes():
        index = catalog._catalog.getIndex("qlvb_exchange_document_id")
        for brain in catalog.unrestrictedSearchResults(path=path, portal_type="IncomingDocument",
                                                       qlvb_exchange_document_id=all_ids):
            by_id.append((brain, _entries(index, brain)))
    for uid, (doc_keys, issued_date, document_id) in wanted.items():
        found = {}
        for brain, brain_keys in by_key:
            if doc_keys & brain_keys and (issued_date is None or brain.qlvb_issued_date is None
                                          or brain.qlvb_issued_date == issued_date):
                found.setdefault(brain.UID, (brain, "same_number"))
        for brain, brain_ids in by_id:
            if document_id and document_id in brain_ids:
                found[brain.UID] = (brain, "same_document_id")
        out[uid] = _rows(found, uid)
    return out


def for_document(doc):
    """Possible duplicates of the document ``doc`` in its agency."""
    return find(get_agency(doc), code_number=doc.code_number, code_notation=doc.code_notation,
                issuer_code=doc.issuing_agency_code, issuer_name=doc.issuing_agency_name,
                issued_date=doc.issued_date, document_id=document_id_of(doc),
                exclude_uid=api.content.get_uuid(doc))


def for_values(agency, values):
    """Possible duplicates of a document about to be created from cleaned ``values``."""
    return find(agency, code_number=values.get("code_number"), code_notation=values.get("code_notation"),
                issuer_code=values.get("issuing_agency_code"), issuer_name=values.get("issuing_agency_name"),
                issued_date=values.get("issued_date"))


def describe(rows):
    """"05/UBND-VP (số đến 12), …" for the messages."""
    parts = []
    for row in rows:
        text = row["notation"] or row["title"]
        if row["arrival_number"]:
            text += f" (số đến {row['arrival_number']})"
        elif row["reason"] == "same_document_id":
            text += " (cùng mã định danh văn bản)"
        parts.append(text)
    return ", ".join(parts)


def warning(rows):
    if not rows:
        return None
    return _("warning_possible_duplicate",
             default="Possible duplicate: the agency already has ${documents} (same number, notation, "
                     "issuing agency and date, or the same exchange document id).",
             mapping={"documents": describe(rows)})


def refusal(rows):
    """The 409 of a registration stopped by possible duplicates (nothing numbered)."""
    return QlvbError(
        _("error_possible_duplicate",
          default="Not registered: the agency already has ${documents}. Register it anyway (confirm) or "
                  "refuse it as a duplicate.", mapping={"documents": describe(rows)}),
        [{"field": "code_number", "message": warning(rows)}], status=409)


def check_before_registration(rows, confirmed):
    if rows and not confirmed:
        raise refusal(rows)


def refuse(doc, reason="", duplicate_of=None):
    """The clerk refuses ``doc`` as a duplicate: no arrival number, a record; returns the result.

    ``duplicate_of``: uids of the documents it duplicates (default: those found).
    """
    from dongthap.qlvb.documents.trail import add_trail
    from dongthap.qlvb.numbering import run_in_transaction
    from dongthap.qlvb.recall.api import check_not_frozen
    from persistent.mapping import PersistentMapping
    from Products.CMFCore.WorkflowCore import WorkflowException

    check_not_frozen(doc)
    if api.content.get_state(doc) != "received" or not api.user.has_permission(
            "Modify portal content", obj=doc):
        raise QlvbError(_("error_refuse_duplicate_state",
                          default="Only a document waiting for registration can be refused as a duplicate."),
                        status=409 if api.user.has_permission("View", obj=doc) else 403)
    rows = for_document(doc)
    wanted = duplicate_of or [r["uid"] for r in rows]
    if not isinstance(wanted, (list, tuple)) or not all(isinstance(u, str) for u in wanted):
        message = _("error_duplicate_of", default="Choose the documents it duplicates.")
        raise QlvbError(message, [{"field": "duplicate_of", "message": message}])
    wanted = list(wanted)
    known = {r["uid"]: r for r in rows}
    unknown = [u for u in wanted if u not in known]
    if unknown or not wanted:
        message = _("error_not_a_duplicate",
                    default="No such earlier document in this agency: it is not a duplicate.")
        raise QlvbError(message, [{"field": "duplicate_of", "message": message}], status=409)
    reason = (reason or "").strip()[:1000] or "Trùng với " + describe([known[u] for u in wanted])
    comment = f"Trùng văn bản: {reason}"

    def work():
        record = PersistentMapping(at=now().isoformat(timespec="seconds"), by=actor(), reason=reason,
                                   duplicate_of=[dict(known[u]) for u in wanted])
        setattr(doc, DUPLICATE_ATTR, record)
        add_trail(doc, "refuse_duplicate", reason, duplicate_of=wanted)
        try:
            api.portal.get_tool("portal_workflow").doActionFor(doc, "refuse", comment=comment)
        except WorkflowException as problem:
            raise QlvbError(getattr(problem, "message", None) or _(
                "error_refuse_duplicate_state",
                default="Only a document waiting for registration can be refused as a duplicate.")
            ) from problem
        return {"state": api.content.get_state(doc), "arrival_number": doc.arrival_number,
                "duplicate_of": [dict(known[u]) for u in wanted], "reason": reason}

    return run_in_transaction(work, note="qlvb: incoming refused as duplicate")


def record_of(doc):
    record = getattr(doc, DUPLICATE_ATTR, None)
    return dict(record) if record else None


# ---------------------------------------------------------------- packages dropped by the inbox


DROPPED_REASON = ("Gói tin bị bỏ qua: cơ quan đã nhận văn bản có cùng mã định danh (DocumentId) "
                  "này trước đó.")


def dropped_packages(agency_code=None, limit=500):
    """Packages the exchange inbox dropped as duplicates, newest first (for the clerk)."""
    from dongthap.qlvb.exchange.refusals import list_problems

    return list_problems(agency_code, limit, actions=("duplicate",))
