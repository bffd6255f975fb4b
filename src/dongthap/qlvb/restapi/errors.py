"""JSON errors with a translated (Vietnamese by default) message."""

from dongthap.qlvb.i18n import _
from zope.i18n import translate

import functools
import logging
import uuid

logger = logging.getLogger("dongthap.qlvb.restapi")


def error(request, status, error_type, message, **extra):
    """Set the response status and return the body of a JSON error."""
    request.response.setStatus(status)
    body = {"error": {"type": error_type, "message": translate(message, context=request)}}
    body["error"].update(extra)
    return body


def translate_tree(value, request):
    """``value`` (dicts, lists, …) with every translatable message translated."""
    if isinstance(value, dict):
        return {k: translate_tree(v, request) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [translate_tree(v, request) for v in value]
    if hasattr(value, "domain") and hasattr(value, "default"):
        return translate(value, context=request)
    return value


ERROR_TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "PayloadTooLarge",
               503: "ServiceUnavailable"}


def fail(request, problem):
    """The JSON error of a refused operation: ``problem`` has ``status``, ``message``, ``errors``."""
    errors = [{"field": e.get("field"), "message": translate(e["message"], context=request)}
              for e in problem.errors]
    return error(request, problem.status, ERROR_TYPES.get(problem.status, "Error"), problem.message,
                 errors=errors)


def guarded(reply):
    """Decorate a service's ``reply``: an unexpected error becomes a translated 500 without
    exception text (the traceback goes to the log under a short reference), after the
    transaction was aborted. Conflicts (retried by the publisher), HTTP exceptions and
    ``Unauthorized`` pass through unchanged."""

    @functools.wraps(reply)
    def wrapper(self, *args, **kwargs):
        from AccessControl.unauthorized import Unauthorized
        from ZODB.POSException import ConflictError
        from zExceptions import HTTPException

        import transaction

        try:
            return reply(self, *args, **kwargs)
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
