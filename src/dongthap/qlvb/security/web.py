"""Web hardening of every response and of the REST API (issue 11, item 8).

* **CSRF on the REST API.** A browser sends a cross-site ``POST`` with the user's login
  cookie without asking first (no CORS preflight) only when its content type is one an
  HTML form could send (``text/plain``, ``application/x-www-form-urlencoded``,
  ``multipart/form-data``) or none. A write (``POST``/``PUT``/``PATCH``/``DELETE``) to any
  plone.restapi service made with the login cookie is therefore refused (403, translated)
  unless it is sent as JSON (``Content-Type: application/json``; any type a form cannot
  send, e.g. XML, likewise needs a preflight) or carries Plone's authenticator
  (``X-CSRF-TOKEN`` header or ``_authenticator`` field), as the HTML forms do. Clients
  that authenticate with an ``Authorization`` header (Basic, JWT bearer) and anonymous
  requests are not concerned: no browser adds those credentials by itself.
* **Response headers.** ``X-Content-Type-Options: nosniff`` and a baseline
  ``Content-Security-Policy`` the Classic UI works with on every answer (a view may set
  its own); ``QLVB_CSP`` replaces the policy, ``QLVB_CSP=off`` leaves it out.
* **Secure cookies.** Cookies set by the answer get the ``Secure`` flag when the request
  came over HTTPS (``https`` URL, or ``X-Forwarded-Proto: https`` from the proxy in
  front), or always with ``QLVB_SECURE_COOKIES=1`` (never with ``0``; default ``auto``).
"""

from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import Setting, SettingsGroup
from plone.rest.interfaces import IAPIRequest
from zExceptions import Forbidden
from zope.i18n import translate

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: The content types a cross-site form (or a "simple" fetch) sends without a preflight.
SIMPLE_CONTENT_TYPES = frozenset({"", "text/plain", "application/x-www-form-urlencoded",
                                  "multipart/form-data"})

DEFAULT_CSP = "; ".join((
    "default-src 'self'",
    # Plone's Classic UI (mockup, TinyMCE) needs inline scripts and styles
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-src 'self' blob:",
    "object-src 'self'",
    "frame-ancestors 'self'",
    "base-uri 'self'",
    "form-action 'self'",
))


SETTINGS = SettingsGroup("Web security", settings=(
    Setting("QLVB_CSP", default="", shown_default="baseline policy",
            doc="The `Content-Security-Policy` sent with every answer (default: `default-src 'self'`, inline "
                "scripts/styles and `eval` allowed for the Classic UI, `frame-ancestors 'self'`, "
                "`object-src 'self'`, `base-uri`/`form-action 'self'`); `off` sends none. Every answer also "
                "carries `X-Content-Type-Options: nosniff`."),
    Setting("QLVB_SECURE_COOKIES", default="auto",
            doc="`auto`: cookies (login, session) get the `Secure` flag when the request came over HTTPS "
                "(`https` URL or `X-Forwarded-Proto: https` from the reverse proxy); `1` always; `0` never."),
))


def content_security_policy():
    """The policy sent with every answer, or None (``QLVB_CSP=off``)."""
    value = SETTINGS.value("QLVB_CSP")
    if value.lower() in ("off", "0", "none"):
        return None
    return value or DEFAULT_CSP


def set_security_headers(event):
    """IPubStart: the headers every answer carries unless a view sets its own."""
    response = event.request.response
    response.setHeader("X-Content-Type-Options", "nosniff")
    policy = content_security_policy()
    if policy:
        response.setHeader("Content-Security-Policy", policy)


def _content_type(request):
    value = request.getHeader("Content-Type") or request.get("CONTENT_TYPE") or ""
    return value.split(";")[0].strip().lower()


def needs_csrf_check(request):
    """Whether ``request`` is a write to the REST API a browser could have sent cross-site."""
    if request.get("REQUEST_METHOD", "GET").upper() not in WRITE_METHODS:
        return False
    if not IAPIRequest.providedBy(request):
        return False
    # Zope moves the Authorization header out of the environment into ``_auth``
    if getattr(request, "_auth", None) or request.getHeader("Authorization"):
        return False  # Basic / bearer: sent by a program, never added by a browser on its own
    user = request.get("AUTHENTICATED_USER")
    if user is None or user.getUserName() == "Anonymous User":
        return False
    return _content_type(request) in SIMPLE_CONTENT_TYPES


def check_rest_csrf(event):
    """IPubAfterTraversal: refuse a cookie-authenticated REST write without JSON or authenticator."""
    request = event.request
    if not needs_csrf_check(request):
        return
    from plone.protect.authenticator import _verify_request

    if _verify_request(request):
        return
    raise CsrfRefused(translate(_(
        "error_csrf_rest",
        default="Request refused: a change sent with the login cookie must be sent as JSON "
                "(Content-Type: application/json) or carry the form authenticator (X-CSRF-TOKEN)."),
        context=request))


class CsrfRefused(Forbidden):
    """A cookie-authenticated REST write without JSON or authenticator (message translated)."""


class CsrfRefusedView:
    """The JSON answer to :class:`CsrfRefused`, shaped like our services' errors."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self):
        import json

        response = self.request.response
        response.setStatus(403, lock=True)
        response.setHeader("Content-Type", "application/json")
        response._has_challenged = True  # no redirect to the login form
        return json.dumps({"error": {"type": "Forbidden", "message": str(self.context)}})


def served_over_https(request):
    setting = SETTINGS.value("QLVB_SECURE_COOKIES").lower()
    if setting in ("1", "true", "yes", "on"):
        return True
    if setting in ("0", "false", "no", "off"):
        return False
    if (request.get("SERVER_URL") or "").lower().startswith("https://"):
        return True
    proto = (request.getHeader("X-Forwarded-Proto") or "").split(",")[0].strip().lower()
    return proto == "https" or (request.get("HTTPS") or "").lower() in ("on", "1")


def secure_cookies(event):
    """IPubSuccess / IPubFailure / IPubBeforeStreaming: ``Secure`` on every cookie over HTTPS."""
    request = getattr(event, "request", None)
    if request is None:  # IPubBeforeStreaming carries the response only
        from zope.globalrequest import getRequest

        request = getRequest()
    response = getattr(event, "response", None) or getattr(request, "response", None)
    cookies = getattr(response, "cookies", None)
    if not cookies or request is None or not served_over_https(request):
        return
    for attributes in cookies.values():
        attributes["secure"] = True
