"""Reading request bodies the same way in every service of ours.

plone.restapi's ``json_body`` raises on a malformed body, which would reach
the user as an English "500 Internal Server Error"; these helpers let a
service answer a translated 400 instead::

    data = json_object(self.request)
    if data is None:
        return bad_json(self.request)
"""

from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi.errors import error

import base64
import binascii
import json


def json_object(request, *, empty_ok=True):
    """The JSON object sent as the body: a dict, ``{}`` for no body, None when it is no object."""
    raw = request.get("BODY") or b""
    if not raw.strip():
        return {} if empty_ok else None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def bad_json(request):
    """The translated 400 answer to a body that is no JSON object."""
    return error(request, 400, "BadRequest",
                 _("error_bad_json", default="The request body must be a JSON object."))


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
