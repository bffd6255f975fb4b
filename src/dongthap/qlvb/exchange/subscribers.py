"""Statuses out: the incoming workflow of documents received by exchange answers the sender.

``01`` is queued on arrival (by the inbox); then, on the transitions of
``qlvb_incoming_workflow``: ``register`` → 03, ``refuse`` → 02 (with the
clerk's reason), ``assign`` → 04, ``start`` → 05, ``complete`` → 06.  The
status package is queued in the transaction of the transition (durable,
atomic with it) and sent by the worker.  A recalled document is frozen: no
transition is allowed any more.
"""

from __future__ import annotations

import logging

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.errors import QlvbWorkflowError
from dongthap.qlvb.i18n import _
from plone import api

from . import edxml
from .inbox import EXCHANGE_ATTR, RECALL_ATTR
from .outbox import organization_of, queue_status

logger = logging.getLogger("dongthap.qlvb.exchange")

STATUS_OF_TRANSITION = {
    "register": edxml.constants.STATUS_ACCEPTED,
    "refuse": edxml.constants.STATUS_REFUSED,
    "assign": edxml.constants.STATUS_ASSIGNED,
    "start": edxml.constants.STATUS_IN_PROGRESS,
    "complete": edxml.constants.STATUS_COMPLETED,
}


#: The transition of a recalled document is refused: the one workflow error (``docs/errors.md``).
RecalledDocumentError = QlvbWorkflowError


def before_transition(doc, event):
    if event.transition is None or getattr(doc, RECALL_ATTR, None) is None:
        return
    raise RecalledDocumentError(_(
        "error_document_recalled",
        default="The sender recalled this document: it is frozen and cannot be processed further."))


def after_transition(doc, event):
    info = getattr(doc, EXCHANGE_ATTR, None)
    if info is None or event.transition is None:
        return
    code = STATUS_OF_TRANSITION.get(event.transition.id)
    if code is None:
        return
    comment = ((event.kwargs or {}).get("comment") or "").strip()
    description = edxml.STATUS_LABELS[code]
    if comment and code == edxml.constants.STATUS_REFUSED:
        description = f"{description}: {comment}"
    agency = get_agency(doc)
    if agency is None:
        return
    response_for = edxml.ResponseFor(
        info.get("from_organ_id", ""),
        f"{doc.code_number}/{doc.code_notation}" if getattr(doc, "code_notation", None) else doc.code_number,
        getattr(doc, "issued_date", None), info.get("document_id", ""))
    entry = queue_status(sender=organization_of(agency), recipient=response_for.organ_id,
                         response_for=response_for, code=code, description=description,
                         document_uid=api.content.get_uuid(doc))
    if entry is None:
        logger.warning("exchange: status %s for %s could not be queued", code, doc.getId())
