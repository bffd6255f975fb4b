"""Queue documents and statuses for external recipients (the outbox).

Outgoing documents call, when a document is issued to external recipients::

    from dongthap.qlvb.exchange.outbox import queue_outgoing
    queue_outgoing(document=doc, recipients=[{"organ_id": "000.00.00.G22",
                                              "name": "Văn phòng Chính phủ"}])

**One package per recipient.**  The axis accepts one package with several
``To`` and fans it out, but we build one package per recipient (``To`` = that
recipient; the full list of recipients stays in ``ToPlaces``, the "Nơi
nhận"): every recipient then has its own transport state, retries and
failures (an unknown or unreachable recipient never blocks the others), a
recall or an update reaches exactly the recipients that got the document,
and the package a recipient receives is byte-identical on every retry.  All
packages share the document's DocumentId, so receivers deduplicate as usual.

The package is built **now**, in the transaction of the issue, from the
document as issued (signed PDF and attachments), and stored with the queue
entry: the worker never reads the document again, and a crash can neither
lose nor change it.  Nothing is sent here; the worker sends.

:func:`package_from_document` reads these attributes of the document
(outgoing documents provide them; missing ones are left empty):
``code_number``, ``code_notation``, ``issued_date`` (date or datetime),
``title`` (trích yếu), ``document_type`` (id of
:data:`~dongthap.qlvb.vocabularies.documents.DOCUMENT_TYPES`),
``signer_name`` (or ``signer``, a user id), ``signer_position``, ``signer_competence`` (optional),
``urgency`` (``thuong``/``khan``/``thuong_khan``/``hoa_toc``), ``due_date``,
``page_amount``, ``description`` (content), ``file`` (the signed PDF,
a NamedBlobFile) and ``attachments`` (list of NamedBlobFiles).
"""

from __future__ import annotations

import copy
import datetime

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.vocabularies.documents import type_name
from plone import api

from . import edxml
from .queue import KIND_DOCUMENT, KIND_STATUS, OutboxEntry
from .storage import get_store

VN_TZ = edxml.constants.VN_TZ
PRIORITY_OF_URGENCY = {"thuong": 0, "khan": 1, "thuong_khan": 2, "hoa_toc": 3}


def _date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return (value.astimezone(VN_TZ) if value.tzinfo else value).date()
    return value


def _file_bytes(value):
    if value is None:
        return None
    data = getattr(value, "data", None)
    return bytes(data) if data else None


def organization_of(agency) -> edxml.Organization:
    """``From`` of packages sent by ``agency``."""
    parent = get_agency(agency.aq_parent) if agency is not None else None
    return edxml.Organization(
        organ_id=agency.agency_code,
        organization_in_charge=parent.title if parent is not None else agency.title,
        organ_name=agency.title,
    )


def document_id_of(document) -> str:
    """The edXML DocumentId of our document: ``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>``."""
    agency = get_agency(document)
    issued = (_date(getattr(document, "issued_date", None) or getattr(document, "issued_at", None))
              or datetime.datetime.now(VN_TZ).date())
    return edxml.make_document_id(agency.agency_code, issued, str(getattr(document, "code_number", "") or ""),
                                  getattr(document, "code_notation", "") or "")


def package_from_document(document, *, business_type=edxml.DOCTYPE_NEW, reason="",
                          recipients=(), staff=None, replacement_info=(),
                          document_info=None) -> edxml.DocumentPackage:
    """A document package (without ``To``) from the documented attributes (module docstring)."""
    agency = get_agency(document)
    if agency is None:
        raise QlvbError(_("error_exchange_no_agency", default="The document belongs to no agency."))
    issued = _date(getattr(document, "issued_date", None) or getattr(document, "issued_at", None))
    number = str(getattr(document, "code_number", "") or "")
    notation = getattr(document, "code_notation", "") or ""
    doc_type = getattr(document, "document_type", "") or ""
    document_id = edxml.make_document_id(agency.agency_code, issued, number, notation) if issued else ""
    attachments = []
    main = getattr(document, "file", None)
    main_data = _file_bytes(main)
    if main_data:
        attachments.append(edxml.Attachment("vanban", getattr(main, "filename", None) or "van-ban.pdf",
                                            "Văn bản chính", getattr(main, "contentType", None)
                                            or "application/pdf", main_data))
    for index, value in enumerate(getattr(document, "attachments", None) or (), 1):
        data = _file_bytes(value)
        if data:
            attachments.append(edxml.Attachment(f"dinhkem{index}", getattr(value, "filename", None)
                                                or f"dinh-kem-{index}.pdf", "Tệp đính kèm",
                                                getattr(value, "contentType", None) or "application/pdf",
                                                data))
    header = edxml.MessageHeader(
        from_=organization_of(agency),
        to=[],
        document_id=document_id,
        code=edxml.Code(number, notation),
        promulgation_info=edxml.PromulgationInfo(getattr(document, "promulgation_place", "") or "", issued),
        document_type=edxml.DocumentType("", "", type_name(doc_type) or doc_type),
        subject=getattr(document, "title", "") or "",
        content=getattr(document, "description", "") or "",
        signer_info=_signer_info(document),
        due_date=_date(getattr(document, "due_date", None)),
        other_info=edxml.OtherInfo(PRIORITY_OF_URGENCY.get(getattr(document, "urgency", "thuong"), 0),
                                   page_amount=getattr(document, "page_amount", None)),
        to_places=[r.get("name") or r["organ_id"] for r in recipients],
    )
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader(agency.agency_code, datetime.datetime.now(VN_TZ).replace(microsecond=0))],
        edxml.Bussiness(document_id, business_type, reason, 0, staff or _staff(),
                        document_info=document_info, replacement_info_list=list(replacement_info)),
    )
    return edxml.DocumentPackage(header, trace, attachments)


def _signer_info(document):
    behalf = getattr(document, "qlvb_signed_on_behalf", None)
    if behalf:  # signed under a delegation: Competence "KT. GIÁM ĐỐC", Position "PHÓ GIÁM ĐỐC"
        return edxml.SignerInfo(f"{behalf['authority']} {behalf['delegator_position']}",
                                behalf["delegate_position"], _signer_name(document))
    return edxml.SignerInfo(getattr(document, "signer_competence", "") or "",
                            getattr(document, "signer_position", "") or "", _signer_name(document))


def _signer_name(document) -> str:
    behalf = getattr(document, "qlvb_signed_on_behalf", None)
    if behalf:
        user = api.user.get(userid=behalf["signed_by"])
        return (user.getProperty("fullname", "") if user is not None else "") or behalf["signed_by"]
    name = getattr(document, "signer_name", "") or ""
    if not name and getattr(document, "signer", None):
        user = api.user.get(userid=document.signer)
        name = (user.getProperty("fullname", "") if user is not None else "") or document.signer
    return name


def _staff() -> edxml.StaffInfo:
    user = api.user.get_current()
    name = (user.getProperty("fullname", "") if hasattr(user, "getProperty") else "") or user.getId() or ""
    email = user.getProperty("email", "") if hasattr(user, "getProperty") else ""
    return edxml.StaffInfo("Văn thư", name, "", email or "")


def _build(pkg):
    try:
        return edxml.build_document(pkg)
    except edxml.InvalidPackageError as exc:
        problems = getattr(exc, "problems", None) or []
        text = "; ".join(p.message_vi for p in problems) or str(exc)
        raise QlvbError(_("error_exchange_invalid_package",
                          default="The exchange package cannot be built: ${problems}",
                          mapping={"problems": text})) from exc


def _recipient_name(store, recipient):
    name = (recipient.get("name") or "").strip()
    if not name:
        entry = store.directory.get(recipient["organ_id"])
        name = entry.get("name", "") if entry else ""
    return name


def _recipients(recipients):
    """``[{organ_id, name}]`` from dicts with ``organ_id`` (or ``code``) and ``name``, or plain ids."""
    out = []
    for r in recipients or ():
        if isinstance(r, str):
            r = {"organ_id": r}
        organ_id = (r.get("organ_id") or r.get("code") or "").strip()
        if organ_id:
            out.append({"organ_id": organ_id, "name": (r.get("name") or "").strip()})
    return out


def queue_outgoing(*, document, recipients, business_type=edxml.DOCTYPE_NEW, reason="",
                   replacement_info=(), document_info=None):
    """Queue the document for each external recipient ``{organ_id, name}``; returns the entries.

    ``organ_id`` may also be given as ``code``.  Idempotent: a recipient that
    already has an entry of this kind for this document is not queued again
    (its existing entry is returned).  ``replacement_info`` (replace, type 3)
    and ``document_info`` (update, type 2) go into the ``Bussiness`` block
    (see :func:`replacement_of` and :func:`queue_update`).
    """
    recipients = _recipients(recipients)
    if not recipients:
        return []
    store = get_store()
    uid = api.content.get_uuid(document)
    base = package_from_document(document, business_type=business_type, reason=reason,
                                 recipients=recipients, replacement_info=replacement_info,
                                 document_info=document_info)
    existing = {(e.recipient, e.business_type): e
                for e in store.entries_of(document_uid=uid) if e.kind == KIND_DOCUMENT}
    entries = []
    for recipient in recipients:
        organ_id = recipient["organ_id"].strip()
        if business_type != edxml.DOCTYPE_UPDATE and (organ_id, business_type) in existing:
            entries.append(existing[(organ_id, business_type)])
            continue
        name = _recipient_name(store, recipient)
        pkg = copy.deepcopy(base)
        pkg.message_header.to = [edxml.Organization(organ_id, organ_name=name)]
        data = _build(pkg)
        entry = store.add(OutboxEntry(
            kind=KIND_DOCUMENT, recipient=organ_id, recipient_name=name,
            document_id=base.message_header.document_id, document_uid=uid, package=data,
            business_type=business_type, sender=base.message_header.from_.organ_id,
            title=base.message_header.subject[:200]))
        entries.append(entry)
    return entries


def _sent_to(store, uid):
    """``{organ_id: name}`` of the external recipients a document was sent to (type 0 or 3)."""
    return {e.recipient: e.recipient_name for e in store.entries_of(document_uid=uid)
            if e.kind == KIND_DOCUMENT and e.business_type in (edxml.DOCTYPE_NEW, edxml.DOCTYPE_REPLACE)}


def replacement_of(document) -> dict:
    """Keyword arguments of :func:`queue_outgoing` for a document issued to replace another.

    An outgoing document names the one it replaces in ``replaces`` (UID).
    When that one went to external recipients, the new one is sent as a
    replacement (BussinessDocType 3) whose ``ReplacementInfo`` names the
    replaced DocumentId and the agencies that got it: they freeze the old
    copy and link both.  Otherwise ``{}`` (an ordinary new document).
    """
    old_uid = getattr(document, "replaces", None)
    if not old_uid:
        return {}
    store = get_store()
    got_it = _sent_to(store, old_uid)
    if not got_it:
        return {}
    old_ids = {e.document_id for e in store.entries_of(document_uid=old_uid)
               if e.kind == KIND_DOCUMENT and e.document_id}
    return {"business_type": edxml.DOCTYPE_REPLACE,
            "reason": "Thay thế văn bản đã gửi.",
            "replacement_info": [edxml.ReplacementInfo(i, sorted(got_it)) for i in sorted(old_ids)]}


def queue_update(*, document, reason, recipients=None, removed=(), added=(), changed=True):
    """Queue a correction (BussinessDocType 2) of an already sent document; returns the entries.

    The package carries the document as it is now (metadata and files) to
    the recipients that got it (or ``recipients``), with
    ``BussinessDocumentInfo`` saying whether the document data changed
    (``changed``: DocumentInfo 1, else 0); ``removed`` organ ids are listed as
    receivers taken off (ReceiverType 0, they recall their copy), ``added``
    ones as receivers added (ReceiverType 1, "gửi bổ sung": the document
    itself goes to them separately, as a new document).
    """
    store = get_store()
    uid = api.content.get_uuid(document)
    sent_to = _sent_to(store, uid)
    only = None if recipients is None else {r["organ_id"] for r in _recipients(recipients)}
    gone = {r["organ_id"] for r in _recipients(removed)}
    new = [r["organ_id"] for r in _recipients(added) if r["organ_id"] not in gone]
    wanted = [{"organ_id": o, "name": n} for o, n in sent_to.items()
              if (only is None or o in only or o in gone) and o not in new]
    info = edxml.BussinessDocumentInfo(
        document_info="1" if changed else "0", document_receiver="1" if gone or new else "0",
        receiver_list=[edxml.Receiver(o, 0) for o in sorted(gone)]
        + [edxml.Receiver(o, 1) for o in dict.fromkeys(new)])
    entries = queue_outgoing(document=document, recipients=wanted, business_type=edxml.DOCTYPE_UPDATE,
                             reason=reason, document_info=info)
    store.record("update-sent", document_uid=uid, document_id=document_id_of(document),
                 recipients=[w["organ_id"] for w in wanted], removed=sorted(gone), added=new,
                 reason=reason, actor=api.user.get_current().getId())
    return entries


def queue_recall(*, document, reason, recipients=None):
    """Queue a revoke package (thu hồi, BussinessDocType 1) to the recipients that got the document.

    ``recipients`` (organ ids, or dicts with ``organ_id``/``code``) restricts
    the recall; by default every external recipient queued for the document.
    Freezing our own copy is the job of the outgoing workflow; the recall is
    recorded in the exchange log.
    """
    store = get_store()
    uid = api.content.get_uuid(document)
    sent_to = {}
    for entry in store.entries_of(document_uid=uid):
        if entry.kind == KIND_DOCUMENT and entry.business_type == edxml.DOCTYPE_NEW:
            sent_to[entry.recipient] = entry.recipient_name
    only = None if recipients is None else {r["organ_id"] for r in _recipients(recipients)}
    wanted = [{"organ_id": o, "name": n} for o, n in sent_to.items() if only is None or o in only]
    entries = queue_outgoing(document=document, recipients=wanted, business_type=edxml.DOCTYPE_REVOKE,
                             reason=reason)
    store.record("recall-sent", document_uid=uid, document_id=document_id_of(document),
                 recipients=[w["organ_id"] for w in wanted], reason=reason,
                 actor=api.user.get_current().getId())
    return entries


def queue_status(*, site=None, sender: edxml.Organization, recipient: str,
                 response_for: edxml.ResponseFor, code: str, description: str = "",
                 document_uid: str = "", staff=None):
    """Queue a status package (01–06, 13, 15, 16) answering ``response_for``; returns the entry or None.

    A status that cannot be built (e.g. the document to answer has no id) is
    not queued; the reason is logged in the exchange log.
    """
    store = get_store(site)
    header = edxml.StatusHeader(
        from_=sender, response_for=response_for, staff_info=staff or _staff(), status_code=code,
        description=description or edxml.STATUS_LABELS.get(code, ""),
        timestamp=datetime.datetime.now(VN_TZ).replace(microsecond=0),
    )
    try:
        data = edxml.build_status(edxml.StatusPackage(header))
    except (edxml.InvalidPackageError, ValueError) as exc:
        store.record("status-not-sent", code=code, recipient=recipient, document_uid=document_uid,
                     document_id=response_for.document_id, reason=str(exc)[:500])
        return None
    return store.add(OutboxEntry(
        kind=KIND_STATUS, recipient=recipient, document_id="", document_uid=document_uid,
        package=data, status_code=code, sender=sender.organ_id,
        title=f"{code} → {response_for.document_id}"[:200]))
