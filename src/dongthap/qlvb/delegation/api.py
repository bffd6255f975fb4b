"""Delegations (ủy quyền) of an agency: create, list, revoke; who may act for whom, now.

A delegation is a plain dict kept in an OOBTree in the annotations of the agency:

``{"id", "delegator", "delegate" (user ids), "start", "end" (ISO dates, both included),
"scope" ("sign" | "assign" | "both"), "authority" ("KT" | "TL" | "TUQ"), "reason",
"delegator_position", "delegate_position", "created_at", "created_by",
"revoked_at", "revoked_by", "revoke_reason", "started_logged", "ended_logged"}``

The rights are never stored anywhere else: :mod:`.roles` (a local-role provider on the
documents) asks :func:`delegated_roles` at the time of each act, so a delegation that ended
or was revoked stops working at once, without any job. Only **direct** delegations count:
rights received by delegation are never passed on (no re-delegation), and only a person who
holds the leader role **himself** may delegate (his own rights only). The delegator keeps
his rights.
"""

from __future__ import annotations

import datetime
import unicodedata
import uuid

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.documents.common import actor as _actor
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.documents.common import parse_date
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.errors import forbidden
from dongthap.qlvb.i18n import _
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.utils.text import has_unsafe_characters
from dongthap.qlvb.utils.text import unsafe_text_message
from plone import api
from zope.annotation.interfaces import IAnnotations

KEY = "dongthap.qlvb.delegations"
BY_DELEGATE_KEY = "dongthap.qlvb.delegations.by_delegate"
actor = _actor
GROUP_PREFIX = "qlvb-"  # agencies.api: every group of ours (no account id may start with it)
MANAGE_PERMISSION = "dongthap.qlvb: Manage delegations"
SCOPES = ("sign", "assign", "both")
#: authority → prefix of the signature block (NĐ 30, Phụ lục I)
AUTHORITIES = {"KT": "KT.", "TL": "TL.", "TUQ": "TUQ."}
MAX_DAYS = 366
#: incoming states in which a delegate for assignment acts as the leader
ASSIGN_STATES = ("registered", "assigned", "in_progress")

SCOPE_TITLES = {
    "sign": _("delegation_scope_sign", default="Sign documents"),
    "assign": _("delegation_scope_assign", default="Assign incoming documents"),
    "both": _("delegation_scope_both", default="Sign and assign"),
}
AUTHORITY_TITLES = {
    "KT": _("delegation_authority_kt", default="KT. (ký thay: a deputy for the head)"),
    "TL": _("delegation_authority_tl", default="TL. (thừa lệnh: the office chief by order of the head)"),
    "TUQ": _("delegation_authority_tuq", default="TUQ. (thừa ủy quyền: an authorised person)"),
}
STATUS_TITLES = {
    "active": _("delegation_status_active", default="In force"),
    "planned": _("delegation_status_planned", default="Not started yet"),
    "ended": _("delegation_status_ended", default="Ended"),
    "revoked": _("delegation_status_revoked", default="Revoked"),
}


# ----------------------------------------------------------------------------- storage
def _store(agency, create=False):
    if not create:  # the hot path (every permission check on a document): no adapter lookup
        annotations = getattr(aq_base(agency), "__annotations__", None)
        return annotations.get(KEY) if annotations is not None else None
    annotations = IAnnotations(agency)
    found = annotations.get(KEY)
    if found is None:
        found = annotations[KEY] = OOBTree()
    return found


def _agency_of(doc):
    """The agency of a document, walking up its parents (cheaper than ``get_agency``)."""
    node = doc
    while node is not None:
        if getattr(aq_base(node), "portal_type", None) == "Agency":
            return node
        node = getattr(node, "aq_parent", None)
    return None


def records(agency):
    store = _store(agency)
    return list(store.values()) if store else []


def get(agency, delegation_id):
    store = _store(agency)
    return store.get(delegation_id) if store and isinstance(delegation_id, str) else None


def _delegates(agency, create=False):
    """delegate user id → ids of his delegations (so a permission check reads one entry)."""
    if not create:
        annotations = getattr(aq_base(agency), "__annotations__", None)
        return annotations.get(BY_DELEGATE_KEY) if annotations is not None else None
    annotations = IAnnotations(agency)
    found = annotations.get(BY_DELEGATE_KEY)
    if found is None:
        found = annotations[BY_DELEGATE_KEY] = OOBTree()
        for other in records(agency):
            found[other["delegate"]] = tuple(sorted(set(found.get(other["delegate"], ())) | {other["id"]}))
    return found


def _put(agency, record):
    _store(agency, create=True)[record["id"]] = dict(record)
    by_delegate = _delegates(agency, create=True)
    ids = set(by_delegate.get(record["delegate"], ()))
    if record["id"] not in ids:
        by_delegate[record["delegate"]] = tuple(sorted(ids | {record["id"]}))


def _records_of(agency, delegate):
    store, by_delegate = _store(agency), _delegates(agency)
    if not store or not by_delegate:
        return []
    return [store[i] for i in by_delegate.get(delegate, ()) if i in store]


def today():
    return now().date()


def status(record, day=None):
    day = day or today()
    if record.get("revoked_at"):
        return "revoked"
    if day < datetime.date.fromisoformat(record["start"]):
        return "planned"
    if day > datetime.date.fromisoformat(record["end"]):
        return "ended"
    return "active"


def is_active(record, day=None):
    return status(record, day) == "active"


def covers(record, act):
    """Whether the delegation's scope covers ``act`` ("sign" or "assign")."""
    return record["scope"] in (act, "both")


# ----------------------------------------------------------------------------- who may act
def _real_roles(agency, userid):
    """Roles held in the agency itself (agency folder: no delegated role is ever given there)."""
    user = api.user.get(userid=userid)
    return set(api.user.get_roles(user=user, obj=agency)) if user is not None else set()


def active_for_delegate(agency, userid, act, delegator=None, day=None):
    """Active delegations of ``agency`` to ``userid`` covering ``act`` (from ``delegator``)."""
    day = day or today()
    return [r for r in _records_of(agency, userid)
            if covers(r, act) and is_active(r, day)
            and (delegator is None or r["delegator"] == delegator)]


def delegated_roles(doc, principal_id):
    """Local roles ``principal_id`` holds on ``doc`` by a delegation in force now (the provider)."""
    if principal_id.startswith(GROUP_PREFIX) or principal_id in ("AuthenticatedUsers", "Anonymous User"):
        return ()  # the agencies' and departments' groups, Plone's virtual groups: never delegates
    agency = _agency_of(doc)
    if agency is None:
        return ()
    found = _records_of(agency, principal_id)
    if not found:
        return ()
    day = today()
    found = [r for r in found if is_active(r, day)]
    if not found:
        return ()
    portal_type = getattr(doc, "portal_type", None)
    if portal_type == "IncomingDocument":
        if any(covers(r, "assign") for r in found) and \
                api.content.get_state(obj=doc, default=None) in ASSIGN_STATES:
            return (R.LEADER,)
    elif portal_type == "OutgoingDocument":
        signer = getattr(doc, "signer", None)
        if any(covers(r, "sign") and r["delegator"] == signer for r in found) and \
                api.content.get_state(obj=doc, default=None) == "approved":
            return (R.LEADER,)
    return ()


def acting_for(doc, act, userid=None):
    """The delegation the current user acts under on ``doc`` (None: he acts with his own rights).

    ``assign``: he holds no leader role of his own in the agency; ``sign``: he is not the
    document's signer. The first delegation in force that covers the act is used.
    """
    agency = get_agency(doc)
    if agency is None:
        return None
    userid = userid or _actor()
    if act == "sign":
        signer = getattr(doc, "signer", None)
        if userid == signer:
            return None
        found = active_for_delegate(agency, userid, "sign", delegator=signer)
    else:
        if R.LEADER in _real_roles(agency, userid):
            return None
        found = active_for_delegate(agency, userid, "assign")
    found.sort(key=lambda r: r["created_at"])
    return found[0] if found else None


def forget_cached_roles(request=None):
    """Drop the local roles borg.localrole cached on this request (after a delegation changed)."""
    from zope.annotation.interfaces import IAnnotations as IAnn
    from zope.globalrequest import getRequest

    request = request if request is not None else getRequest()
    annotations = IAnn(request, None) if request is not None else None
    if annotations is None:
        return
    for key in [k for k in list(annotations.keys())
                if isinstance(k, str) and k.startswith("borg.localrole.workspace.checkLocalRolesAllowed:")]:
        del annotations[key]


def trail_fields(record):
    """The fields of a trail entry (and audit record) of an act done under ``record``."""
    return {"delegation": record["id"], "on_behalf_of": record["delegator"],
            "authority": AUTHORITIES[record["authority"]]}


def signature_lines(record, delegator_position=None):
    """(prefix, position lines, reason) of a signature made under ``record``:
    ``KT.`` + ``GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC`` — the delegator's title then the signer's."""
    prefix = AUTHORITIES[record["authority"]]
    top = (delegator_position or record["delegator_position"]).strip()
    position = f"{top}\n{record['delegate_position'].strip()}"
    reason = f"{prefix} {top} ({fullname(record['delegator'])}) - {record['delegate_position']} " \
             f"{fullname(record['delegate'])} ký theo ủy quyền {record['id']}"
    return prefix, position, reason


def log_act(doc, record, act):
    """Audit record of an act (``sign`` / ``assign``) done under a delegation."""
    from dongthap.qlvb.audit import log as audit

    audit.log(f"delegated_{act}", doc, detail=_detail(record))


# ----------------------------------------------------------------------------- helpers
def fullname(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") or userid) if user is not None else (userid or "")


def username(userid):
    user = api.user.get(userid=userid) if userid else None
    return user.getUserName() if user is not None else userid


def _resolve(name):
    user = api.user.get(username=name) or api.user.get(userid=name)
    return user.getId() if user is not None else None


def _detail(record):
    return (f"{record['id']}: {username(record['delegator'])} → {username(record['delegate'])}, "
            f"{record['scope']}, {AUTHORITIES[record['authority']]}, {record['start']} – {record['end']}")


def _bad(field, message):
    return {"field": field, "message": message}


def may_manage(agency, userid=None):
    """A leader of the agency (his own role, not a delegated one) may delegate his rights."""
    userid = userid or _actor()
    return api.user.has_permission(MANAGE_PERMISSION, obj=agency) and \
        R.LEADER in _real_roles(agency, userid)


# ----------------------------------------------------------------------------- create / revoke
def clean(agency, data, delegator):
    """Validate the REST/form data; returns the fields of a new delegation (400 with the errors)."""
    if not isinstance(data, dict):
        raise QlvbError(_("error_delegation_invalid",
                          default="The delegation was not saved: please correct the errors."))
    errors = []

    def text(name, limit):
        value = data.get(name)
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.append(_bad(name, _("error_delegation_text", default="Enter a text.")))
            return ""
        if has_unsafe_characters(value):
            errors.append(_bad(name, unsafe_text_message()))
            return ""
        value = unicodedata.normalize("NFC", value.strip())
        if len(value) > limit:
            errors.append(_bad(name, _("error_delegation_too_long",
                                       default="At most ${max} characters.", mapping={"max": limit})))
        return value

    delegate_name = text("delegate", 100)
    delegate = _resolve(delegate_name) if delegate_name else None
    if not delegate_name:
        errors.append(_bad("delegate", _("error_delegation_delegate_required",
                                         default="Choose the person who receives the delegation.")))
    elif delegate is None or not _real_roles(agency, delegate) & set(R.AGENCY_ROLES):
        errors.append(_bad("delegate", _("error_delegation_not_staff",
                                         default="${user} is not staff of this agency.",
                                         mapping={"user": delegate_name})))
        delegate = None
    elif delegate == delegator:
        errors.append(_bad("delegate", _("error_delegation_self",
                                         default="You cannot delegate to yourself.")))
        delegate = None
    days = {}
    for name in ("start", "end"):
        raw = data.get(name)
        if raw in (None, ""):
            errors.append(_bad(name, _("error_delegation_date_required",
                                       default="Enter a date as dd/mm/yyyy.")))
            continue
        try:
            days[name] = parse_date(raw) if isinstance(raw, str) else None
        except ValueError:
            days[name] = None
        if days[name] is None:
            errors.append(_bad(name, _("error_delegation_date_required",
                                       default="Enter a date as dd/mm/yyyy.")))
            del days[name]
    if "start" in days and days["start"] < today():
        errors.append(_bad("start", _("error_delegation_start_past",
                                      default="A delegation cannot start in the past.")))
    if "start" in days and "end" in days:
        if days["end"] < days["start"]:
            errors.append(_bad("end", _("error_delegation_end_before_start",
                                        default="The end date is before the start date.")))
        elif (days["end"] - days["start"]).days >= MAX_DAYS:
            errors.append(_bad("end", _("error_delegation_too_long_period",
                                        default="A delegation lasts at most one year.")))
    scope = data.get("scope")
    if not isinstance(scope, str) or scope not in SCOPES:
        errors.append(_bad("scope", _("error_delegation_scope",
                                      default="Choose what is delegated: sign, assign or both.")))
    authority = data.get("authority") or "TUQ"
    if not isinstance(authority, str) or authority not in AUTHORITIES:
        errors.append(_bad("authority", _("error_delegation_authority",
                                          default="Choose KT., TL. or TUQ.")))
    elif authority == "KT" and delegate and R.LEADER not in _real_roles(agency, delegate):
        errors.append(_bad("authority", _("error_delegation_kt_needs_deputy",
                                          default="KT. (ký thay) is for a deputy leader of the agency.")))
    reason = text("reason", 500)
    if not reason and not any(e["field"] == "reason" for e in errors):
        errors.append(_bad("reason", _("error_delegation_reason_required",
                                       default="Give the reason of the delegation.")))
    positions = {}
    for name in ("delegator_position", "delegate_position"):
        positions[name] = text(name, 100).upper()
        if not positions[name] and not any(e["field"] == name for e in errors):
            errors.append(_bad(name, _("error_delegation_position_required",
                                       default="Enter the position (e.g. GIÁM ĐỐC, PHÓ GIÁM ĐỐC).")))
    if not errors and delegate:
        for other in records(agency):
            if other["delegator"] == delegator and other["delegate"] == delegate \
                    and not other.get("revoked_at") and status(other) != "ended" \
                    and other["start"] <= days["end"].isoformat() \
                    and days["start"].isoformat() <= other["end"] \
                    and (scope == "both" or other["scope"] in (scope, "both")):
                errors.append(_bad("start", _("error_delegation_overlap",
                                              default="A delegation to this person already covers part "
                                                      "of this period.")))
                break
    if errors:
        raise QlvbError(_("error_delegation_invalid",
                          default="The delegation was not saved: please correct the errors."), errors)
    return {"delegate": delegate, "start": days["start"].isoformat(), "end": days["end"].isoformat(),
            "scope": scope, "authority": authority, "reason": reason, **positions}


def create(agency, data):
    """The current user (a leader of ``agency``) delegates his rights; returns the delegation."""
    delegator = _actor()
    if not may_manage(agency, delegator):
        raise forbidden()
    values = clean(agency, data, delegator)
    record = dict(values, id=uuid.uuid4().hex, delegator=delegator,
                  created_at=now().isoformat(), created_by=delegator, revoked_at=None, revoked_by=None,
                  revoke_reason="", started_logged=False, ended_logged=False)
    _put(agency, record)
    forget_cached_roles()
    _audit(agency, "delegation_created", record)
    if is_active(record):
        _start(agency, record)
    return info(record)


def _start(agency, record):
    from dongthap.qlvb.notifications import api as N

    record = dict(record, started_logged=True)
    _put(agency, record)
    _audit(agency, "delegation_started", record)
    N.notify([record["delegate"]], "delegation_started", title=_title(record),
             path=_path(agency), actor=record["delegator"], exclude_actor=False,
             mapping={"person": fullname(record["delegator"]), "end": fmt_date(
                 datetime.date.fromisoformat(record["end"]))})
    return record


def revoke(agency, delegation_id, reason=""):
    record = get(agency, delegation_id)
    if record is None:
        raise QlvbError(_("error_delegation_not_found", default="There is no such delegation."), status=404)
    userid = _actor()
    admin = bool(set(api.user.get_roles(obj=agency)) & {"Manager", "Site Administrator"})
    if record["delegator"] != userid and not admin:
        raise forbidden()
    if record.get("revoked_at") or status(record) == "ended":
        raise QlvbError(_("error_delegation_not_in_force",
                          default="This delegation has already ended or been revoked."), status=409)
    if has_unsafe_characters(reason):
        raise QlvbError(_("error_delegation_invalid",
                          default="The delegation was not saved: please correct the errors."),
                        [_bad("reason", unsafe_text_message())])
    reason = unicodedata.normalize("NFC", reason.strip()) if isinstance(reason, str) else ""
    record = dict(record, revoked_at=now().isoformat(), revoked_by=userid, revoke_reason=reason[:500])
    _put(agency, record)
    forget_cached_roles()
    _audit(agency, "delegation_revoked", record)
    from dongthap.qlvb.notifications import api as N

    N.notify([record["delegate"]], "delegation_revoked", title=_title(record), path=_path(agency),
             actor=userid, exclude_actor=False, mapping={"person": fullname(record["delegator"])})
    return info(record)


def tick(agency, day=None):
    """Log (and notify) the starts and ends that happened by the clock (daily job); idempotent."""
    day = day or today()
    done = {"started": 0, "ended": 0}
    for record in records(agency):
        if record.get("revoked_at"):
            continue
        current = status(record, day)
        if current == "active" and not record.get("started_logged"):
            record = _start(agency, record)
            done["started"] += 1
        if current == "ended" and not record.get("ended_logged"):
            record = dict(record, ended_logged=True, started_logged=True)
            _put(agency, record)
            _audit(agency, "delegation_ended", record)
            done["ended"] += 1
    return done


def _audit(agency, action, record):
    from dongthap.qlvb.audit import log as audit

    audit.log(action, agency, detail=_detail(record))


def _title(record):
    from zope.i18n import translate

    return translate(SCOPE_TITLES[record["scope"]], target_language="vi")


def _path(agency):
    site = "/".join(api.portal.get().getPhysicalPath()) + "/"
    path = "/".join(agency.getPhysicalPath())
    return f"{path[len(site):]}/@@uy-quyen" if path.startswith(site) else "@@uy-quyen"


# ----------------------------------------------------------------------------- reading
def info(record, day=None):
    from zope.i18n import translate

    def t(msg):
        return translate(msg, target_language="vi")

    current = status(record, day)
    return {
        "id": record["id"],
        "delegator": username(record["delegator"]), "delegator_fullname": fullname(record["delegator"]),
        "delegate": username(record["delegate"]), "delegate_fullname": fullname(record["delegate"]),
        "start": record["start"], "end": record["end"],
        "start_display": fmt_date(datetime.date.fromisoformat(record["start"])),
        "end_display": fmt_date(datetime.date.fromisoformat(record["end"])),
        "scope": record["scope"], "scope_title": t(SCOPE_TITLES[record["scope"]]),
        "authority": record["authority"], "prefix": AUTHORITIES[record["authority"]],
        "delegator_position": record["delegator_position"],
        "delegate_position": record["delegate_position"],
        "reason": record["reason"], "status": current, "status_title": t(STATUS_TITLES[current]),
        "created_at": record["created_at"], "revoked_at": record.get("revoked_at"),
        "revoked_by": username(record.get("revoked_by")) if record.get("revoked_by") else None,
        "revoke_reason": record.get("revoke_reason") or "",
    }


def listing(agency, userid=None):
    """``{"given": [...], "received": [...], "all": [...] (leaders' view)}`` for the current user."""
    userid = userid or _actor()
    mine = sorted(records(agency), key=lambda r: r["created_at"], reverse=True)
    out = {"given": [info(r) for r in mine if r["delegator"] == userid],
           "received": [info(r) for r in mine if r["delegate"] == userid],
           "may_delegate": may_manage(agency, userid)}
    return out


def waiting_work(agency, userid=None):
    """Documents the user may act on now under a delegation (for his delegation page).

    Read with an unrestricted catalog query, then each kept only when the user may act on it
    now (the same check as the act itself): the catalog never holds delegated rights.
    """
    from dongthap.qlvb.outgoing.workflow import guard
    from dongthap.qlvb.incoming.api import ASSIGN_PERMISSION

    userid = userid or _actor()
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(agency.getPhysicalPath())
    out = {"assign": [], "sign": []}
    if active_for_delegate(agency, userid, "assign") and R.LEADER not in _real_roles(agency, userid):
        for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                                       path={"query": path, "depth": 3},
                                                       review_state="registered"):
            doc = brain._unrestrictedGetObject()
            if api.user.has_permission(ASSIGN_PERMISSION, obj=doc):
                out["assign"].append({"title": brain.Title, "url": doc.absolute_url()})
    delegators = {r["delegator"] for r in active_for_delegate(agency, userid, "sign")}
    if delegators:
        for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument",
                                                       path={"query": path, "depth": 3},
                                                       review_state="approved"):
            doc = brain._unrestrictedGetObject()
            if getattr(doc, "signer", None) in delegators and guard(doc, "sign"):
                out["sign"].append({"title": brain.Title, "url": doc.absolute_url(),
                                    "signer": fullname(doc.signer)})
    return out
