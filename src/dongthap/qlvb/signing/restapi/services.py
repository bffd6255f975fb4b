"""REST services of signing (see configure.zcml for the routes)."""

import base64
import binascii

from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body

from .. import api as signing
from .. import usercerts
from ..browser.usercert import can_see_certificates_of
from ..readable import readable, readable_attachments


def _decode(value) -> bytes:
    if not isinstance(value, str) or not value:
        raise ValueError("empty")
    if value.lstrip().startswith("-----BEGIN"):
        return value.encode()
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64") from exc


def serialize_report(context, request):
    """The main file's readable report, plus ``attachments``: one readable report
    (``filename``, ``legal_validity``, ``badge``, ``verdict``, ``signatures`` …)
    per separate attachment file."""
    report = getattr(context, "signature_report", None)
    out = readable(report, request)
    out["@id"] = context.absolute_url() + "/@signatures"
    out["report"] = report
    out["attachments"] = readable_attachments(signing.attachment_reports(document=context),
                                              request)
    return out


class SignaturesGet(Service):
    def reply(self):
        return serialize_report(self.context, self.request)


class SignaturesPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        signing.verify(document=self.context)
        signing.verify_attachments(document=self.context)
        return serialize_report(self.context, self.request)


class SignExternalPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, empty_ok=False)
        action = data.get("action")
        try:  # the signing errors (QlvbError) pass; a ValueError is a malformed request
            if action == "prepare":
                certificate = data.get("certificate")
                image = data.get("signature_image")
                return signing.prepare_external_signature(
                    document=self.context, field=data.get("field") or "file",
                    name=data.get("name") or "", position=data.get("position") or "",
                    authority_prefix=data.get("authority_prefix") or None,
                    certificate=_decode(certificate) if certificate else None,
                    signature_image=_decode(image) if image else None)
            if action == "complete":
                signing.complete_external_signature(
                    document=self.context, state_id=data.get("state_id") or "",
                    signature=_decode(data.get("signature")))
                self.request.response.setStatus(200)
                return serialize_report(self.context, self.request)
        except ValueError:
            raise QlvbError(_("signing_error_bad_request",
                              default="The request is incomplete or not valid base64/PEM.")) from None
        raise QlvbError(_("signing_error_bad_action",
                          default="The action must be \"prepare\" or \"complete\"."))


def _current_userid():
    return api.user.get_current().getId()


class CertificatesGet(Service):
    def reply(self):
        userid = self.request.form.get("userid") or _current_userid()
        if not can_see_certificates_of(userid):
            raise QlvbError(_("signing_error_view_certificates",
                              default="You may not see the certificates of this account."), status=403)
        return {"userid": userid, "items": usercerts.describe_all(userid=userid)}


class CertificatesPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, empty_ok=False)
        try:
            usercerts.register(userid=_current_userid(), data=_decode(data.get("certificate")))
        except ValueError:
            raise QlvbError(_("signing_error_not_user_certificate",
                              default="The file is not a personal certificate (PEM or DER).")) from None
        self.request.response.setStatus(201)
        userid = _current_userid()
        return {"userid": userid, "items": usercerts.describe_all(userid=userid)}


class CertificatesDelete(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        userid = _current_userid()
        usercerts.unregister(userid=userid, fp=data.get("fingerprint") or "")
        return {"userid": userid, "items": usercerts.describe_all(userid=userid)}
