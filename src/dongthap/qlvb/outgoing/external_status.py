"""The statuses external recipients send back update the one delivery table.

The delivery table of an issued document (``qlvb_delivery``, see
:mod:`.delivery`) holds internal and external recipients alike; internal
copies update it through the incoming workflow, external recipients through
the status packages (01…06, 13, 15, 16) the exchange inbox receives
(:class:`dongthap.qlvb.exchange.events.RecipientStatusChanged`).  The
document page, ``@delivery-status`` and the outgoing report all read that
table, so an external recipient is no longer "queued" forever.
"""

from dongthap.qlvb.outgoing import delivery
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.outgoing.delivery")

#: status code of the exchange → delivery status (titles in ``delivery.STATUS_TITLES``)
STATUS_OF_CODE = {
    "01": "delivered",
    "02": "refused",
    "03": "registered",
    "04": "assigned",
    "05": "in_progress",
    "06": "completed",
    "13": "recall_requested",
    "15": "change_agreed",
    "16": "change_refused",
}


def _status(code, entry, description=""):
    status = STATUS_OF_CODE.get(code)
    if status == "change_agreed" and str(entry.get("status", "")).startswith("recall"):
        # 15 answering our recall: with a destruction record ("Đã hủy …") the copy is gone
        return "recall_destroyed" if "hủy" in (description or "").lower() else "recall_acknowledged"
    return status


def recipient_status_changed(event):
    """Subscriber of ``IRecipientStatusChanged``: write the status into the delivery table."""
    brains = api.content.find(UID=event.document_uid, unrestricted=True)
    if not brains:
        return
    doc = brains[0]._unrestrictedGetObject()
    table = delivery._store(doc)
    entry = table.get(f"external:{event.organ_id}") if table is not None else None
    if entry is None:
        return  # not a document issued through the outgoing workflow (or not to this recipient)
    status = _status(event.code, entry, event.description)
    if status is None:
        logger.warning("delivery of %s: unknown status %s from %s", doc.getId(), event.code, event.organ_id)
        return
    if entry.get("delivered_at") is None and status != "refused":
        entry["delivered_at"] = delivery.outgoing.now().isoformat()
    delivery._history(entry, status, event.description or "", code=event.code)
    if status == "refused":
        from dongthap.qlvb.outgoing import replies

        replies.reindex(doc)
    if status == "recall_destroyed":  # the sender keeps its copy of the destruction record
        from dongthap.qlvb.agencies.api import get_agency
        from dongthap.qlvb.recall import api as recall_api

        record = {"side": "sender", "at": delivery.outgoing.now().isoformat(timespec="seconds"),
                  "notation": doc.notation(), "title": doc.title,
                  "issuing_agency_name": get_agency(doc).title,
                  "issued_date": doc.issued_date.isoformat() if doc.issued_date else None,
                  "recipient": event.organ_id, "recipient_name": entry.get("agency_name", ""),
                  "by": "", "by_name": "", "reason": event.description or "", "files": [],
                  "origin": "axis", "sent_uid": event.document_uid}
        entry["destruction"] = delivery.PersistentMapping(record)
        recall_api.keep_record(get_agency(doc), record)
