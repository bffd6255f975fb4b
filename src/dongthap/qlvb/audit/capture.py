"""Subscribers that turn what happens into audit records (one record per step).

* reads: ``IPubSuccess`` of a GET/HEAD whose published view or service works
  on one of our objects (a document, an agency's registers) → ``view``,
  ``download``, ``print`` or ``export``;
* refusals: ``IPubFailure`` on our objects (not a conflict being retried) →
  one record with ``outcome: "refused"``;
* document actions: every entry of a document's trail (create, register,
  assign, complete, edit, comment, exchange update…; see
  ``documents/trail.py``) → one record named as the entry; a bare
  ``IObjectModifiedEvent`` (an edit through a form that writes no trail entry)
  → ``modified``, dropped when another record of the same object in the same
  transaction already says what changed;
* signatures (``IDocumentSignedEvent``) → ``sign``; statuses received from
  recipients (``IRecipientStatusChanged``) → ``exchange_status``;
* accounts: group membership (the agency roles) and local roles (sharing) →
  ``role_granted``/``role_removed``/``local_roles_changed``; login and logout.
"""

from __future__ import annotations

import logging

from Acquisition import aq_inner, aq_parent

from dongthap.qlvb.audit.log import IMPLIED, log

logger = logging.getLogger("dongthap.qlvb.audit")

READ_METHODS = ("GET", "HEAD")
DOWNLOAD_NAMES = ("download", "display-file", "@@download", "@@display-file", "@@images", "images")
EXPORT_FORMATS = ("xlsx", "pdf", "csv", "xml")


def _audited(obj):
    """Whether *obj* is one of ours whose reads are audited."""
    if obj is None:
        return False
    from dongthap.qlvb.documents.interfaces import IQlvbDocument

    if IQlvbDocument.providedBy(obj):
        return True
    provided = [i.__identifier__ for i in getattr(obj, "__provides__", None) or ()]
    return any(name.endswith(("IDossier", "IAgency")) for name in provided)


def _published_context(request):
    published = request.get("PUBLISHED")
    if published is None:
        return None, ""
    name = getattr(published, "__name__", "") or ""
    context = getattr(published, "context", None)
    if context is None:
        # a method or a file field: its object
        context = getattr(published, "__self__", None) or aq_parent(aq_inner(published))
    if context is not None and not _audited(context):
        # a view on a document's file (@@download/file/name) may hold a sub-object
        parent = aq_parent(aq_inner(context)) if hasattr(context, "aq_parent") else None
        context = parent if _audited(parent) else context
    return context, name


def _read_action(context, name, request):
    from dongthap.qlvb.documents.interfaces import IQlvbDocument

    fmt = request.form.get("format") or request.form.get("dinh_dang") or ""
    # a parameter given twice (?format=pdf&format=xlsx) is a list: still audited as an export
    fmt = " ".join(fmt).lower() if isinstance(fmt, (list, tuple)) else str(fmt).lower()
    if any(part in EXPORT_FORMATS for part in fmt.split()):
        return "export"
    if fmt in EXPORT_FORMATS or name.endswith(("xlsx", "csv", "export")):
        return "export"
    if any(part in name for part in ("print", "ban-in")):
        return "print"
    if name.lstrip("@") in DOWNLOAD_NAMES:
        return "download"
    if not IQlvbDocument.providedBy(context):
        return None  # pages of an agency are lists: their documents are audited when opened
    return "view"


def _refused_answer(request):
    """A change refused with an answer of ours (4xx after the transaction was aborted): one record."""
    status = request.response.getStatus()
    if status < 400:
        return
    context, name = _published_context(request)
    if not _audited(context):
        return
    detail = {"status": status, "view": name}
    claimed = _claimed_login(request)
    if claimed:
        detail["claimed_login"] = claimed
    log(f"{request.method.lower()} {name}".strip(), context, when="now", request=request,
        outcome="refused", detail=detail)


def publication_succeeded(event):
    request = event.request
    if getattr(request, "method", "GET") not in READ_METHODS:
        try:
            _refused_answer(request)
        except Exception:  # noqa: BLE001
            logger.exception("audit of a refusal failed")
        return
    try:
        context, name = _published_context(request)
        if not _audited(context):
            return
        action = _read_action(context, name, request)
        if action is None:
            return
        detail = {"view": name} if name else None
        if action == "download":
            field = getattr(request.get("PUBLISHED"), "fieldname", None)
            if field:
                detail = dict(detail or {}, field=field)
        log(action, context, when="now", request=request, detail=detail)
    except Exception:  # noqa: BLE001 - auditing never breaks an answer
        logger.exception("audit of a read failed")


def publication_failed(event):
    if getattr(event, "retry", False):
        return  # a conflict: the retry is audited
    request = event.request
    try:
        context, name = _published_context(request)
        if not _audited(context):
            return
        exc = event.exc_info[1] if event.exc_info else None
        if request.method in READ_METHODS:
            action = _read_action(context, name, request) or "view"
        else:
            action = f"{request.method.lower()} {name}".strip()
        detail = {"error": type(exc).__name__ if exc is not None else None, "view": name}
        claimed = _claimed_login(request)
        if claimed:
            detail["claimed_login"] = claimed  # refused before or by authorization: not verified
        log(action, context, when="now", request=request, outcome="refused", detail=detail)
    except Exception:  # noqa: BLE001
        logger.exception("audit of a refusal failed")


def _claimed_login(request):
    """The login name the request carries (Basic auth), unverified; a refused request is anonymous."""
    try:
        found = request._authUserPW()
    except Exception:  # noqa: BLE001
        found = None
    return found[0] if found else None


# -- document actions ------------------------------------------------------------------------

def trail_entry_added(event):
    entry = event.entry
    detail = {k: v for k, v in entry.items() if k not in ("at", "actor", "action") and v not in ("", None)}
    log(entry.get("action") or "action", event.object, detail=detail or None,
        userid=entry.get("actor") or None)


def document_modified(obj, event):
    from plone.app.workflow.interfaces import ILocalrolesModifiedEvent

    if ILocalrolesModifiedEvent.providedBy(event):
        return
    log(IMPLIED, obj)


def document_signed(event):
    log("sign", event.object, detail={"kind": event.kind, "field": event.field},
        userid=getattr(event, "userid", None) or None)


def recipient_status(event):
    from plone import api

    doc = api.content.get(UID=event.document_uid) if event.document_uid else None
    log("exchange_status", doc, uid=event.document_uid,
        detail={"organ_id": event.organ_id, "code": event.code, "description": event.description})


# -- accounts --------------------------------------------------------------------------------

def _agency_of_group(group_id):
    from dongthap.qlvb.agencies.api import group_ids
    from plone import api

    try:
        brains = api.content.find(portal_type="Agency", unrestricted=True)
    except Exception:  # noqa: BLE001 - no site
        return None, None
    for brain in brains:
        agency = brain._unrestrictedGetObject()
        for role, gid in group_ids(agency).items():
            if gid == group_id:
                return agency, role
    return None, None


def _principal_id(principal):
    return principal.getId() if hasattr(principal, "getId") else str(principal)


def _group_event(action, event):
    agency, role = _agency_of_group(event.group_id)
    log(action, agency, detail={"principal": _principal_id(event.principal), "group": event.group_id,
                                "role": role})


def principal_added_to_group(event):
    _group_event("role_granted", event)


def principal_removed_from_group(event):
    _group_event("role_removed", event)


def local_roles_modified(obj, event):
    roles = {principal: list(r) for principal, r in (obj.get_local_roles() or ())}
    log("local_roles_changed", obj, detail={"local_roles": roles})


def logged_in(event):
    log("login", None, when="now", userid=_principal_id(event.principal))


def logged_out(event):
    log("logout", None, when="now", userid=_principal_id(event.principal))





def account_event(event):
    """The events of ``dongthap.qlvb.accounts`` (failures, lockouts…): action named after the event."""
    name = type(event).__name__
    action = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    fields = {k: v for k, v in vars(event).items()
              if isinstance(v, (str, int, float, bool, type(None))) and "password" not in k.lower()}
    userid = fields.pop("userid", None) or fields.pop("login", None) or "Anonymous User"
    outcome = "refused" if action.endswith(("failed", "locked")) else "ok"
    agency_uid = fields.pop("agency_uid", None)  # the agency's own trail (its security officer sees it)
    log(action, None, when="now", userid=str(userid), outcome=outcome, detail=fields or None,
        agency_uid=agency_uid or None)




