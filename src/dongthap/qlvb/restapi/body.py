"""Reading request bodies the same way in every service of ours.

plone.restapi's ``json_body`` raises on a malformed body, which would reach
the user as an English "500 Internal Server Error"; :func:`json_object` refuses
it with a translated 400 instead (a :class:`~dongthap.qlvb.errors.QlvbError`)::

    data = json_object(self.request)
    refuse_unknown(data, ("title", "text"))   # 400 naming any other field
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _

import base64
import binascii
import json


def json_object(request, *, empty_ok=True, fields=None):
    """The JSON object sent as the body: a dict, ``{}`` for no body (when ``empty_ok``);
    anything else is refused (400). With ``fields`` (the names the service reads), a body with
    any other field is refused too (:func:`refuse_unknown`)."""
    raw = request.get("BODY") or b""
    data = None
    if not raw.strip():
        data = {} if empty_ok else None
    else:
        try:
            data = json.loads(raw)
        except ValueError:
            pass
    if not isinstance(data, dict):
        raise QlvbError(_("error_bad_json", default="The request body must be a JSON object."))
    if fields is not None:
        refuse_unknown(data, fields)
    return data


#: Body fields every service accepts besides its own: the second factor that the login plugin reads
#: from a JSON body sent with Basic auth (``dongthap.qlvb.accounts.plugin``).
COMMON_FIELDS = frozenset({"otp"})


def refuse_unknown(data, allowed):
    """Refuse (400) a body ``data`` (a dict) with fields other than ``allowed`` (and
    :data:`COMMON_FIELDS`), naming them in the message and one error each, so that a misspelt or
    read-only field is not silently ignored. Call it before anything is changed."""
    unknown = sorted(str(key)[:40] for key in data if key not in allowed and key not in COMMON_FIELDS)
    if not unknown:
        return
    errors = [{"field": key, "message": _("error_unknown_field", default="Unknown or read-only field.")}
              for key in unknown]
    shown = ", ".join(unknown[:10]) + (", …" if len(unknown) > 10 else "")
    raise QlvbError(_("error_unknown_fields", default="Unknown fields in the request: ${fields}.",
                      mapping={"fields": shown}), errors)


def form_date(request, key):
    """The date of the query parameter ``key`` (dd/mm/yyyy or ISO), None when absent; refused (400)
    when it is no date."""
    from dongthap.qlvb.documents.validation import parse_date

    text = str(request.form.get(key) or "").strip()
    try:
        return parse_date(text) if text else None
    except ValueError:
        raise QlvbError(_("error_bad_date_filter", default="Enter dates as dd/mm/yyyy.")) from None


def decode_file(value, default_filename):
    """(bytes, filename) from plone.restapi's file format ``{data, encoding, filename}``.

    None for no file. Anything else that is not such an object (a number, a list, ``{}``,
    ``data`` that is no base64 text) is returned as :data:`NOT_A_FILE`: the validation
    (:func:`dongthap.qlvb.documents.validation.upload`) answers it with a message naming the
    field. The file name is returned as sent (the validation checks it).
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        return NOT_A_FILE
    data = value.get("data")
    encoding = value.get("encoding", "base64")
    if not isinstance(data, str) or not data:
        return NOT_A_FILE
    try:
        if encoding in ("base64", None):
            payload = base64.b64decode(data, validate=False)
        elif encoding in ("utf8", "utf-8"):
            payload = data.encode("utf-8")
        else:
            return NOT_A_FILE
    except (ValueError, binascii.Error):
        return NOT_A_FILE
    filename = value.get("filename")
    return payload, default_filename if filename is None or filename == "" else filename


def decode_files(value, default_filename):
    """A list of files (``attachments``): decoded items; anything but a list is returned as is."""
    if value is None:
        return []
    if not isinstance(value, list):
        return value
    return [decode_file(item, default_filename) if item is not None else NOT_A_FILE for item in value]


#: What :func:`decode_file` returns for a value that is no file object.
NOT_A_FILE = object()


def free_text(data, name, label=None, *, max_length=2000):
    """The free text ``name`` of the body ``data`` (a comment, a reason, a note): ``""`` when
    absent; refused (400, naming the field) when it is no text or longer than ``max_length``."""
    from dongthap.qlvb.documents import validation

    if label is None:
        label = validation.REASON_LABEL if name == "reason" else validation.COMMENT_LABEL
    value, problem = validation.text(data, name, label, max_length=max_length)
    if problem is not None:
        raise QlvbError(problem["message"], [problem])
    return value
