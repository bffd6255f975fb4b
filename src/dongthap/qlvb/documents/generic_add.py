"""Plone's generic ways of adding content lead to the documents' own creation paths.

Incoming and outgoing documents are created by their capability's API only
(one factory each: :func:`dongthap.qlvb.incoming.factory.new_incoming_document`,
:func:`dongthap.qlvb.outgoing.factory.new_outgoing_document`, both on
:mod:`dongthap.qlvb.documents.factory`), which set the system fields
(arrival date, drafter, …); their APIs validate, scan and number. The generic paths are
therefore closed for the two types:

* the add form ``++add++IncomingDocument`` / ``++add++OutgoingDocument``
  (Plone's "Thêm mới" menu of the register folders) sends the user to the
  agency's own form, ``@@vao-so-van-ban-den`` / ``@@soan-van-ban-di``;
* ``POST <folder>`` with ``"@type": "IncomingDocument"`` or
  ``"OutgoingDocument"``, and a TUS upload (``POST <folder>/@tus-upload``)
  announcing one of them in its ``Upload-Metadata``, are refused (400) with a
  translated message naming the service to use, ``POST <agency>/@incoming``
  or ``@outgoing``.
"""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi.errors import error
from plone.restapi.deserializer import json_body
from plone.restapi.services.content.add import FolderPost
from plone.restapi.services.content.tus import UploadPost
from Products.Five import BrowserView
from zExceptions import NotFound

import base64
import binascii

#: portal type → (the agency's form, the agency's REST service)
OWN_PATHS = {
    "IncomingDocument": ("vao-so-van-ban-den", "@incoming"),
    "OutgoingDocument": ("soan-van-ban-di", "@outgoing"),
    "DocumentCopy": ("lap-ban-sao", "@copies"),
}


class AddFormRedirect(BrowserView):
    """``++add++<document type>``: redirect to the agency's form for that type."""

    def __init__(self, context, request, ti):
        super().__init__(context, request)
        self.ti = ti

    def __call__(self):
        agency = get_agency(self.context)
        form = OWN_PATHS.get(self.ti.getId(), (None, None))[0]
        if agency is None or form is None:
            raise NotFound(self.ti.getId())
        self.request.response.redirect(f"{agency.absolute_url()}/@@{form}", status=303)
        return ""


def _refusal(request, portal_type):
    return error(request, 400, "BadRequest", _(
        "error_generic_add_document",
        default="Documents are not created this way: use POST ${service} on the agency.",
        mapping={"service": OWN_PATHS[portal_type][1]}))


class DocumentFolderPost(FolderPost):
    """``POST`` on an agency or a register folder: never a document of ours by ``@type``."""

    def reply(self):
        try:
            data = json_body(self.request)
        except Exception:  # noqa: BLE001 - let plone.restapi answer malformed bodies
            data = None
        portal_type = data.get("@type") if isinstance(data, dict) else None
        if portal_type in OWN_PATHS:
            return _refusal(self.request, portal_type)
        return super().reply()


class DocumentFolderUploadPost(UploadPost):
    """``POST @tus-upload`` on an agency or a register folder: no document of ours by TUS."""

    def reply(self):
        for item in (self.request.getHeader("Upload-Metadata", "") or "").split(","):
            parts = item.split()
            if len(parts) != 2 or parts[0].lower() != "@type":
                continue
            try:
                portal_type = base64.b64decode(parts[1]).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                continue
            if portal_type in OWN_PATHS:
                return _refusal(self.request, portal_type)
        return super().reply()
