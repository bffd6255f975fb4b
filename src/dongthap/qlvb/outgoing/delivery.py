"""Delivery of issued documents, the status flowing back, recall and replies.

* :func:`deliver` (at ``issue``, same transaction): for each internal recipient
  agency exactly one ``IncomingDocument`` in state ``received`` in that
  agency's incoming register (the issued PDF, số, ký hiệu, date, issuer name
  and code, signer, ``source=internal``), and each external recipient queued
  for the exchange outbox.
* :func:`report_to_sender` (step of the incoming transitions): the
  receiver's registration (with its arrival number), assignment, progress,
  completion or refusal is written into the sender's delivery status.
* :func:`recall` (at ``recall``): copies not yet registered are destroyed,
  registered copies are frozen until their clerk destroys them
  (:mod:`dongthap.qlvb.recall.api`); a destruction record is kept on both sides.

The delivery status lives on the sender's document in an ``OOBTree`` keyed
by recipient, one ``PersistentMapping`` per recipient: receivers updating
their own entry at the same time do not conflict with each other.
"""

from Acquisition import aq_inner
from BTrees.OOBTree import OOBTree
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.documents.indexers import refresh_metadata
from dongthap.qlvb.i18n import _
from dongthap.qlvb.outgoing import api as outgoing
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile

import logging

logger = logging.getLogger("dongthap.qlvb.outgoing.delivery")

DELIVERY_ATTR = "qlvb_delivery"
SOURCE_ATTR = "qlvb_source_outgoing"
RECALL_LOG_ATTR = "_qlvb_recall_log"

STATUS_TITLES = {
    "delivered": _("delivery_delivered", default="Delivered"),
    "registered": _("delivery_registered", default="Registered"),
    "assigned": _("delivery_assigned", default="Assigned"),
    "in_progress": _("delivery_in_progress", default="In progress"),
    "completed": _("delivery_completed", default="Completed"),
    "archived": _("delivery_archived", default="Archived"),
    "refused": _("delivery_refused", default="Refused"),
    "queued": _("delivery_queued", default="Queued for the national exchange axis"),
    "recalled_removed": _("delivery_recalled_removed", default="Recalled: copy removed"),
    "recall_notified": _("delivery_recall_notified",
                         default="Recalled: copy frozen, waiting for the recipient to destroy it"),
    "recall_destroyed": _("delivery_recall_destroyed", default="Recalled: destroyed at the recipient"),
    "recall_refused": _("delivery_recall_refused", default="Recalled: the recipient cannot destroy its copy"),
    "recall_acknowledged": _("delivery_recall_acknowledged", default="Recalled: acknowledged"),
    "recall_queued": _("delivery_recall_queued", default="Recall queued for the national exchange axis"),
    # statuses sent back by external recipients (see external_status.py)
    "recall_requested": _("delivery_recall_requested", default="Taking the document back requested"),
    "change_agreed": _("delivery_change_agreed", default="The recipient accepted the update"),
    "change_refused": _("delivery_change_refused", default="The recipient refused the recall or update"),
}
#: incoming workflow state → delivery status
INCOMING_STATES = {
    "received": "delivered",
    "registered": "registered",
    "assigned": "assigned",
    "in_progress": "in_progress",
    "completed": "completed",
    "archived": "archived",
    "refused": "refused",
}


def _store(doc, create=False):
    store = getattr(doc, DELIVERY_ATTR, None)
    if store is None and create:
        store = OOBTree()
        setattr(doc, DELIVERY_ATTR, store)
    return store


def _history(entry, status, note="", **extra):
    when = outgoing.now().isoformat()
    entry["status"] = status
    entry["updated_at"] = when
    item = {"status": status, "at": when, "actor": outgoing.actor(), "note": note or ""}
    item.update(extra)
    entry["history"].append(item)


def _unrestricted(uid, portal_type=None):
    query = {"UID": uid, "unrestricted": True}
    if portal_type:
        query["portal_type"] = portal_type
    brains = api.content.find(**query)
    return brains[0]._unrestrictedGetObject() if brains else None


# ---------------------------------------------------------------- deliver


def _issuer_name(agency):
    return agency.title


def _copy_file(named_file):
    return NamedBlobFile(data=bytes(named_file.data), contentType="application/pdf",
                         filename=getattr(named_file, "filename", None) or "van-ban.pdf")


def create_received_copy(doc, agency, when):
    """One ``IncomingDocument`` in state ``received`` in ``agency`` for the issued ``doc``.

    Made by the incoming factory as the *system*: the sender's staff hold no
    role in the recipient agency and are not named in its history; the
    receiving clerk is named when he registers the copy.
    """
    from dongthap.qlvb.incoming.factory import new_incoming_document
    from dongthap.qlvb.incoming.factory import SYSTEM_ACTOR

    sender = get_agency(doc)
    values = {
        "title": doc.title,
        "document_type": doc.document_type,
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "issued_date": doc.issued_date,
        "issuing_agency_name": _issuer_name(sender),
        "issuing_agency_code": sender.agency_code,
        "signer_name": outgoing.signer_name(doc),
        "signer_position": outgoing.signer_position_text(doc),
        "urgency": doc.urgency or "thuong",
        "due_date": doc.due_date,
        "page_amount": doc.page_amount,
        "source": "internal",
        "file": _copy_file(doc.file),
        "attachments": [_copy_file(a) for a in (doc.attachments or ())],
    }
    attributes = {SOURCE_ATTR: api.content.get_uuid(doc), "qlvb_source_agency": sender.agency_code}
    return new_incoming_document(agency, values, when=when, actor=SYSTEM_ACTOR, attributes=attributes,
                                 prepare=lambda copy: _copy_verification(doc, copy),
                                 comment=f"Nhận từ {sender.title}: {doc.notation()}")


def _copy_verification(doc, copy):
    """The sender's verification reports of the same bytes go with the copy.

    The files are the issued ones, verified a moment ago: the subscriber that
    verifies every added document then has nothing to do (one verification per
    issue instead of one per recipient inside the issuing transaction).
    """
    from dongthap.qlvb.signing import api as signing
    from zope.annotation.interfaces import IAnnotations

    report = getattr(doc, "signature_report", None)
    digest = getattr(doc, "signature_file_sha256", None)
    if report and digest and digest == outgoing.sha256_of(doc.file):
        copy.legal_validity = report.get("legal_validity")
        copy.signature_report = report
        copy.signature_verified_at = getattr(doc, "signature_verified_at", None)
        copy.signature_file_sha256 = digest
    stored = IAnnotations(doc).get(signing.ATTACHMENTS_KEY)
    if stored and not signing.needs_attachment_verification(doc):
        IAnnotations(copy)[signing.ATTACHMENTS_KEY] = PersistentMapping(
            {key: dict(value) for key, value in stored.items()})


def queue_external(doc, recipients, everyone=None):
    """Hand the external recipients to the exchange outbox.

    THE single call site of the national axis: ``dongthap.qlvb.exchange.outbox.
    queue_outgoing(document=, recipients=)`` when the exchange capability
    provides it; until then the recipients are logged and recorded as queued.
    ``everyone`` (default ``recipients``) are all the external recipients of the
    document: they are listed in every package (ToPlaces); the outbox queues a
    package only for those that have none yet.
    """
    if not recipients:
        return False
    if everyone:  # the outbox is idempotent: who already has the document gets nothing new
        recipients = everyone
    try:
        from dongthap.qlvb.exchange.outbox import queue_outgoing, replacement_of
    except ImportError:
        logger.warning("exchange outbox not installed: %s queued for %s only in its delivery status",
                       doc.notation(), ", ".join(r["code"] for r in recipients))
        return False
    # a replacement of a document that went through the axis is sent as one (BussinessDocType 3)
    queue_outgoing(document=doc, recipients=[dict(r) for r in recipients], **replacement_of(doc))
    return True


def deliver(doc, legal_validity=None):
    """Deliver the just-issued ``doc`` (call inside the ``issue`` transaction)."""
    deliver_internal(doc, legal_validity)
    deliver_external(doc, legal_validity)


def deliver_internal(doc, legal_validity=None):
    """One received copy per internal recipient agency that has none yet (files scanned first)."""
    when = outgoing.now()
    store = _store(doc, create=True)
    sender = get_agency(doc)
    wanted = [uid for uid in doc.internal_recipients or () if f"agency:{uid}" not in store]
    agencies = {b.UID: b._unrestrictedGetObject()  # one catalog query for every recipient
                for b in api.content.find(UID=wanted, portal_type="Agency", unrestricted=True)} \
        if wanted else {}
    # Every file is scanned for every recipient BEFORE any copy exists; a refusal raises and
    # the whole issue (number, signature, copies) is rolled back.
    for agency in [agencies[uid] for uid in wanted if uid in agencies] or [sender]:
        _scan_files(doc, agency)
    for uid in wanted:
        key = f"agency:{uid}"
        if key in store:  # exactly one copy per recipient agency
            continue
        agency = agencies.get(uid)
        if agency is None:
            raise outgoing.OutgoingError(_("error_recipient_gone",
                                           default="A recipient agency no longer exists."))
        copy = create_received_copy(doc, agency, when)
        from dongthap.qlvb.outgoing import replies

        replies.link_internal_arrival(doc, copy)  # a reply to one of the recipient's documents
        entry = PersistentMapping({
            "kind": "internal", "agency_uid": uid, "agency_code": agency.agency_code,
            "agency_name": agency.title, "copy_uid": api.content.get_uuid(copy),
            "copy_path": "/".join(copy.getPhysicalPath()), "arrival_number": None,
            "delivered_at": when.isoformat(), "legal_validity": legal_validity,
            "history": PersistentList(), "reply": None,
        })
        _history(entry, "delivered")
        store[key] = entry


def deliver_external(doc, legal_validity=None):
    """Queue the document for the external recipients that have no package yet (exchange axis)."""
    store = _store(doc, create=True)
    fresh = [r for r in doc.external_recipients or () if f"external:{r['code']}" not in store]
    # one call: every package lists all recipients (ToPlaces), only the fresh ones get one
    outbox = queue_external(doc, fresh, everyone=list(doc.external_recipients or ()))
    for recipient in fresh:
        entry = PersistentMapping({
            "kind": "external", "agency_uid": None, "agency_code": recipient["code"],
            "agency_name": recipient["name"], "copy_uid": None, "copy_path": None,
            "arrival_number": None, "delivered_at": None, "legal_validity": legal_validity,
            "history": PersistentList(), "reply": None,
        })
        _history(entry, "queued", "" if outbox else "exchange outbox not installed yet")
        store[f"external:{recipient['code']}"] = entry


def _scan_files(doc, agency):
    """The main file and every attachment pass the antivirus before they go to ``agency``.

    Uploads are scanned when they enter, but a file may have been stored without a
    scan (degraded mode, scanning switched off) and attachments are not seen by the
    safety net (it checks file fields only).  The incident names the recipient
    ``agency``.  ``check_file`` remembers clean files for the transaction (sha256),
    so the same bytes are scanned once however many recipients there are.
    Raises ``VirusFound``/``ScanFailed`` (translated message naming the file).
    """
    try:
        from dongthap.qlvb.antivirus.api import check_file
        from dongthap.qlvb.antivirus.api import is_verified
    except ImportError:  # pragma: no cover
        return
    for named in [doc.file, *(doc.attachments or ())]:
        # a file carrying a valid "scanned clean" marker for its current bytes (the
        # issue scans the signed files once, before its transaction) is not scanned again
        if named is not None and not is_verified(named):
            check_file(named, getattr(named, "filename", None), path_of_entry="delivery",
                       agency=agency)


# ---------------------------------------------------------------- status flowing back


def _entry_for_copy(copy):
    uid = getattr(copy, SOURCE_ATTR, None)
    if not uid:
        return None, None
    doc = _unrestricted(uid, "OutgoingDocument")
    if doc is None:
        return None, None
    store = _store(doc)
    copy_uid = api.content.get_uuid(copy)
    for entry in (store or {}).values():
        if entry.get("copy_uid") == copy_uid:
            return doc, entry
    return doc, None


def report_to_sender(copy, change):
    """Step of every incoming transition: a received copy changed state in the recipient agency.

    Runs after the arrival number is taken (``incoming/transitions.py``).
    """
    if not getattr(copy, SOURCE_ATTR, None):
        return
    doc, entry = _entry_for_copy(copy)
    if entry is None:
        return
    status = INCOMING_STATES.get(change.new_state)
    if status is None:
        return
    comment = change.comment
    if status == "registered":
        entry["arrival_number"] = getattr(copy, "arrival_number", None)
    _history(entry, status, comment if status == "refused" else "",
             arrival_number=getattr(copy, "arrival_number", None))
    if status == "refused":  # no reply awaited from a recipient that refused the document
        from dongthap.qlvb.outgoing import replies

        replies.reindex(doc)


def _arrival_number(entry):
    if entry.get("arrival_number") or entry["kind"] != "internal":
        return entry.get("arrival_number")
    copy = _unrestricted(entry["copy_uid"], "IncomingDocument") if entry.get("copy_uid") else None
    return getattr(copy, "arrival_number", None) if copy is not None else None


def recipient_names(doc):
    """The recipients' agency names in the order of :func:`delivery_status` (no look-up)."""
    return sorted(entry["agency_name"] for entry in (_store(doc) or {}).values())


def delivery_status(doc):
    """Per recipient: kind, agency, status (+ title), arrival number, history."""
    from zope.i18n import translate

    result = []
    for key, entry in sorted((_store(doc) or {}).items(), key=lambda kv: kv[1]["agency_name"]):
        history = [dict(h, fullname=outgoing.fullname(h.get("actor")),
                        title=translate(STATUS_TITLES.get(h["status"], h["status"]), target_language="vi"))
                   for h in entry["history"]]
        result.append({
            "key": key, "kind": entry["kind"], "agency_code": entry["agency_code"],
            "agency_name": entry["agency_name"], "status": entry["status"],
            "status_title": STATUS_TITLES.get(entry["status"], entry["status"]),
            "arrival_number": _arrival_number(entry), "delivered_at": entry.get("delivered_at"),
            "updated_at": entry.get("updated_at"), "legal_validity": entry.get("legal_validity"),
            "reply": dict(entry["reply"]) if entry.get("reply") else None,
            "destruction": dict(entry["destruction"]) if entry.get("destruction") else None,
            "history": history,
        })
    return result


# ---------------------------------------------------------------- replies and replacements


def link_replies(doc):
    """Link the issued ``doc`` both ways with what it answers and what it replaces."""
    link = {"uid": api.content.get_uuid(doc), "notation": doc.notation(),
            "issued_date": doc.issued_date.isoformat() if doc.issued_date else None,
            "agency_code": get_agency(doc).agency_code, "title": doc.title}
    own = get_agency(doc).getPhysicalPath()

    def ours(obj):  # a link never writes into another agency's document
        return obj is not None and get_agency(obj).getPhysicalPath() == own

    for uid in doc.in_reply_to or ():
        incoming = _unrestricted(uid, "IncomingDocument")
        if not ours(incoming):
            continue
        replies = getattr(incoming, "qlvb_replied_by", None)
        if replies is None:
            replies = incoming.qlvb_replied_by = PersistentList()
        replies.append(dict(link))
        if not getattr(incoming, "qlvb_reply_notation", None):
            incoming.qlvb_reply_notation = doc.notation()
            refresh_metadata(incoming)  # the tracking register's reply
        # The incoming document may be our own delivered copy of another agency's document.
        original, entry = _entry_for_copy(incoming)
        if entry is not None:
            from dongthap.qlvb.outgoing import replies

            entry["reply"] = dict(link)
            _history(entry, entry["status"], f"Trả lời bằng văn bản {doc.notation()}")
            replies.reindex(original)
    if doc.replaces:
        replaced = _unrestricted(doc.replaces, "OutgoingDocument")
        if ours(replaced):
            replaced.qlvb_replaced_by = dict(link)
            refresh_metadata(replaced)  # the register's note


# ---------------------------------------------------------------- recall


def _recall_log(agency, item):
    log = getattr(agency, RECALL_LOG_ATTR, None)
    if log is None:
        log = PersistentList()
        setattr(agency, RECALL_LOG_ATTR, log)
    log.append(item)


def recall(doc, reason):
    """Recall the issued ``doc`` (inside the ``recall`` transition).

    Each internal copy: not registered → destroyed now by the system (record on
    both sides); registered → frozen until its clerk destroys it
    (:mod:`dongthap.qlvb.recall.api`); archived → the recall is refused for it.
    External recipients get a recall package (BussinessDocType 1).
    """
    from dongthap.qlvb.recall import api as recall_api
    from zope.i18n import translate

    when = outgoing.now().isoformat()
    who = outgoing.actor()
    sender = get_agency(doc)
    doc.qlvb_recall = {"reason": reason, "at": when, "by": who}
    external = []
    for entry in (_store(doc) or {}).values():
        if entry["kind"] == "external":
            external.append({"code": entry["agency_code"], "name": entry["agency_name"]})
            _history(entry, "recall_queued", reason)
            continue
        copy = _unrestricted(entry["copy_uid"], "IncomingDocument") if entry.get("copy_uid") else None
        item = {"at": when, "by": who, "reason": reason, "notation": doc.notation(),
                "sender": sender.agency_code, "title": doc.title, "copy_path": entry.get("copy_path")}
        if copy is None:
            logger.warning("recall of %s: the copy in %s is already gone", doc.notation(),
                           entry["agency_code"])
            _history(entry, "recalled_removed", reason, note_missing=True)
            continue
        recipient = get_agency(copy)
        state = api.content.get_state(copy)
        notice = {"reason": reason, "sender": sender.agency_code, "sender_name": sender.title,
                  "origin": "internal", "notation": doc.notation()}
        if state == "archived":
            _history(entry, "recall_refused", translate(recall_api.REFUSED_ARCHIVED, target_language="vi"))
            item["action"] = "refused"
            _recall_log(recipient, item)
        elif state == "received" and recall_api.blocking_reason(copy) is None:
            record = recall_api.destroy(copy, reason=reason, system=True, notify_sender=False,
                                        notice=notice)
            _destroyed(doc, entry, record)
            item["action"] = "removed"
            _recall_log(recipient, item)
            logger.info("recall of %s: destroyed the unregistered copy %s in %s", doc.notation(),
                        item["copy_path"], recipient.agency_code)
        else:
            recall_api.freeze(copy, reason=reason, sender=sender.agency_code, sender_name=sender.title,
                              notation=doc.notation(), origin="internal",
                              source_uid=api.content.get_uuid(doc))
            item["action"] = "frozen"
            item["arrival_number"] = getattr(copy, "arrival_number", None)
            _recall_log(recipient, item)
            logger.info("recall of %s: froze the registered copy %s in %s", doc.notation(),
                        item["copy_path"], recipient.agency_code)
            _history(entry, "recall_notified", reason)
    _recall_log(sender, {"at": when, "by": who, "reason": reason, "notation": doc.notation(),
                         "title": doc.title, "action": "recalled"})
    if external:
        _queue_external_recall(doc, external, reason)


def _destroyed(doc, entry, record):
    """The sender's side of a destruction record: delivery row, agency records, trail."""
    from dongthap.qlvb.recall import api as recall_api

    entry["destruction"] = PersistentMapping(record)
    _history(entry, "recall_destroyed", record.get("reason", ""), destroyed_by=record.get("by_name", ""))
    recall_api.keep_record(get_agency(doc), dict(record, side="sender", sent_uid=api.content.get_uuid(doc)))
    outgoing.add_trail(doc, "recall_destroyed", f"{record.get('recipient_name', '')}: "
                       f"{record.get('by_name', '')}", recipient=record.get("recipient", ""))


def record_destruction(copy, record):
    """A received copy of one of our documents was destroyed by its clerk: tell the sender."""
    doc, entry = _entry_for_copy(copy)
    if entry is None:
        return
    _destroyed(doc, entry, record)


def record_refusal(copy, record):
    """The recipient's clerk refused the recall of a received copy of one of our documents."""
    from dongthap.qlvb.recall import api as recall_api

    doc, entry = _entry_for_copy(copy)
    if entry is None:
        return
    entry["recall_refusal"] = PersistentMapping(record)
    _history(entry, "recall_refused", record.get("reason", ""), refused_by=record.get("by_name", ""))
    recall_api.keep_record(get_agency(doc), dict(record, side="sender", sent_uid=api.content.get_uuid(doc)))
    outgoing.add_trail(doc, "recall_refused", f"{record.get('recipient_name', '')}: "
                       f"{record.get('reason', '')}", recipient=record.get("recipient", ""))


def _queue_external_recall(doc, recipients, reason):
    """Recall towards the axis (BussinessDocType 1) when the exchange outbox offers it."""
    try:
        from dongthap.qlvb.exchange.outbox import queue_recall
    except ImportError:
        logger.warning("exchange outbox not installed: recall of %s for %s recorded only",
                       doc.notation(), ", ".join(r["code"] for r in recipients))
        return
    queue_recall(document=doc, recipients=recipients, reason=reason)


def recall_notice(copy):
    """The freeze notice of a recalled copy (sender, reason, time), or None."""
    from dongthap.qlvb.recall import api as recall_api

    notice = recall_api.frozen(copy)
    if not notice:
        return None
    out = {"sender": "", "sender_name": "", "notation": recall_api.notation_of(copy), "reason": "",
           "pending_destruction": False}
    out.update(dict(notice))
    out["sender_name"] = out["sender_name"] or out["sender"]
    return out


def pending_recall_notices(agency):
    """Registered copies of ``agency`` frozen by a recall, waiting for their clerk to destroy them."""
    from dongthap.qlvb.recall import api as recall_api

    return [{"url": b.getURL(), "title": b.Title, "uid": b.UID, "arrival_number": b.qlvb_arrival_number}
            for b in recall_api.pending(agency)]


# ---------------------------------------------------------------- additional recipients (gửi bổ sung)

ADD_STATES = ("issued", "archived")


def _bad_recipients(message, field, errors):
    errors.append({"field": field, "message": message})


def clean_added_recipients(doc, internal, external):
    """``(agency uids, [{code, name}])`` to add to the issued ``doc``; :class:`OutgoingError` (400)
    naming every unknown, duplicated or already served recipient."""
    sender = get_agency(doc)
    store = _store(doc) or {}
    errors = []
    if internal is None:
        internal = []
    if external is None:
        external = []
    if not isinstance(internal, list) or not all(isinstance(i, str) for i in internal):
        _bad_recipients(_("error_added_internal_list", default="Choose the recipient agencies of this "
                          "system from the list."), "internal_recipients", errors)
        internal = []
    if not isinstance(external, list) or not all(isinstance(i, (str, dict)) for i in external):
        _bad_recipients(_("error_added_external_list", default="Write each recipient outside this "
                          "system as \"code|name\"."), "external_recipients", errors)
        external = []
    choices = outgoing.recipient_agencies(sender)
    uids = []
    for item in internal:
        try:
            uid = outgoing._agency_uid(item, choices)
        except ValueError:
            _bad_recipients(_("error_added_unknown_agency", default="\"${item}\" is not a recipient "
                              "agency of this system.", mapping={"item": str(item)[:60]}),
                            "internal_recipients", errors)
            continue
        name = choices[uid].Title
        if uid in uids:
            _bad_recipients(_("error_added_duplicate", default="${name} is listed twice.",
                              mapping={"name": name}), "internal_recipients", errors)
        elif f"agency:{uid}" in store:
            _bad_recipients(_("error_added_already", default="${name} has already received this document.",
                              mapping={"name": name}), "internal_recipients", errors)
        else:
            uids.append(uid)
    own_codes = {b.qlvb_agency_code for b in choices.values()} | {sender.agency_code}
    added = []
    for item in external:
        try:
            [recipient] = outgoing._convert("external_recipients", [item], None, None, None, None)
        except (ValueError, TypeError, KeyError, AttributeError):
            if isinstance(item, dict):  # a row of the form (or a JSON object): name it
                label = " ".join(str(item.get(k) or "") for k in ("name", "code")).strip() or "?"
                _bad_recipients(_("error_added_external_row", default="${item}: give the agency's name "
                                  "(at most 200 characters) and its code (mã định danh, at most 20 "
                                  "characters); the e-mail address, when given, must be valid.",
                                  mapping={"item": label[:60]}), "external_recipients", errors)
                continue
            _bad_recipients(_("error_added_external_bad", default="\"${item}\" is not a recipient outside "
                              "this system: write \"code|name\" (code at most 20 characters).",
                              mapping={"item": str(item)[:60]}), "external_recipients", errors)
            continue
        code = recipient["code"]
        if code in {r["code"] for r in added}:
            _bad_recipients(_("error_added_duplicate", default="${name} is listed twice.",
                              mapping={"name": recipient["name"]}), "external_recipients", errors)
        elif f"external:{code}" in store:
            _bad_recipients(_("error_added_already", default="${name} has already received this document.",
                              mapping={"name": recipient["name"]}), "external_recipients", errors)
        elif code in own_codes:
            _bad_recipients(_("error_added_external_is_internal", default="${name} is an agency of this "
                              "system: choose it among the recipients of this system.",
                              mapping={"name": recipient["name"]}), "external_recipients", errors)
        else:
            added.append(recipient)
    if not errors and not uids and not added:
        _bad_recipients(_("error_added_none", default="Choose at least one recipient to add."),
                        "internal_recipients", errors)
    if errors:
        raise outgoing.OutgoingError(_("error_added_invalid", default="Nothing was sent: please correct "
                                       "the recipients."), errors)
    return uids, added


def add_recipients(doc, internal=(), external=()):
    """"Gửi bổ sung": send the issued ``doc`` to more recipients (the issuing agency's clerk).

    Internal agencies get a received copy exactly as at issue (:func:`deliver`);
    new external recipients get the document (business type 0, or 3 for a
    replacement, as at issue) and the external recipients that already got it
    are told who was added (business type 2, ``ReceiverList/Receiver`` with
    ReceiverType 1). Recorded in the document's trail. Returns the new delivery
    rows. Raises :class:`OutgoingError`: 403 (not the clerk of the issuing
    agency), 409 (not issued, or recalled), 400 (bad recipients; nothing sent).
    """
    from dongthap.qlvb.numbering import run_in_transaction
    from dongthap.qlvb.security import roles as R

    doc = aq_inner(doc)
    if R.CLERK not in set(api.user.get_roles(obj=doc)) or not api.user.has_permission("View", obj=doc):
        raise outgoing.forbidden()
    state = api.content.get_state(doc)
    if state not in ADD_STATES or getattr(doc, "qlvb_recall", None):
        raise outgoing.OutgoingError(_("error_added_not_issued", default="Only an issued document that "
                                       "was not recalled can be sent to more recipients."), status=409)
    uids, added = clean_added_recipients(doc, list(internal) if isinstance(internal, tuple) else internal,
                                         list(external) if isinstance(external, tuple) else external)

    def work():
        if api.content.get_state(doc) not in ADD_STATES or getattr(doc, "qlvb_recall", None):
            raise outgoing.OutgoingError(_("error_added_not_issued", default="Only an issued document that "
                                           "was not recalled can be sent to more recipients."), status=409)
        store = _store(doc, create=True)
        earlier = [{"code": e["agency_code"], "name": e["agency_name"]}
                   for e in store.values() if e["kind"] == "external"]
        doc.internal_recipients = list(doc.internal_recipients or ()) + uids
        doc.external_recipients = list(doc.external_recipients or ()) + [dict(r) for r in added]
        deliver(doc, getattr(doc, "legal_validity", None))
        if added and earlier:
            _queue_external_update(doc, earlier, added)
        names = [store[f"agency:{uid}"]["agency_name"] for uid in uids] + [r["name"] for r in added]
        outgoing.add_trail(doc, "add_recipients", ", ".join(names),
                           internal=list(uids), external=[r["code"] for r in added])
        doc.reindexObject()
        keys = {f"agency:{uid}" for uid in uids} | {f"external:{r['code']}" for r in added}
        return [row for row in delivery_status(doc) if row["key"] in keys]

    from dongthap.qlvb.documents.common import antivirus_errors

    with antivirus_errors(outgoing.OutgoingError):  # a file refused by the scanner: nothing was sent
        return run_in_transaction(work, note="qlvb: outgoing add recipients")


def _queue_external_update(doc, earlier, added):
    """Tell the external recipients that already got ``doc`` who was added (BussinessDocType 2)."""
    try:
        from dongthap.qlvb.exchange.outbox import queue_update
    except ImportError:
        logger.warning("exchange outbox not installed: added recipients of %s not announced to %s",
                       doc.notation(), ", ".join(r["code"] for r in earlier))
        return
    queue_update(document=doc, reason="Gửi bổ sung nơi nhận: " + ", ".join(r["name"] for r in added),
                 recipients=[{"organ_id": r["code"], "name": r["name"]} for r in earlier],
                 added=[{"organ_id": r["code"], "name": r["name"]} for r in added], changed=False)
