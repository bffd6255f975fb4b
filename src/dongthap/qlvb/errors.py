"""The one error type of the system: an operation that is refused (see ``docs/errors.md``).

Plone-free (and quick to import), so that the document APIs, the libraries (signing, registers) and the
workflow guards raise the same thing. A :class:`QlvbError` carries

* ``message`` — a translatable message (``_("msgid", default=...)``), the sentence the user reads;
* ``errors`` — a list of ``{"field", "message"}``: what is wrong with each field of the input;
* ``status`` — the HTTP status of the answer (400 bad input, 403 not allowed, 409, 413, 503 …);
* ``error_type`` — the ``type`` of the JSON answer (by default from the status: ``BadRequest`` …).

Nothing is translated here: the REST exception view (:mod:`dongthap.qlvb.restapi.errors`)
answers ``{"error": {"type", "message", "errors"}}`` in the language of the request, and
forms show ``message`` as a status message.

A subclass may give its message as class attributes ``msgid`` and ``default`` (with
``${name}`` placeholders) and be raised with the mapping as keyword arguments::

    class UnknownThing(QlvbError):
        msgid = "error_unknown_thing"
        default = "Unknown thing: ${name}."

    raise UnknownThing(name="x")
"""

from dongthap.qlvb.i18n import _

#: The ``type`` of the JSON answer of each status.
ERROR_TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "PayloadTooLarge",
               500: "InternalServerError", 503: "ServiceUnavailable"}


def interpolate(message) -> str:
    """A message's default text with its ``${name}`` mapping applied (English; for logs and ``str``)."""
    text = str(getattr(message, "default", None) or message)
    for key, value in (getattr(message, "mapping", None) or {}).items():
        text = text.replace(f"${{{key}}}", str(value))
    return text


class QlvbError(Exception):
    """An operation refused; nothing was stored (the transaction is aborted)."""

    status = 400
    msgid = "error_refused"
    default = "The request was refused."

    def __init__(self, message=None, errors=None, status=None, *, error_type=None, **mapping):
        self.mapping = {key: str(value) for key, value in mapping.items()}
        if message is None:
            message = _(self.msgid, default=self.default, mapping=self.mapping)
        self.message = message
        self.errors = list(errors or [])
        if status is not None:
            self.status = status
        self._error_type = error_type
        super().__init__(interpolate(message))

    @property
    def error_type(self):
        return self._error_type or ERROR_TYPES.get(self.status, "Error")


def refusing(clean, errors, message):
    """The values of ``clean()`` when it and the other input checked around it (``errors``, a list of
    ``{field, message}``) are right. ``clean``'s refusal gets ``errors`` added; when only ``errors``
    are wrong, ``message`` refuses them."""
    try:
        values = clean()
    except QlvbError as problem:
        problem.errors.extend(errors)
        raise
    if errors:
        raise QlvbError(message, errors)
    return values


def forbidden():
    """The refusal of an action the user may not do (403)."""
    return QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)


def _workflow_error():
    from Products.CMFCore.WorkflowCore import WorkflowException
    from zope.i18n import translate

    class QlvbWorkflowError(QlvbError, WorkflowException):
        """A transition refused by a rule of ours (raised by a guard or a transition handler).

        ``str()`` is the Vietnamese text: Plone's own transition form shows it as it is.
        """

        def __init__(self, message=None, errors=None, status=None, **kwargs):
            super().__init__(message, errors, status, **kwargs)
            self.args = (translate(self.message, target_language="vi"),)

    QlvbWorkflowError.__module__, QlvbWorkflowError.__qualname__ = __name__, "QlvbWorkflowError"
    return QlvbWorkflowError


def __getattr__(name):
    """``QlvbWorkflowError`` is made on first use: importing CMF takes seconds, and the libraries
    that raise :class:`QlvbError` (signing, registers) are used without Plone too."""
    if name == "QlvbWorkflowError":
        globals()[name] = cls = _workflow_error()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
