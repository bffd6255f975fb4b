"""REST ``@notifications`` (site root): the person's notifications, marking them read, preferences.

* ``GET @notifications`` (``?unread=1``, ``b_start``, ``b_size``): ``{"items", "items_total", "unread"}``
* ``POST @notifications`` ``{"ids": [...]}`` or ``{"all": true}``: mark read → ``{"marked", "unread"}``
* ``GET @notifications/preferences``; ``POST @notifications/preferences``
  ``{"email"?, "digest"?, "off"?: [kinds]}``
"""

from __future__ import annotations

from dongthap.qlvb.i18n import _
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.traverse import PathSegments
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _bad(field):
    return QlvbError(_("error_notif_bad_request", default="The request is not valid."), status=400,
                     errors=[{"field": field,
                              "message": _("error_notif_bad_value", default="Invalid value.")}])


class _Base(PathSegments, Service):

    def _userid(self):
        if api.user.is_anonymous():
            raise QlvbError(_("error_login_required", default="Log in first."), status=401)
        return api.user.get_current().getId()


def _int(request, name, default):
    try:
        return max(0, int(request.form.get(name, default)))
    except (TypeError, ValueError):
        raise _bad(name) from None


class NotificationsGet(_Base):
    @guarded
    def reply(self):
        userid = self._userid()
        if self.segments == ("preferences",):
            return dict(N.prefs(userid), kinds=N.kinds_for_prefs())
        if self.segments:
            raise QlvbError(_("error_not_found", default="Not found."), status=404)
        return N.list_for(userid, unread_only=self.request.form.get("unread") in ("1", "true"),
                          start=_int(self.request, "b_start", 0),
                          size=min(200, _int(self.request, "b_size", 50) or 50))


class NotificationsPost(_Base):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        userid = self._userid()
        data = body.json_object(self.request)
        if self.segments == ("preferences",):
            values = {}
            for key in ("email", "digest"):
                if key in data:
                    if not isinstance(data[key], bool):
                        raise _bad(key)
                    values[key] = data[key]
            if "off" in data:
                if not isinstance(data["off"], list) or not all(isinstance(k, str) for k in data["off"]):
                    raise _bad("off")
                values["off"] = data["off"]
            return N.set_prefs(userid, **values)
        if self.segments:
            raise QlvbError(_("error_not_found", default="Not found."), status=404)
        if data.get("all") is True:
            marked = N.mark_read(userid)
        else:
            ids = data.get("ids")
            if not isinstance(ids, list) or not ids:
                raise _bad("ids")
            marked = N.mark_read(userid, ids)
        return {"marked": marked, "unread": N.unread_count(userid)}
