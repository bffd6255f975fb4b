"""JSON errors with a translated (Vietnamese by default) message."""

from zope.i18n import translate


def error(request, status, error_type, message, **extra):
    """Set the response status and return the body of a JSON error."""
    request.response.setStatus(status)
    body = {"error": {"type": error_type, "message": translate(message, context=request)}}
    body["error"].update(extra)
    return body
