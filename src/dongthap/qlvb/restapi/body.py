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

    None for no file; ``ValueError`` (or ``binascii.Error``) for anything else.
    """
    if not value:
        return None
    if not isinstance(value, dict):
        raise ValueError("file")
    data = value.get("data") or ""
    if value.get("encoding", "base64") == "base64":
        payload = base64.b64decode(data, validate=False)
    else:
        payload = data.encode("utf-8")
    return payload, value.get("filename") or default_filename
