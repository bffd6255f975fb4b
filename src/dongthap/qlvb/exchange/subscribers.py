"""Statuses out: the incoming workflow of documents received by exchange answers the sender.

Steps of the incoming transitions, run in the order of ``incoming/transitions.py``.

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


def refuse_if_recalled(doc, change):
    """Before every transition: a document its sender recalled is frozen."""
    if getattr(doc, RECALL_ATTR, None) is None:
        return
    raise RecalledDocumentError(_(
        "error_document_recalled",
        default="The sender recalled this document: it is frozen and cannot be processed further."))


def queue_status_out(doc, change):
    """After ``register``/``refuse``/``assign``/``start``/``complete``: answer the sender over the axis."""
    info = getattr(doc, EXCHANGE_ATTR, None)
    if info is None:
        return
    code = STATUS_OF_TRANSITION[change.transition]  # the step runs for these transitions only
    comment = change.reason
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
