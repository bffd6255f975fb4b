"""The "exchange problems" list: packages the inbox refused or dropped as duplicates, with their reason.

A refused package used to vanish: it was answered 02 and written to the
exchange log only.  Every refusal is recorded by the inbox
(:meth:`~.inbox.Inbox._refuse`, action ``refused``) with the sender, the
addressed recipients, the reason and whether the 02 answer was queued;
:func:`list_problems` reads them back for the page ``@@su-co-lien-thong``
and the REST list ``GET @exchange-problems`` (permission "dongthap.qlvb:
Import exchange package": clerks and administrators).

On an agency, the list holds the refusals answered by that agency or
addressed to it, and those of packages addressed to no agency of the site
(someone must see a package posted to the wrong place); on the site root,
every refusal.
"""

from __future__ import annotations

import datetime

from plone.restapi.services import Service
from Products.Five.browser import BrowserView

from .storage import get_store

VN_TZ = datetime.timezone(datetime.timedelta(hours=7))
MAX_ITEMS = 500


def _display_date(iso: str) -> str:
    try:
        when = datetime.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if when.tzinfo is not None:
        when = when.astimezone(VN_TZ)
    return when.strftime("%d/%m/%Y %H:%M")


def list_problems(agency_code: str | None = None, limit: int = MAX_ITEMS,
                  actions=("refused", "duplicate")) -> list[dict]:
    """Refused packages and packages dropped as duplicates, newest first (see the module docstring).

    Each item has ``kind``: ``refused`` (answered 02) or ``duplicate`` (the agency had already
    received that DocumentId: acknowledged and dropped, nothing created).
    """
    store = get_store(create=False)
    if store is None:
        return []
    out = []
    for key in reversed(store.log.keys()):
        item = store.log[key]
        if item.get("action") not in actions:
            continue
        if agency_code is not None:
            mine = agency_code in (item.get("agency"), *item.get("addressed", ()))
            if not mine and item.get("ours", True):
                continue
        out.append({
            "id": str(key),
            "kind": item.get("action"),
            "at": item.get("at", ""),
            "date": _display_date(item.get("at", "")),
            "reason": item.get("reason", ""),
            "sender": item.get("sender", ""),
            "sender_name": item.get("sender_name", ""),
            "addressed": list(item.get("addressed", ())),
            "document_id": item.get("document_id", ""),
            "code": item.get("code", ""),
            "subject": item.get("subject", ""),
            "source": item.get("source", ""),
            "source_id": item.get("source_id", ""),
            "agency": item.get("agency", ""),
            "answered": bool(item.get("answered")),
            "answered_by": item.get("answered_by", ""),
        })
        if len(out) >= limit:
            break
    return out


def _agency_code(context):
    code = getattr(context, "agency_code", None)
    return code if code else None


class ProblemsGet(Service):
    """``GET /<site or agency>/@exchange-problems`` → ``{"items": [...], "items_total": n}``."""

    def reply(self):
        kind = self.request.form.get("kind")
        actions = (kind,) if kind in ("refused", "duplicate") else ("refused", "duplicate")
        items = list_problems(_agency_code(self.context), actions=actions)
        return {"@id": f"{self.context.absolute_url()}/@exchange-problems", "items": items,
                "items_total": len(items)}


class ProblemsView(BrowserView):
    """The page ``@@su-co-lien-thong`` (template ``templates/exchange_problems.pt``)."""

    def items(self):
        return list_problems(_agency_code(self.context))
