"""The API of outgoing documents, shared by the REST services, the forms and tests.

Writes run through :func:`dongthap.qlvb.numbering.run_in_transaction`: they
commit on their own with a bounded, jittered retry on ZODB conflicts and
abort everything on any other error. ``issue`` runs under the agency's
register lock, so the threads of one process never race for a number and
processes sharing a RelStorage database conflict and retry. Functions check
the current user's permissions through ``plone.api``. Messages are
translatable (:class:`OutgoingError`).
"""

from Acquisition import aq_inner
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.outgoing import AUTHORITIES
from dongthap.qlvb.content.outgoing import FIELDS
from dongthap.qlvb.content.outgoing import REGISTER
from dongthap.qlvb.documents import common
from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import forbidden  # noqa: F401 - outgoing.forbidden() of the callers
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.common import fmt_date  # noqa: F401 - used by callers
from dongthap.qlvb.documents.common import fmt_datetime
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.documents.common import parse_date  # noqa: F401 - used by callers
from dongthap.qlvb.documents.trail import add_trail  # noqa: F401 - used by callers
from dongthap.qlvb.documents.validation import is_pdf
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.utils.secrecy import secrecy_errors
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.CMFCore.WorkflowCore import WorkflowException

import hashlib
import logging
import re
import transaction

#: a plausible e-mail address (the optional e-mail of an external recipient)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

logger = logging.getLogger("dongthap.qlvb.outgoing")

WORKFLOW_ID = "qlvb_outgoing_workflow"
ADD_PERMISSION = "dongthap.qlvb: Add outgoing document"
WORK_PERMISSION = "dongthap.qlvb: View outgoing work"
REGISTERS_PERMISSION = "dongthap.qlvb: View outgoing registers"
COMMENT_PERMISSION = "dongthap.qlvb: Comment on outgoing document"
SETTINGS_PERMISSION = "dongthap.qlvb: Manage outgoing settings"

STATES = ("draft", "pending_review", "approved", "signed", "issued", "archived", "recalled")
STATE_TITLES = {
    "draft": _("state_outgoing_draft", default="Draft"),
    "pending_review": _("state_outgoing_pending_review", default="Waiting for review"),
    "approved": _("state_outgoing_approved", default="Approved, waiting for signature"),
    "signed": _("state_outgoing_signed", default="Signed, waiting to be issued"),
    "issued": _("state_outgoing_issued", default="Issued"),
    "archived": _("state_outgoing_archived", default="Archived"),
    "recalled": _("state_outgoing_recalled", default="Recalled"),
}
TRANSITION_TITLES = {
    "create": _("trail_outgoing_create", default="Draft created"),
    "edit": _("trail_outgoing_edit", default="Draft changed"),
    "comment": _("trail_outgoing_comment", default="Comment"),
    "submit": _("transition_outgoing_submit", default="Submit for review"),
    "forward": _("transition_outgoing_forward", default="Approve and forward"),
    "approve": _("transition_outgoing_approve", default="Approve"),
    "return": _("transition_outgoing_return", default="Return to the drafter"),
    "sign": _("transition_outgoing_sign", default="Sign"),
    "issue": _("transition_outgoing_issue", default="Issue"),
    "issue_paper": _("transition_outgoing_issue_paper", default="Issue the paper-signed original"),
    "sign_by_hand": _("action_outgoing_sign_by_hand", default="Sign by hand on paper"),
    "archive": _("transition_outgoing_archive", default="Archive"),
    "recall": _("transition_outgoing_recall", default="Recall"),
    "add_recipients": _("trail_outgoing_add_recipients", default="Sent to additional recipients"),
}
#: Transitions that need a comment (a reason).
NEEDS_COMMENT = ("return", "recall")

INPUT_FIELDS = (
    "title", "document_type", "drafting_department", "signer", "signer_position",
    "signing_authority", "urgency", "internal_recipients", "external_recipients", "due_date",
    "page_amount", "issued_amount", "copy_holder", "in_reply_to", "replaces",
)
#: Fields that may be changed while the document is a draft (and nothing after).
EDITABLE_STATES = ("draft",)
DOCX_MAGIC = b"PK\x03\x04"


#: Bad input or a forbidden action: the one error type (see ``docs/errors.md``).
OutgoingError = QlvbError




def fullname(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") or userid) if user is not None else (userid or "")


def sha256_of(named_file):
    if named_file is None:
        return ""
    try:
        return hashlib.sha256(bytes(named_file.data)).hexdigest()
    except Exception:  # noqa: BLE001 - unreadable blob: no hash
        return ""


# ---------------------------------------------------------------- trail, comments, versions


def add_comment(doc, text, *, action="comment", level=None):
    """A reviewer comment (every one is kept, never edited)."""
    comments = getattr(doc, "qlvb_comments", None)
    if comments is None:
        comments = doc.qlvb_comments = PersistentList()
    entry = {"at": now().isoformat(), "actor": actor(), "action": action, "text": text,
             "level": level, "version": len(versions(doc))}
    comments.append(entry)
    return entry


def comments(doc):
    return [dict(c, fullname=fullname(c["actor"]), at_display=fmt_datetime(c["at"]))
            for c in getattr(doc, "qlvb_comments", None) or ()]


def versions(doc):
    """Every draft version of the main file, oldest first (the file objects are kept)."""
    return list(getattr(doc, "qlvb_versions", None) or ())


def record_version(doc, comment=""):
    """Keep the current main file as a new version if it changed since the last one."""
    current = getattr(doc, "file", None)
    if current is None:
        return None
    digest = sha256_of(current)
    store = getattr(doc, "qlvb_versions", None)
    if store is None:
        store = doc.qlvb_versions = PersistentList()
    if store and store[-1]["sha256"] == digest:
        return None
    entry = PersistentMapping({
        "version": len(store) + 1, "file": current, "sha256": digest,
        "filename": getattr(current, "filename", "") or "", "size": current.getSize(),
        "at": now().isoformat(), "actor": actor(), "title": doc.title, "comment": comment or "",
    })
    store.append(entry)
    return entry


def versions_info(doc):
    base = doc.absolute_url()
    return [{"version": v["version"], "filename": v["filename"], "size": v["size"], "sha256": v["sha256"],
             "at": v["at"], "at_display": fmt_datetime(v["at"]), "actor": v["actor"],
             "fullname": fullname(v["actor"]), "title": v["title"],
             "download": f"{base}/@@phien-ban-du-thao/{v['version']}"}
            for v in versions(doc)]


# ---------------------------------------------------------------- storage


outgoing_root = REGISTER.root
year_folder = REGISTER.year_folder
register_lock_key = REGISTER.lock_key


# ---------------------------------------------------------------- validation


def _required(name):
    return validation.required(name, FIELDS[name])


def _bad(name):
    return validation.bad_value(name, FIELDS[name])


def leaders_of(agency):
    """Userids of the leaders of ``agency`` (members of its leader group)."""
    from dongthap.qlvb.agencies.api import group_id

    gid = group_id(agency, R.LEADER)
    group = api.group.get(groupname=gid) if gid else None
    if group is None:
        return []
    return sorted(m.getId() for m in api.user.get_users(group=group))


def departments_of(agency):
    return {obj.getId(): obj for obj in agency.objectValues() if obj.portal_type == "Department"}


def recipient_agencies(own=None):
    """Active agencies that can receive documents: {uid: brain}."""
    own_uid = api.content.get_uuid(own) if own is not None else None
    return {b.UID: b for b in api.content.find(portal_type="Agency", unrestricted=True)
            if b.UID != own_uid}


def make_file(data, filename, content_type=None):
    if is_pdf(data):
        content_type = "application/pdf"
    elif data[:4] == DOCX_MAGIC and (filename or "").lower().endswith(".docx"):
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return NamedBlobFile(data=data, filename=filename or "du-thao.pdf",
                         contentType=content_type or "application/octet-stream")


def check_upload(data, filename, agency):
    """Antivirus check of an upload (when the antivirus capability is installed)."""
    try:
        from dongthap.qlvb.antivirus.api import check_file
    except ImportError:  # pragma: no cover - capability not installed
        return
    with common.antivirus_errors(OutgoingError):
        check_file(data, filename, path_of_entry="outgoing", agency=agency)


#: Fields whose values are checked against the agency (its signers, departments, documents …).
_AGENCY_CHECKED = ("document_type", "drafting_department", "signer", "signing_authority", "urgency",
                   "internal_recipients", "external_recipients", "in_reply_to", "replaces")
_LIST_FIELDS = ("internal_recipients", "external_recipients", "in_reply_to")


def scan_uploads(agency, data, *, partial=False):
    """Scan every uploaded file *first*, whatever else is wrong with it.

    Malware is refused as malware (and recorded as an incident for the
    security officer) even when it would also be refused as "not a PDF".
    Raises :class:`OutgoingError` (400 infected, 503 scanner unavailable).
    """
    common.scan_raw_uploads(data, OutgoingError, path_of_entry="outgoing", partial=partial,
                            agency=agency)


def clean(agency, data, *, partial=False):
    """Validate raw input (form strings or JSON) into field values.

    ``data`` may hold ``file`` / ``attachments`` as ``(bytes, filename)``; they are
    scanned for malware before anything else (:func:`scan_uploads`). The shared
    validation (:mod:`dongthap.qlvb.documents.validation`) then checks types, the schema
    fields and the files; the agency's choices (signers, departments, recipients, linked
    documents of the agency) are checked here. Raises :class:`OutgoingError` listing every
    problem at once (status 413 when a file is too large).
    """
    scan_uploads(agency, data, partial=partial)
    errors = []
    values = {}
    leaders = set(leaders_of(agency))
    departments = departments_of(agency)
    recipients = recipient_agencies(agency)
    for name in INPUT_FIELDS:
        if partial and name not in data:
            continue
        raw = data.get(name)
        if isinstance(raw, str):
            raw = raw.strip()
        field = FIELDS[name]
        if raw in (None, "", []) and not partial and field.default not in (None, [], ""):
            raw = field.default
        if raw in (None, "", []):
            if field.required:
                errors.append(_required(name))
            else:
                values[name] = [] if name in _LIST_FIELDS else None
            continue
        if name in _LIST_FIELDS:
            raw = [raw] if isinstance(raw, str) else raw
            if not isinstance(raw, list) or not all(isinstance(item, (str, dict)) for item in raw):
                errors.append(_bad(name))
                continue
        if name not in _AGENCY_CHECKED:
            value, problem = validation.field_value(FIELDS, name, raw, context=agency)
        elif name in ("external_recipients",):
            value, problem = raw, None
        else:
            value, problem = validation.field_value(FIELDS, name, raw, context=agency,
                                                    validate=False)
        if problem is not None:
            errors.append(problem)
            continue
        if name in _AGENCY_CHECKED:
            try:
                value = _convert(name, value, leaders, departments, recipients, agency)
            except (ValueError, TypeError, KeyError, AttributeError):
                errors.append(_bad(name))
                continue
        values[name] = value
    files, problems = validation.document_files(data, FIELDS, partial=partial, kinds=("pdf", "docx"),
                                                default_filename="du-thao.pdf",
                                                attachment_filename="phu-luc.pdf")
    errors.extend(problems)
    values.update(files)
    errors.extend(secrecy_errors(data, ("title",)))
    if errors:
        raise OutgoingError(_("error_outgoing_invalid",
                              default="The document was not saved: please correct the errors."),
                            validation.strip_status(errors), status=validation.status_of(errors))
    return values


def _convert(name, raw, leaders, departments, recipients, agency):
    if name == "document_type":
        if raw not in DOCUMENT_TYPES:
            raise ValueError(raw)
        return raw
    if name == "urgency":
        if raw not in {k for k, _t in URGENCY}:
            raise ValueError(raw)
        return raw
    if name == "signing_authority":
        if raw not in AUTHORITIES:
            raise ValueError(raw)
        return raw
    if name == "signer":
        user = api.user.get(username=raw) or api.user.get(userid=raw)
        if user is None or user.getId() not in leaders:
            raise ValueError(raw)
        return user.getId()
    if name == "drafting_department":
        if raw not in departments:
            raise ValueError(raw)
        return raw
    if name == "internal_recipients":
        result = []
        for item in raw:
            uid = _agency_uid(item, recipients)
            if uid not in result:
                result.append(uid)
        return result
    if name == "external_recipients":
        result = []
        for item in raw:
            if isinstance(item, str):
                code, _sep, title = item.partition("|")
                item = {"code": code.strip(), "name": title.strip()}
            if not isinstance(item.get("code"), str) or not isinstance(item.get("name"), str):
                raise ValueError(item)
            code, title = item["code"].strip(), item["name"].strip()
            if not code or not title or len(code) > 20 or len(title) > 200 or \
                    "\n" in code + title or "\r" in code + title:
                raise ValueError(item)
            email = item.get("email") or ""
            if not isinstance(email, str) or len(email) > 254 or \
                    (email.strip() and not EMAIL.match(email.strip())):
                raise ValueError(item)
            if code not in {r["code"] for r in result}:
                row = {"code": code, "name": title}
                if email.strip():
                    row["email"] = email.strip()
                result.append(row)
        return result
    if name == "in_reply_to":
        result = []
        for uid in raw:
            if own_document(agency, uid, "IncomingDocument") is None:
                raise ValueError(uid)
            if uid not in result:
                result.append(uid)
        return result
    if name == "replaces":
        if own_document(agency, raw, "OutgoingDocument") is None:
            raise ValueError(raw)
        return raw
    raise ValueError(name)


def own_document(agency, uid, portal_type):
    """The document ``uid`` of ``portal_type`` if it belongs to ``agency`` and the user may see it.

    None otherwise — the same for "another agency's" as for "does not exist", so the answer
    never tells whether an id exists elsewhere.
    """
    if not isinstance(uid, str) or not uid or len(uid) > 64:
        return None
    agency_path = "/".join(agency.getPhysicalPath())
    for brain in api.content.find(UID=uid, portal_type=portal_type, path=agency_path):
        try:
            obj = brain.getObject()
        except (KeyError, AttributeError):
            continue
        owner = get_agency(obj)
        if owner is not None and owner.getPhysicalPath() == agency.getPhysicalPath():
            return obj
    return None


def _agency_uid(item, recipients):
    """An agency by UID, code or path id → its UID (ValueError when unknown)."""
    item = str(item).strip()
    if item in recipients:
        return item
    for uid, brain in recipients.items():
        if brain.qlvb_agency_code == item or brain.getPath().endswith("/" + item):
            return uid
    raise ValueError(item)


# ---------------------------------------------------------------- create / update


def apply_values(doc, values, agency):
    """Set :func:`clean` values on ``doc``; uploads are scanned as they become files."""
    for name, value in values.items():
        if name == "file":
            check_upload(value[0], value[1], agency)
            doc.file = make_file(value[0], value[1])
        elif name == "attachments":
            for payload, filename in value:
                check_upload(payload, filename, agency)
            doc.attachments = [make_file(p, f) for p, f in value]
        else:
            setattr(doc, name, value)
            if name == "signer":
                remember_signer_name(doc)


def create(agency, values, *, comment=""):
    """Create a draft in ``agency`` from :func:`clean` values; the current user drafts it."""
    agency = aq_inner(agency)
    if not api.user.has_permission(ADD_PERMISSION, obj=agency):
        raise forbidden()

    def work():
        from dongthap.qlvb.outgoing.factory import new_outgoing_document

        return summary(new_outgoing_document(agency, values, comment=comment))

    return run_in_transaction(work, note="qlvb: create outgoing draft")


def update(doc, values, comment=""):
    """Change a draft (the drafter, while it is a draft); a new file becomes a new version."""
    doc = aq_inner(doc)
    if api.content.get_state(doc) not in EDITABLE_STATES or \
            not api.user.has_permission("Modify portal content", obj=doc):
        raise forbidden()
    agency = get_agency(doc)

    def work():
        apply_values(doc, values, agency)
        record_version(doc, comment)
        add_trail(doc, "edit", comment)
        doc.reindexObject()
        from zope.event import notify
        from zope.lifecycleevent import ObjectModifiedEvent

        notify(ObjectModifiedEvent(doc))
        return summary(doc)

    return run_in_transaction(work, note="qlvb: edit outgoing draft")


def comment(doc, text):
    """A reviewer (or the drafter) comments on the draft."""
    doc = aq_inner(doc)
    text = (text or "").strip()
    if not api.user.has_permission(COMMENT_PERMISSION, obj=doc):
        raise forbidden()
    if not text:
        raise OutgoingError(_("error_comment_required", default="Write the comment."),
                            [{"field": "text", "message": _("error_comment_required",
                                                            default="Write the comment.")}])

    def work():
        entry = add_comment(doc, text, level=current_level(doc))
        add_trail(doc, "comment", text)
        return entry

    return run_in_transaction(work, note="qlvb: comment on outgoing document")


# ---------------------------------------------------------------- review levels


def current_level(doc):
    """The review level the document waits for (``department_head``/``leader``) or None."""
    if api.content.get_state(doc) != "pending_review":
        return None
    levels = list(getattr(doc, "qlvb_review_levels", None) or ())
    index = getattr(doc, "qlvb_review_index", 0) or 0
    return levels[index] if index < len(levels) else None


# ---------------------------------------------------------------- transitions


def transition(doc, name, comment=""):
    """Run workflow ``name`` on ``doc`` in its own conflict-safe transaction.

    ``issue`` runs under the agency's register lock. Raises
    :class:`OutgoingError` when the action is not possible or fails (nothing
    is changed then: no state, no number, no signature, no delivery).
    """
    doc = aq_inner(doc)
    wftool = api.portal.get_tool("portal_workflow")

    def not_allowed():
        return OutgoingError(
            _("error_transition_not_allowed",
              default="The action \"${action}\" is not possible for this document now.",
              mapping={"action": TRANSITION_TITLES.get(name, name)}),
            status=400 if api.user.has_permission("View", obj=doc) else 403)

    if name not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
        raise not_allowed()
    if name in NEEDS_COMMENT and not (comment or "").strip():
        raise OutgoingError(reason_required_message(name),
                            [{"field": "comment", "message": reason_required_message(name)}])

    def work():
        if name not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
            raise not_allowed()
        try:
            wftool.doActionFor(doc, name, comment=comment or "")
        except WorkflowException as problem:
            message = getattr(problem, "message", None) or str(problem)
            raise OutgoingError(message) from problem
        return summary(doc)

    agency = get_agency(doc)
    if name == "issue":
        return _issue(doc, agency, work)
    lock = register_lock_key(agency) if name == "recall" else None
    return run_in_transaction(work, lock_key=lock, note=f"qlvb: outgoing {name}")


def _issue(doc, agency, work):
    """``issue``: sign, verify and scan once outside, then a small retried transaction.

    The register lock is held over both steps, so the number the files are signed
    with is the number the transaction takes (see :mod:`.issuing`).
    """
    from dongthap.qlvb.numbering import retry
    from dongthap.qlvb.outgoing import issuing
    from dongthap.qlvb.outgoing.workflow import _failure_message

    lock = retry.lock_for(register_lock_key(agency))
    if not lock.acquire(timeout=retry.LOCK_TIMEOUT):
        raise OutgoingError(_("error_issue_busy",
                              default="The register is busy; please try again in a moment."),
                            status=503)
    try:
        if retry.COMMIT:
            transaction.commit()  # what the request holds; then read the newest state
            transaction.begin()
        try:
            prepared = issuing.prepare(doc, agency)
        except Exception as problem:
            if type(problem) is OutgoingError:  # a refusal of ours; signing's own errors are told below
                raise
            logger.warning("issue of %s refused while preparing: %r", doc.absolute_url_path(),
                           problem)
            message = _failure_message("issue", problem)
            raise OutgoingError(message) from problem
        finally:
            if retry.COMMIT:
                transaction.abort()  # nothing was written; the scan incidents commit on their own
        with issuing.using(prepared):
            try:
                return run_in_transaction(work, note="qlvb: outgoing issue")
            except retry.RetriesExhausted as problem:  # nothing was issued; a clear "try again"
                raise OutgoingError(_("error_issue_busy", default="The register is busy; please "
                                      "try again in a moment."), status=503) from problem
    finally:
        lock.release()


def reason_required_message(name):
    if name == "recall":
        return _("error_recall_reason", default="Please give the reason for recalling the document.")
    return _("error_return_comment", default="Please write why the draft is returned.")


def state_title(state):
    return STATE_TITLES.get(state, state)


#: ``(userid, full name)`` of the person :func:`signer_name` names, stored when the signer is
#: chosen or changed and when a delegate signs (:func:`remember_signer_name`): the lists and the
#: index ``qlvb_signer_text`` read it instead of asking PAS on every reindex.
SIGNER_NAME_ATTR = "qlvb_signer_name"


def _signing_person(doc):
    behalf = getattr(doc, "qlvb_signed_on_behalf", None)
    return behalf["signed_by"] if behalf else getattr(doc, "signer", None)


def remember_signer_name(doc):
    """Store the full name of the person who signs ``doc`` (the signer, or his delegate)."""
    userid = _signing_person(doc)
    setattr(doc, SIGNER_NAME_ATTR, (userid, fullname(userid)) if userid else None)


def signer_name(doc):
    """The person who signed (a delegate signing for the signer, see ``delegation/``) or will sign.

    The name stored with the document when it names the same person; else (documents from
    before 1008, a signer set another way) PAS is asked.
    """
    userid = _signing_person(doc)
    stored = getattr(doc, SIGNER_NAME_ATTR, None)
    if stored and stored[0] == userid:
        return stored[1]
    return fullname(userid)


def signer_position_text(doc):
    """``KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`` when signed under a delegation, else the authority and position."""
    behalf = getattr(doc, "qlvb_signed_on_behalf", None)
    if behalf:
        return f"{behalf['authority']} {behalf['delegator_position']} / {behalf['delegate_position']}"
    return " ".join(x for x in (AUTHORITIES.get(getattr(doc, "signing_authority", None) or "none"),
                                getattr(doc, "signer_position", None)) if x)


def summary(doc):
    state = api.content.get_state(doc)
    return {
        "path": "/".join(doc.getPhysicalPath()),
        "url": doc.absolute_url(),
        "uid": api.content.get_uuid(doc),
        "state": state,
        "state_title": state_title(state),
        "review_level": current_level(doc),
        "code_number": doc.code_number,
        "code_notation": doc.code_notation,
        "notation": doc.notation(),
        "issued_at": doc.issued_at.isoformat() if doc.issued_at else None,
        "versions": len(versions(doc)),
    }


def info(doc):
    """Trail, comments, versions and review position of a document (JSON-ready)."""
    data = summary(doc)
    data.update({
        "review_levels": list(getattr(doc, "qlvb_review_levels", None) or ()),
        "comments": comments(doc),
        "versions": versions_info(doc),
        "trail": [dict(t, title=TRANSITION_TITLES.get(t["action"], t["action"]),
                       fullname=fullname(t["actor"]), at_display=fmt_datetime(t["at"]),
                       **({"behalf_fullname": fullname(t["on_behalf_of"])} if t.get("on_behalf_of") else {}))
                  for t in getattr(doc, "qlvb_trail", None) or ()],
        "signer": doc.signer, "signer_name": signer_name(doc),
        "signer_position_text": signer_position_text(doc),
        "signed_on_behalf": _behalf(doc),
        "replaced_by": dict(getattr(doc, "qlvb_replaced_by", None) or {}) or None,
        "replaces": doc.replaces,
        "in_reply_to": list(doc.in_reply_to or ()),
        "legal_validity": getattr(doc, "legal_validity", None),
        "recall": dict(getattr(doc, "qlvb_recall", None) or {}) or None,
        "original_medium": getattr(doc, "qlvb_original_medium", None) or "electronic",
        "paper_scan": dict(getattr(doc, "qlvb_paper_scan", None) or {}) or None,
    })
    return data


def _behalf(doc):
    behalf = getattr(doc, "qlvb_signed_on_behalf", None)
    if not behalf:
        return None
    return dict(behalf, on_behalf_of_name=fullname(behalf["on_behalf_of"]),
                signed_by_name=fullname(behalf["signed_by"]))
