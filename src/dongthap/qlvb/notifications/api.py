"""Notifications: what pages, REST services, subscribers and the reminder job call.

A notification is ``{"kind", "title", "path", "uid", "at", "actor", "mapping", "read"}``
(``path`` relative to the site; the text is rendered in the reader's language from the
kind, see :mod:`kinds`). :func:`notify` stores it in the person's box (unless his
preferences leave the kind out) and queues an e-mail (unless he turned e-mail off or
chose the daily digest). Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

import logging

from dongthap.qlvb.i18n import _
from dongthap.qlvb.notifications import kinds as K
from dongthap.qlvb.notifications import mail
from dongthap.qlvb.notifications import settings
from dongthap.qlvb.notifications import store
from dongthap.qlvb.documents.common import fmt_datetime as format_datetime
from plone import api
from zope.i18n import translate

logger = logging.getLogger("dongthap.qlvb.notifications")

VIEW_PERMISSION = "dongthap.qlvb: View own notifications"
DEFAULT_PREFS = {"email": True, "digest": False, "off": ()}


def _site():
    return api.portal.get()


def _now():
    from dongthap.qlvb.documents.common import now

    return now()


# ----------------------------------------------------------------------------- preferences
def prefs(userid) -> dict:
    """``{"email": bool, "digest": bool, "off": [kinds not wanted]}``."""
    box = store.box(_site(), userid)
    found = dict(DEFAULT_PREFS, **(dict(box.prefs) if box is not None else {}))
    found["off"] = sorted(found.get("off") or ())
    return found


def set_prefs(userid, *, email=None, digest=None, off=None) -> dict:
    from dongthap.qlvb.errors import QlvbError

    from dongthap.qlvb.documents.validation import short

    box = store.box(_site(), userid, create=True)
    if off is not None:
        unknown = [k for k in off if k not in K.KINDS]
        if unknown:
            raise QlvbError(_("error_notif_unknown_kind", default="Unknown kind of notification: ${kind}.",
                              mapping={"kind": short(", ".join(map(str, unknown)))}), status=400,
                            errors=[{"field": "off", "message": _("error_notif_unknown_kind_short",
                                                                  default="Unknown kind.")}])
        box.prefs["off"] = tuple(sorted(set(off)))
    if email is not None:
        box.prefs["email"] = bool(email)
    if digest is not None:
        box.prefs["digest"] = bool(digest)
    return prefs(userid)


# ----------------------------------------------------------------------------- sending
def _email_of(userid):
    user = api.user.get(userid=userid)
    email = (user.getProperty("email") or "") if user is not None else ""
    return email if "@" in email else ""


def _portal_url():
    return settings.public_url() or _site().absolute_url()


def text(item, language="vi"):
    """The line of one notification, translated."""
    entry = K.KINDS.get(item.get("kind"))
    if entry is None:
        return item.get("title") or ""
    mapping = dict(item.get("mapping") or {}, title=item.get("title") or "")
    return translate(_(entry[1], mapping=mapping), target_language=language)


def notify(userids, kind, *, title, path="", uid="", actor="", mapping=None, exclude_actor=True):
    """Notify ``userids`` (an iterable of user ids) of ``kind`` about one object.

    The one doing the action is not told about his own action (``exclude_actor``).
    Returns the user ids notified.
    """
    if kind not in K.KINDS:
        raise ValueError(kind)
    site = _site()
    done = []
    for userid in sorted({u for u in userids if u}):
        if exclude_actor and actor and userid == actor:
            continue
        wanted = prefs(userid)
        if kind in wanted["off"]:
            continue
        item = {"kind": kind, "title": title, "path": path, "uid": uid, "actor": actor,
                "at": _now().isoformat(), "mapping": dict(mapping or {})}
        store.add(site, userid, item)
        done.append(userid)
        if wanted["email"] and not wanted["digest"]:
            try:
                _queue_one(userid, item)
            except Exception:  # noqa: BLE001 - the in-app notification stands without its e-mail
                logger.exception("notification e-mail to %s could not be queued", userid)
    return done


def _link(item):
    return f"{_portal_url()}/{item['path']}" if item.get("path") else f"{_portal_url()}/@@thong-bao"


def _queue_one(userid, item):
    email = _email_of(userid)
    if not email:
        return
    line = text(item)
    subject = translate(_("notif_mail_subject", default="[QLVB] ${text}", mapping={"text": line}),
                        target_language="vi")
    body = translate(_("notif_mail_body",
                       default="${text}\n\nOpen: ${link}\n\nAll your notifications: ${centre}\n"
                               "(Notification preferences: ${prefs})",
                       mapping={"text": line, "link": _link(item),
                                "centre": f"{_portal_url()}/@@thong-bao",
                                "prefs": f"{_portal_url()}/@@cai-dat-thong-bao"}),
                     target_language="vi")
    mail.queue(email, subject, body)


def send_digest(userid, since_iso, now_iso) -> bool:
    """Queue one e-mail listing the person's notifications between the two times (digest)."""
    box = store.box(_site(), userid)
    email = _email_of(userid)
    if box is None or not email:
        return False
    items = [v for v in box.items.values() if since_iso < v.get("at", "") <= now_iso]
    if not items:
        return False
    lines = "\n".join(f"- {text(v)}\n  {_link(v)}" for v in items)
    subject = translate(_("notif_digest_subject", default="[QLVB] Daily digest: ${count} notification(s)",
                          mapping={"count": len(items)}), target_language="vi")
    body = translate(_("notif_digest_body", default="${lines}\n\nAll your notifications: ${centre}",
                       mapping={"lines": lines, "centre": f"{_portal_url()}/@@thong-bao"}),
                     target_language="vi")
    mail.queue(email, subject, body)
    return True


# ----------------------------------------------------------------------------- reading
def unread_count(userid) -> int:
    box = store.box(_site(), userid)
    return box.unread() if box is not None else 0


def _serialize(key, item, language):
    return {"id": str(key), "kind": item.get("kind"), "text": text(item, language),
            "title": item.get("title") or "", "read": bool(item.get("read")),
            "at": item.get("at"), "at_text": format_datetime(item.get("at")),
            "url": _link_local(item), "open_url": f"{_site().absolute_url()}/@@thong-bao/mo/{key}"}


def _link_local(item):
    return f"{_site().absolute_url()}/{item['path']}" if item.get("path") else ""


def list_for(userid, *, unread_only=False, start=0, size=50, language="vi") -> dict:
    box = store.box(_site(), userid)
    if box is None:
        return {"items": [], "items_total": 0, "unread": 0}
    keys = list(box.items.keys())
    keys.reverse()
    if unread_only:
        keys = [k for k in keys if not box.items[k].get("read")]
    page = keys[start:start + size]
    return {"items": [_serialize(k, box.items[k], language) for k in page],
            "items_total": len(keys), "unread": box.unread()}


def _key(value):
    from dongthap.qlvb.errors import QlvbError

    try:
        if isinstance(value, (bool, float)):
            raise ValueError(value)
        key = int(value)
        if not 0 <= key < 2**62:  # the keys of the store's BTree
            raise ValueError(value)
        return key
    except (TypeError, ValueError):
        raise QlvbError(_("error_notif_bad_id", default="Unknown notification."), status=400,
                        errors=[{"field": "ids", "message": _("error_notif_bad_id",
                                                              default="Unknown notification.")}]) from None


def mark_read(userid, ids=None) -> int:
    """Mark the notifications ``ids`` (all when None) read; returns how many changed."""
    keys = None if ids is None else [_key(i) for i in ids]  # refused whether or not there is a box
    box = store.box(_site(), userid)
    if box is None:
        return 0
    return store.mark_read(box, keys)


def open_item(userid, key):
    """Mark one notification read; returns the URL of its object (None when unknown)."""
    box = store.box(_site(), userid)
    key = _key(key)
    if box is None or key not in box.items:
        return None
    store.mark_read(box, [key])
    return _link_local(box.items[key]) or f"{_site().absolute_url()}/@@thong-bao"


def kinds_for_prefs(language="vi"):
    return [{"kind": k, "title": translate(v[0], target_language=language)} for k, v in K.KINDS.items()]
