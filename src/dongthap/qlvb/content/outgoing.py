"""Outgoing documents (văn bản đi) and the containers that hold them.

Storage, like incoming documents::

    <agency>/van-ban-di/             OutgoingFolder (the agency's outgoing register)
    <agency>/van-ban-di/2026/        OutgoingFolder (one per year the draft was created, Vietnam time)
    <agency>/van-ban-di/2026/vbdi-…  OutgoingDocument

Unordered BTree folders excluded from navigation; short random system ids.
``code_number``, ``code_notation``, ``issued_date``/``issued_at`` are set by
the system at the ``issue`` transition (read-only in forms and REST).
The workflow and everything that happens at its transitions live in
:mod:`dongthap.qlvb.outgoing`.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.content import documents
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.documents import validation
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from dongthap.qlvb.i18n import _
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import json

ROOT_ID = "van-ban-di"
ID_PREFIX = "vbdi-"

#: signing authority id → prefix printed before the position (NĐ 30 Phụ lục I).
AUTHORITIES = {"none": "", "TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}

EXTERNAL_RECIPIENTS_SCHEMA = json.dumps({
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "string", "maxLength": 20},
                       "name": {"type": "string", "maxLength": 200}},
        "required": ["code", "name"],
    },
})


class IOutgoingDocument(model.Schema):
    """An outgoing document (văn bản đi), Phụ lục VI of NĐ 30."""

    title = schema.TextLine(
        title=_("label_outgoing_subject", default="Subject (trích yếu)"),
        required=True,
        max_length=500,
    )
    document_type = schema.Choice(
        title=_("label_document_type", default="Document type"),
        vocabulary="dongthap.qlvb.vocabularies.DocumentTypes",
        required=True,
        default="cong_van",
    )
    drafting_department = schema.Choice(
        title=_("label_drafting_department", default="Drafting department"),
        description=_("help_drafting_department",
                      default="Its abbreviation ends the notation of an official letter (05/UBND-VP)."),
        vocabulary="dongthap.qlvb.vocabularies.OutgoingDepartments",
        required=False,
    )
    signer = schema.Choice(
        title=_("label_signer", default="Signer"),
        description=_("help_signer", default="The leader of the agency who signs the document."),
        vocabulary="dongthap.qlvb.vocabularies.OutgoingSigners",
        required=True,
    )
    signer_position = schema.TextLine(
        title=_("label_signer_position", default="Position of the signer"),
        description=_("help_outgoing_signer_position", default="E.g. GIÁM ĐỐC, PHÓ CHỦ TỊCH."),
        required=True,
        max_length=100,
    )
    signing_authority = schema.Choice(
        title=_("label_signing_authority", default="Signing authority"),
        vocabulary="dongthap.qlvb.vocabularies.SigningAuthorities",
        required=True,
        default="none",
    )
    urgency = schema.Choice(
        title=_("label_urgency", default="Urgency"),
        vocabulary="dongthap.qlvb.vocabularies.Urgency",
        required=True,
        default="thuong",
    )
    internal_recipients = schema.List(
        title=_("label_internal_recipients", default="Recipients in this system"),
        value_type=schema.Choice(vocabulary="dongthap.qlvb.vocabularies.RecipientAgencies"),
        required=False,
        default=[],
        missing_value=[],
    )
    external_recipients = JSONField(
        title=_("label_external_recipients", default="Recipients outside this system"),
        description=_("help_external_recipients",
                      default='Through the national exchange axis: [{"code": "000.00.00.G22", '
                              '"name": "Văn phòng Chính phủ"}].'),
        schema=EXTERNAL_RECIPIENTS_SCHEMA,
        required=False,
        default=[],
        missing_value=[],
    )
    due_date = schema.Date(
        title=_("label_reply_due_date", default="Reply due date (hạn trả lời)"),
        required=False,
        constraint=validation.plausible_deadline,
    )
    page_amount = schema.Int(
        title=_("label_page_amount", default="Number of pages"),
        required=False,
        min=1,
        max=100000,
    )
    issued_amount = schema.Int(
        title=_("label_issued_amount", default="Number of copies"),
        required=False,
        min=1,
        max=100000,
        default=1,
    )
    copy_holder = schema.TextLine(
        title=_("label_copy_holder", default="Unit or person keeping the file copy"),
        description=_("help_copy_holder", default="E.g. Lưu: VT, VP."),
        required=False,
        max_length=200,
    )
    file = NamedBlobFile(
        title=_("label_outgoing_file", default="Document (draft .docx or PDF; PDF to sign)"),
        required=True,
    )
    directives.omitted("attachments", "in_reply_to", "replaces")
    attachments = schema.List(
        title=_("label_attachments", default="Attachments (PDF)"),
        value_type=NamedBlobFile(),
        required=False,
        default=[],
    )
    in_reply_to = schema.List(
        title=_("label_in_reply_to", default="In reply to (incoming documents)"),
        value_type=schema.ASCIILine(),
        required=False,
        default=[],
        missing_value=[],
    )
    replaces = schema.ASCIILine(
        title=_("label_replaces", default="Replaces (outgoing document)"),
        required=False,
    )
    code_number = schema.TextLine(
        title=_("label_code_number", default="Number (số)"),
        required=False,
        readonly=True,
    )
    code_notation = schema.TextLine(
        title=_("label_code_notation", default="Notation (ký hiệu)"),
        required=False,
        readonly=True,
    )
    issued_date = schema.Date(
        title=_("label_issued_date", default="Issued on"),
        required=False,
        readonly=True,
    )
    issued_at = schema.Datetime(
        title=_("label_issued_at", default="Issue time"),
        required=False,
        readonly=True,
    )


@implementer(IOutgoingDocument, IQlvbDocument)
class OutgoingDocument(Item):
    """One outgoing document; workflow ``qlvb_outgoing_workflow``."""

    security = ClassSecurityInfo()

    code_number = None
    code_notation = None
    issued_date = None
    issued_at = None
    issued_year = None
    register_series = None
    attachments = ()
    in_reply_to = ()
    replaces = None
    external_recipients = ()
    internal_recipients = ()

    @security.public
    def qlvb_guard(self, transition):
        """Workflow guard of ``transition`` for the current user (see outgoing.workflow)."""
        from dongthap.qlvb.outgoing.workflow import guard

        return guard(self, transition)

    def notation(self):
        """``05/UBND-VP`` once issued, else ''."""
        if not self.code_number:
            return ""
        return f"{self.code_number}/{self.code_notation}" if self.code_notation else self.code_number


InitializeClass(OutgoingDocument)


class IOutgoingFolder(model.Schema):
    """The outgoing register of an agency, or one year of it."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(IOutgoingFolder)
class OutgoingFolder(DocumentFolder):
    """Unordered BTree folder, never shown in navigation."""


def new_document_id(container):
    """A short, random, unused id such as ``vbdi-k3m9x2qa7d``."""
    return documents.new_document_id(container, ID_PREFIX)


class OutgoingNameFromTitle:
    """``INameFromTitle`` of an outgoing document: a random system id, never the trích yếu."""

    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        from Acquisition import aq_parent

        container = aq_parent(self.context) if hasattr(self.context, "aq_parent") else None
        return new_document_id(container if container is not None else {})
