"""Access-right changes shown before they are made (issue 19, item 6; Phụ lục VI).

``POST @staff`` and ``DELETE @staff/<username>`` with ``?dry_run=1`` (or
``"dry_run": true`` in the body) change nothing and answer what would change
— one line per role granted or removed — with a ``confirmation`` token; the
confirmed call may carry that token (``"confirmation"``), and is then refused
(409) when the change is no longer the one shown (someone else changed the
roles in between).  Every change made is logged in the audit trail
(``role_granted``/``role_removed``, from the group membership events).
"""

from __future__ import annotations

import hashlib
import hmac
import json

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _


def wants_dry_run(request, data=None) -> bool:
    flag = request.form.get("dry_run") or (data or {}).get("dry_run")
    return str(flag).strip().lower() in ("1", "true", "yes", "on")


def staff_changes(agency, username, roles, *, remove=False) -> list[dict]:
    """What granting (or removing) *roles* of *agency* to *username* changes."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R
    from plone import api

    user = api.user.get(username=username)
    held = set()
    if user is not None:
        for role, gid in agencies.group_ids(agency).items():
            if user.getId() in agencies.group_members(gid):
                held.add(role)
    wanted = list(roles) if roles else (list(R.AGENCY_ROLES) if remove else [])
    changes = []
    for role in wanted:
        if remove and role in held:
            changes.append({"username": username, "role": R.ROLE_KEYS[role], "change": "remove"})
        elif not remove and role not in held:
            changes.append({"username": username, "role": R.ROLE_KEYS[role], "change": "grant"})
    return changes


def _secret() -> bytes:
    from plone.keyring.interfaces import IKeyManager
    from zope.component import getUtility

    return getUtility(IKeyManager).secret().encode("utf-8")


def token(agency, changes) -> str:
    from plone import api

    payload = json.dumps([agency.UID(), api.user.get_current().getId(), changes], sort_keys=True)
    return hmac.new(_secret(), payload.encode("utf-8"), hashlib.sha256).hexdigest()


def describe(agency, changes, request) -> dict:
    """The dry-run answer."""
    from dongthap.qlvb.security import roles as R
    from zope.i18n import translate

    lines = []
    for change in changes:
        role_title = translate(R.ROLE_TITLES[R.ROLES_BY_KEY[change["role"]]], context=request)
        message = (_("text_change_grant", default="${username} gets the role ${role}.",
                     mapping={"username": change["username"], "role": role_title})
                   if change["change"] == "grant" else
                   _("text_change_remove", default="${username} loses the role ${role}.",
                     mapping={"username": change["username"], "role": role_title}))
        lines.append(dict(change, text=translate(message, context=request)))
    return {"dry_run": True, "changes": lines, "confirmation": token(agency, changes)}


def check_confirmation(agency, changes, data):
    """Refuse (409) a confirmed call whose change is no longer the one shown."""
    given = (data or {}).get("confirmation")
    if given and not hmac.compare_digest(str(given), token(agency, changes)):
        raise QlvbError(_("error_change_not_confirmed",
                          default="The access rights changed since you confirmed: look at the change again."),
                        status=409)
