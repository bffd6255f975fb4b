"""The ``ISignedDocument`` behavior: legal validity decided by verification.

Enable ``dongthap.qlvb.signing.behaviors.ISignedDocument`` in a document
type's FTI.  The fields are **read-only** (no form shows them, plone.restapi
ignores them in PATCH/POST): only :func:`dongthap.qlvb.signing.api.verify`
writes them, from the PDF in the document's ``file`` field.
"""

from __future__ import annotations

from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.indexer import indexer
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import provider

from dongthap.qlvb.i18n import _

LEGAL = "legal"
REFERENCE = "reference"
UNSIGNED = "unsigned"
VALIDITIES = (LEGAL, REFERENCE, UNSIGNED)


@provider(IFormFieldProvider)
class ISignedDocument(model.Schema):
    """Legal validity of the document's PDF (see :mod:`.api`)."""

    directives.omitted("legal_validity", "signature_report", "signature_verified_at",
                       "signature_file_sha256")

    legal_validity = schema.Choice(
        title=_("label_legal_validity", default="Legal validity"),
        values=VALIDITIES, default=UNSIGNED, required=False, readonly=True)

    signature_report = JSONField(
        title=_("label_signature_report", default="Signature verification report"),
        schema='{"type": "object"}', required=False, readonly=True, default=None)

    signature_verified_at = schema.Datetime(
        title=_("label_signature_verified_at", default="Signatures verified at"),
        required=False, readonly=True)

    signature_file_sha256 = schema.ASCIILine(
        title=_("label_signature_file_sha256", default="SHA-256 of the verified file"),
        required=False, readonly=True, default="")


#: Documents with the behavior provide the schema itself (no adapter factory).
ISignedDocumentMarker = ISignedDocument


@indexer(ISignedDocument)
def legal_validity_indexer(obj):
    return getattr(obj, "legal_validity", None) or UNSIGNED
