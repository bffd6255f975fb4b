"""Taking a received document back: the sender's request and our answer (statuses 13, 15, 16).

A sender takes a document back with a revoke package (BussinessDocType 1) or
with a **status 13** ("đề nghị lấy lại văn bản", with the reason) answering
its own document.  Either way the receiving side recalls its copy per NĐ 30
(:func:`~.inbox.recall_document`): an unregistered copy is destroyed and
answered **15** at once, a registered one is frozen and answered **15** when its
clerk destroys it (:func:`destroyed`; the description carries the destruction
record) — or **16** (refused) when the copy cannot be taken back any more: it
was handed over to the archive (``archived``), where records are kept unchanged.
"""

from __future__ import annotations

from plone import api

from . import edxml
from .queue import document_key

#: states of a received copy that can no longer be taken back, with the reason answered
REFUSED_STATES = {
    "archived": "Văn bản đã được nộp lưu vào lưu trữ cơ quan, không thể thu hồi.",
}


def refusal(doc) -> str:
    """Why ``doc`` cannot be taken back ("" when it can)."""
    return REFUSED_STATES.get(api.content.get_state(doc, default=""), "")


def received_copies(store, document_id):
    """``[(organ_id, uid)]`` of our agencies that received ``document_id`` (live copies only)."""
    prefix = document_key(document_id, "")
    out = []
    for key, uid in store.documents.items(min=prefix, max=prefix + "\uffff"):
        if not key.startswith(prefix) or not uid or uid.startswith("!"):
            continue
        out.append((key[len(prefix):], uid))
    return out


def answer(inbox, pkg, *, agency, doc, document_id, reason, sender):
    """Recall ``doc`` (or refuse to) and queue the answer 15/16; returns the outcome word."""
    from .inbox import recall_document, reply

    uid = api.content.get_uuid(doc)
    refused = refusal(doc)
    if refused:
        inbox.store.record("take-back-refused", document_uid=uid, document_id=document_id,
                           agency=agency.agency_code, sender=sender, reason=refused)
        reply(pkg, code=edxml.constants.STATUS_CHANGE_REFUSED, description=refused,
              agency=agency, document_uid=uid, site=inbox.site)
        return "refused"
    outcome = recall_document(doc, reason=reason, sender=sender, store=inbox.store, document_id=document_id)
    inbox.store.documents[document_key(document_id, agency.agency_code)] = f"!{outcome}:{uid}"
    if outcome == "removed":  # destroyed at once: 15 with the destruction record
        from dongthap.qlvb.recall.api import record_text

        record = getattr(doc, "_v_qlvb_destruction", None)
        text = record_text(record) if record else "Đã hủy văn bản tại nơi nhận."
        reply(pkg, code=edxml.constants.STATUS_CHANGE_AGREED, description=f"Đã thu hồi văn bản. {text}",
              agency=agency, document_uid=uid, site=inbox.site)
    # frozen: the 15 goes when the clerk destroys the copy (destroyed())
    return outcome


def destroyed(doc, info, record):
    """The clerk destroyed a copy received over the axis: answer the sender 15 with the record."""
    from .outbox import organization_of, queue_status
    from .storage import get_store
    from dongthap.qlvb.agencies.api import get_agency

    agency = get_agency(doc)
    document_id = info.get("document_id", "")
    uid = api.content.get_uuid(doc)
    store = get_store()
    store.documents[document_key(document_id, agency.agency_code)] = f"!destroyed:{uid}"
    store.record("recall-destroyed", document_uid=uid, document_id=document_id, agency=agency.agency_code,
                 sender=info.get("from_organ_id", ""), by=record.get("by"), title=record.get("title"),
                 files=[f["sha256"] for f in record.get("files", ())])
    number = getattr(doc, "code_number", "") or ""
    notation = getattr(doc, "code_notation", "") or ""
    response_for = edxml.ResponseFor(info.get("from_organ_id", ""),
                                     f"{number}/{notation}" if notation else number,
                                     getattr(doc, "issued_date", None), document_id)
    from .inbox import MAX_REASON
    from dongthap.qlvb.recall.api import record_text

    queue_status(sender=organization_of(agency), recipient=response_for.organ_id, response_for=response_for,
                 code=edxml.constants.STATUS_CHANGE_AGREED,
                 description=("Đã thu hồi văn bản. " + record_text(record))[:MAX_REASON], document_uid=uid)


def status_reply_target(header):
    """A status package answers the sender of a document: ``reply`` needs a package-like object."""

    class _Answerable:
        message_header = edxml.MessageHeader(
            from_=header.from_, to=[], document_id=header.response_for.document_id,
            code=edxml.Code(*((header.response_for.code or "").split("/", 1) + [""])[:2]),
            promulgation_info=edxml.PromulgationInfo("", header.response_for.promulgation_date))

    return _Answerable()


def take_back_request(inbox, pkg, source_id):
    """A status 13 from the sender of documents we received: take them back; None when not ours.

    Returns an :class:`~.engine.Outcome`, or None when we received nothing
    under that DocumentId (the caller then treats the 13 as a recipient's
    status about one of our own documents).
    """
    from .engine import Outcome
    from .inbox import _agency

    mh = pkg.message_header
    document_id = mh.response_for.document_id
    copies = received_copies(inbox.store, document_id)
    if inbox.import_agency is not None:
        copies = [(o, u) for o, u in copies if o == inbox.import_agency.agency_code]
    if not copies:
        return None
    sender = (mh.from_.organ_id or "").strip()
    answerable = status_reply_target(mh)
    done = []
    for organ_id, uid in copies:
        doc = api.content.get(UID=uid)
        agency = _agency(organ_id)
        if doc is None or agency is None:
            continue
        recorded = ((getattr(doc, "qlvb_exchange", None) or {}).get("from_organ_id") or "").strip()
        if recorded != sender:
            return inbox._forged(
                f"Văn bản {document_id} do cơ quan {recorded or '(không rõ)'} gửi, cơ quan {sender} "
                "không được đề nghị lấy lại văn bản này.", source_id, sender=sender,
                document_id=document_id, agency=agency)
        reason = mh.description or edxml.STATUS_LABELS[edxml.constants.STATUS_TAKE_BACK_REQUEST]
        done.append(answer(inbox, answerable, agency=agency, doc=doc, document_id=document_id,
                           reason=reason, sender=sender))
    inbox.store.record("take-back-request", document_id=document_id, sender=sender, source_id=source_id,
                       outcomes=done)
    return Outcome(result="recalled" if any(d != "refused" for d in done) else "ignored")


def refused_by_clerk(doc, info, record):
    """Our clerk refused to take back a copy received over the axis: answer the sender 16 with the reason."""
    from .inbox import MAX_REASON
    from .outbox import organization_of, queue_status
    from .storage import get_store
    from dongthap.qlvb.agencies.api import get_agency

    agency = get_agency(doc)
    document_id = info.get("document_id", "")
    uid = api.content.get_uuid(doc)
    store = get_store()
    store.documents[document_key(document_id, agency.agency_code)] = uid  # a live copy again
    store.record("take-back-refused", document_uid=uid, document_id=document_id, agency=agency.agency_code,
                 sender=info.get("from_organ_id", ""), reason=record.get("reason", ""), by=record.get("by"))
    number = getattr(doc, "code_number", "") or ""
    notation = getattr(doc, "code_notation", "") or ""
    response_for = edxml.ResponseFor(info.get("from_organ_id", ""),
                                     f"{number}/{notation}" if notation else number,
                                     getattr(doc, "issued_date", None), document_id)
    text = f"Không thu hồi văn bản: {record.get('reason', '')} (người từ chối: {record.get('by_name', '')})"
    queue_status(sender=organization_of(agency), recipient=response_for.organ_id, response_for=response_for,
                 code=edxml.constants.STATUS_CHANGE_REFUSED, description=text[:MAX_REASON], document_uid=uid)
