"""An expired password must be changed before anything else (pages: redirect to Plone's password form;
REST: 403 naming the reason); a warning is shown in the days before it expires."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _

ALLOWED = ("change-password", "logout", "++resource++", "++plone++", "++theme++", "@@site-logo",
           "favicon", "login", "@login", "@logout", "@users", "mat-quyen-kiem-soat", "@account-security",
           "dang-nhap-hai-buoc", "dang-nhap-ma-xac-thuc")


def after_traversal(event):
    request = event.request
    if getattr(request, "_qlvb_gate_done", False):
        return
    request._qlvb_gate_done = True
    url = request.get("ACTUAL_URL", "") or ""
    if any(part in url for part in ALLOWED):
        return
    auth = request._auth or ""
    if not auth and "__ac" not in request.cookies:
        return
    from dongthap.qlvb.accounts import api as accounts
    from plone import api

    try:
        user = api.user.get_current()
    except Exception:
        return
    userid = user.getId() if user is not None else None
    if not userid:
        return
    site = api.portal.get()
    expired, left = accounts.password_expiry(userid)
    if expired:
        if _is_rest(url, request):
            raise QlvbError(_("error_password_expired",
                              default="Your password has expired: change it before going on."), status=403)
        request.response.redirect(site.absolute_url() + "/@@change-password", lock=True)
    elif not accounts.two_factor_enabled(userid) and accounts.two_factor_required(userid):
        if _is_rest(url, request):
            raise QlvbError(_("error_two_factor_required",
                              default="Your account must use two-factor login: enrol first "
                                      "(@@dang-nhap-hai-buoc)."), status=403)
        request.response.redirect(site.absolute_url() + "/@@dang-nhap-hai-buoc", lock=True)
    elif left is not None and left <= _warn_days():
        api.portal.show_message(
            _("msg_password_expires", default="Your password expires in ${n} days; change it soon.",
              mapping={"n": left}), request=request, type="warning")


def _warn_days():
    from dongthap.qlvb.accounts import settings

    return settings.values()["warn_days"]


def _is_rest(url, request) -> bool:
    """A REST call (``@service``, JSON asked) gets a 403 answer; a page (``@@page`` too) a redirect."""
    last = url.split("/")[-1]
    return (last.startswith("@") and not last.startswith("@@")) or \
        request.getHeader("Accept") == "application/json"
