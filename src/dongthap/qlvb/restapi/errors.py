"""JSON errors with a translated (Vietnamese by default) message: the one place that answers them.

A service raises :class:`dongthap.qlvb.errors.QlvbError`; the publisher aborts the
transaction and calls :class:`ErrorView`, the exception view of ``QlvbError`` for REST
requests, which answers ``{"error": {"type", "message", "errors": [{"field", "message"}]}}``
with the error's status. :func:`guarded` turns any other exception of a service into a
translated 500 with a reference. See ``docs/errors.md``.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from plone.rest.errors import ErrorHandling
from plone.rest.interfaces import ICORSPolicy
from zope.component import queryMultiAdapter
from zope.i18n import translate

import functools
import json
import logging
import uuid

logger = logging.getLogger("dongthap.qlvb.restapi")


def error(request, status, error_type, message, errors=(), **extra):
    """Set the response status and return the body of a JSON error."""
    request.response.setStatus(status)
    errors = [{"field": e.get("field"), "message": translate(e["message"], context=request)} for e in errors]
    body = {"error": {"type": error_type, "message": translate(message, context=request), "errors": errors}}
    body["error"].update(extra)
    return body


def error_body(request, problem):
    """The JSON answer of a :class:`QlvbError` (sets the response status)."""
    return error(request, problem.status, problem.error_type, problem.message, problem.errors)


def translate_tree(value, request):
    """``value`` (dicts, lists, …) with every translatable message translated."""
    if isinstance(value, dict):
        return {k: translate_tree(v, request) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [translate_tree(v, request) for v in value]
    if hasattr(value, "domain") and hasattr(value, "default"):
        return translate(value, context=request)
    return value


class ErrorView(ErrorHandling):
    """``index.html`` of a :class:`QlvbError` on a REST request (plone.rest's ``IAPIRequest``):
    the translated JSON error, with the error's status. Registered next to plone.rest's own
    ``ErrorHandling`` (for ``Exception``), which answers every other exception. The publisher
    has not committed anything and aborts the transaction after this view."""

    def __call__(self):
        policy = queryMultiAdapter((self.context, self.request), ICORSPolicy)
        if policy is not None:
            policy.process_simple_request()
        response = self.request.response
        body = error_body(self.request, self.context)
        response.setHeader("Content-Type", "application/json")
        response.setStatus(self.context.status, lock=1)
        response.setBody(json.dumps(body, indent=2, sort_keys=True, separators=(", ", ": ")), lock=1)
        return None


class HttpErrorView(ErrorHandling):
    """``index.html`` of Zope's own refusals on a REST request — no such object, service or method
    (``NotFound``), not logged in or not allowed (``Unauthorized``, ``Forbidden``): plone.rest's
    answer (``type``, ``message``, ``context``, a redirect for a moved object) with the message in
    the user's language, and our ``error`` object (``docs/errors.md``) beside it, so that every
    refusal a client gets has the same shape.

    ``Unauthorized`` for a request with valid credentials (a logged-in user refused an object of
    another agency) is a 403 ``Forbidden``, not a 401: the user need not log in again
    (:mod:`dongthap.qlvb.security.refusal`)."""

    def __call__(self):
        from dongthap.qlvb.security.refusal import answer_forbidden
        from dongthap.qlvb.security.refusal import logged_in_user
        from zExceptions import NotFound
        from zExceptions import Unauthorized

        self._refused_user = (isinstance(self.context, Unauthorized)
                              and logged_in_user(self.request) is not None)
        self._allow = other_methods(self.request) if isinstance(self.context, NotFound) else ()
        if not (self._refused_user or self._allow):
            return super().__call__()
        # plone.rest's ErrorHandling.__call__, with the status 403 or 405
        result = json.dumps(self.render_exception(self.context), indent=2, sort_keys=True)
        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        if self._allow:
            response.setStatus(405, lock=1)
            response.setHeader("Allow", ", ".join(self._allow))
            response._has_challenged = True
        else:
            answer_forbidden(response)
        response.setBody(result, lock=1)
        return None

    def render_exception(self, exception):
        from plone import api
        from zExceptions import Forbidden
        from zExceptions import MethodNotAllowed
        from zExceptions import NotFound

        result = super().render_exception(exception)
        if result is None:  # redirected to the object's new address
            return None
        if getattr(self, "_allow", ()):
            message = _("error_rest_method_allowed",
                        default="This address does not accept the method ${method}; it accepts ${allowed}.",
                        mapping={"method": str(self.request.get("REQUEST_METHOD", ""))[:10],
                                 "allowed": ", ".join(self._allow)})
            result["type"] = "MethodNotAllowed"
        elif isinstance(exception, NotFound):
            message = _("error_rest_not_found",
                        default="Not found: this address does not exist for the method ${method}, or you "
                                "may not see it.",
                        mapping={"method": str(self.request.get("REQUEST_METHOD", "GET"))[:10]})
        elif isinstance(exception, MethodNotAllowed):
            message = _("error_rest_method", default="This address does not accept the method ${method}.",
                        mapping={"method": str(self.request.get("REQUEST_METHOD", ""))[:10]})
        elif getattr(self, "_refused_user", False):
            message = _("error_access_denied",
                        default="Access denied: your account may not open this object.")
            result["type"] = "Forbidden"
        elif isinstance(exception, Forbidden) or not api.user.is_anonymous():
            message = _("error_forbidden", default="You are not allowed to do this.")
        else:
            message = _("error_login_required", default="Log in first.")
        text = translate(message, context=self.request)
        result["message"] = text
        result["error"] = {"type": result["type"], "message": text, "errors": []}
        return result


#: The methods a service of ours may be registered for.
SERVICE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def other_methods(request):
    """The methods of the add-on's service that a REST request named with another method (plone.rest
    found no service of that name for the request's method, hence ``NotFound``), in the order of
    :data:`SERVICE_METHODS`; ``()`` when the name is no service of ours on the object reached, when
    the user may not see that object (the answer stays the 404 of an unknown address) or when the
    request's method is one the service has.

    plone.rest registers a service as the view ``<METHOD>_<type>_<subtype>_<name>`` of the object;
    the object is the last one traversed (first in ``PARENTS``), the name the last segment of ``URL``
    (the one traversal stopped at)."""
    from AccessControl import getSecurityManager
    from dongthap.qlvb.security.refusal import logged_in_user
    from plone.rest.negotiation import lookup_service_id
    from plone.rest.traverse import RESTWrapper

    method = str(request.get("REQUEST_METHOD", "")).upper()
    parents = request.get("PARENTS") or []
    if method not in SERVICE_METHODS or not parents:
        return ()
    url, actual = str(request.get("URL", "")), str(request.get("ACTUAL_URL", ""))
    if not url or not (actual == url or actual.startswith(url + "/")):
        return ()
    name = url.rsplit("/", 1)[-1]  # the name traversal stopped at (URL includes it)
    if not name.startswith("@") or name.startswith("@@"):
        return ()
    context = parents[0]
    if isinstance(context, RESTWrapper):
        context = context.context
    allowed = []
    for other in SERVICE_METHODS:
        service_id = lookup_service_id(other, "application/json")
        service = queryMultiAdapter((context, request), name=f"{service_id}{name}") if service_id else None
        if service is not None and any(cls.__module__.startswith("dongthap.qlvb.")
                                       for cls in type(service).__mro__):
            allowed.append(other)
    if not allowed or method in allowed:
        return ()
    user = logged_in_user(request) or getSecurityManager().getUser()
    try:
        if not user.has_permission("View", context):
            return ()
    except Exception:  # noqa: BLE001 - in doubt, the plain 404
        return ()
    return tuple(allowed)


def guarded(reply):
    """Decorate a service's ``reply``: an unexpected error becomes a translated 500 without
    exception text (the traceback goes to the log under a short reference), after the
    transaction was aborted. A refusal (:class:`QlvbError`) is answered with the same body as
    :class:`ErrorView` gives, after the transaction was aborted, so that it does not reach the
    publisher's error log. Conflicts (retried by the publisher), HTTP exceptions and
    ``Unauthorized`` pass through unchanged."""

    @functools.wraps(reply)
    def wrapper(self, *args, **kwargs):
        from AccessControl.unauthorized import Unauthorized
        from ZODB.POSException import ConflictError
        from zExceptions import HTTPException

        import transaction

        try:
            return reply(self, *args, **kwargs)
        except QlvbError as problem:
            # Answered here rather than by ErrorView: the same body, but a refusal is an answer,
            # not a failure, and must not fill the site's error log with tracebacks.
            transaction.abort()
            return error_body(self.request, problem)
        except (ConflictError, HTTPException, Unauthorized):
            raise
        except Exception:
            reference = uuid.uuid4().hex[:10]
            logger.exception("unexpected error in %s (reference %s)", self.request.get("URL", ""),
                             reference)
            transaction.abort()
            return error(self.request, 500, "InternalServerError", _(
                "error_unexpected",
                default="An unexpected error occurred and nothing was saved. Please try again; if it "
                        "happens again, tell the administrator the reference ${reference}.",
                mapping={"reference": reference}))

    return wrapper
