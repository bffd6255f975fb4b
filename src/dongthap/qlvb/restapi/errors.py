"""JSON errors with a translated (Vietnamese by default) message."""

from zope.i18n import translate


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


ERROR_TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 503: "ServiceUnavailable"}


def fail(request, problem):
    """The JSON error of a refused operation: ``problem`` has ``status``, ``message``, ``errors``."""
    errors = [{"field": e.get("field"), "message": translate(e["message"], context=request)}
              for e in problem.errors]
    return error(request, problem.status, ERROR_TYPES.get(problem.status, "Error"), problem.message,
                 errors=errors)
