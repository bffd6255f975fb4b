"""Exceptions of the register renderers.

All are :class:`~dongthap.qlvb.errors.QlvbError` (400) and :class:`ValueError` subclasses,
raised with the mapping of their message as keyword arguments.  Each carries
:attr:`RegisterError.message`, a translatable ``zope.i18nmessageid`` message (English
default, Vietnamese in ``locales/vi/LC_MESSAGES/dongthap.qlvb.po``) for the UI;
``str(exc)`` is the English text with the mapping applied.
"""

from __future__ import annotations

from dongthap.qlvb.errors import QlvbError


class RegisterError(QlvbError, ValueError):
    """Base class: the input cannot be rendered; nothing was produced."""

    msgid = "registers_error"
    default = "The register could not be printed."
    #: the HTTP status of the answer of the ``@registers`` service and the download pages
    status = 400

    def __init__(self, **mapping):
        super().__init__(**mapping)


class UnknownRegisterError(RegisterError):
    status = 404
    msgid = "registers_error_unknown_register"
    default = "Unknown register \"${key}\"; expected one of: ${known}."


class UnknownColumnError(RegisterError):
    msgid = "registers_error_unknown_column"
    default = "Row ${row} has column(s) ${columns} that register \"${key}\" does not have."


class InvalidValueError(RegisterError):
    msgid = "registers_error_invalid_value"
    default = ("Row ${row}, column \"${column}\": a value of type ${type} cannot be printed "
               "(expected text, a whole number, a date or a date and time).")


class InvalidPeriodError(RegisterError):
    msgid = "registers_error_invalid_period"
    default = "The period starts (${start}) after it ends (${end})."


class InvalidDateError(RegisterError):
    msgid = "registers_error_invalid_date"
    default = "\"${value}\" is not a date: enter dates as dd/mm/yyyy."


class UnknownFormatError(RegisterError):
    msgid = "registers_error_unknown_format"
    default = "The format \"${format}\" is not offered; choose one of: ${known}."


class NotOfferedHereError(RegisterError):
    msgid = "registers_error_not_offered_here"
    default = "The register \"${key}\" cannot be chosen here; choose one of: ${known}."


class RegisterForbiddenError(RegisterError):
    status = 403
    msgid = "registers_error_forbidden"
    default = "You are not allowed to see the register \"${key}\"."
