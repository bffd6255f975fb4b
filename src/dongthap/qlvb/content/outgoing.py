"""Outgoing documents (văn bản đi) and the containers that hold them.

Storage, like incoming documents::

    <agency>/van-ban-di/             OutgoingFolder (the agency's outgoing register)
    <agency>/van-ban-di/2026/        OutgoingFolder (one per year the draft was created, Vietnam time)
    <agency>/van-ban-di/2026/vbdi-…  OutgoingDocument

Unordered BTree folders excluded from navigation; short random system ids.
The shared fields come from the behaviors of :mod:`dongthap.qlvb.documents.behaviors`;
``code_number``, ``code_notation``, ``issued_date``/``issued_at`` are set by
the system at the ``issue`` transition (read-only in forms and REST).
The workflow and everything that happens at its transitions live in
:mod:`dongthap.qlvb.outgoing`.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.content.documents import alias
from dongthap.qlvb.content.documents import Document
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.documents.behaviors import amount
from dongthap.qlvb.documents.behaviors import fields_of
from dongthap.qlvb.documents.behaviors import IDraftDocumentFiles
from dongthap.qlvb.documents.behaviors import IIssuedDocumentMetadata
from dongthap.qlvb.documents.behaviors import IRegisterEntry
from dongthap.qlvb.documents.behaviors import system_field
from dongthap.qlvb.documents.behaviors import text_line
from dongthap.qlvb.documents.storage import DocumentRegister
from dongthap.qlvb.i18n import _
from plone.autoform import directives
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import json

ROOT_ID = "van-ban-di"
ID_PREFIX = "vbdi-"
#: The outgoing register of an agency: ``<agency>/van-ban-di/<year>/vbdi-…``.
REGISTER = DocumentRegister(root_id=ROOT_ID, portal_type="OutgoingFolder", title="Văn bản đi",
                            id_prefix=ID_PREFIX, lock_name="outgoing")

#: signing authority id → prefix printed before the position (NĐ 30 Phụ lục I).
AUTHORITIES = {"none": "", "TM": "TM.", "KT": "KT.", "TL": "TL.", "TUQ": "TUQ.", "Q": "Q."}

EXTERNAL_RECIPIENTS_SCHEMA = json.dumps({
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "string", "maxLength": 20},
                       "name": {"type": "string", "maxLength": 200},
                       "email": {"type": "string", "maxLength": 254}},
        "required": ["code", "name"],
    },
})


class IOutgoingDocument(model.Schema):
    """What only an outgoing document (văn bản đi) has, Phụ lục VI of NĐ 30.

    The rest comes from behaviors (see the FTI): ``issued_document_metadata``
    (trích yếu, loại, số/ký hiệu/ngày set at issue…), ``draft_document_files``,
    ``register_entry`` (number, year and time of issue), ``document_trail``.
    """

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
    signing_authority = schema.Choice(
        title=_("label_signing_authority", default="Signing authority"),
        vocabulary="dongthap.qlvb.vocabularies.SigningAuthorities",
        required=True,
        default="none",
    )
    internal_recipients = schema.List(
        title=_("label_internal_recipients", default="Recipients in this system"),
        value_type=schema.Choice(vocabulary="dongthap.qlvb.vocabularies.RecipientAgencies"),
        required=False,
        default=[],
        missing_value=[],
    )
    directives.widget(external_recipients="dongthap.qlvb.browser.widgets.ExternalRecipientsFieldWidget")
    external_recipients = JSONField(
        title=_("label_external_recipients", default="Recipients outside this system"),
        description=_("help_external_recipients_rows",
                      default="Sent through the national document exchange axis: one row per "
                              "agency, with its name and its code (mã định danh); the e-mail "
                              "address is optional."),
        schema=EXTERNAL_RECIPIENTS_SCHEMA,
        required=False,
        default=[],
        missing_value=[],
    )
    issued_amount = amount(_("label_issued_amount", default="Number of copies"), default=1)
    copy_holder = text_line(_("label_copy_holder", default="Unit or person keeping the file copy"), 200,
                            description=_("help_copy_holder", default="E.g. Lưu: VT, VP."))
    directives.omitted("in_reply_to", "replaces")
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
    issued_at = system_field(schema.Datetime, _("label_issued_at", default="Issue time"))


#: Every field of an outgoing document (behaviors listed in the FTI, then its own schema).
FIELDS = fields_of(IIssuedDocumentMetadata, IDraftDocumentFiles, IRegisterEntry, IOutgoingDocument)


def _code_number(doc):
    from dongthap.qlvb.outgoing.numbering import format_number

    return format_number(doc.register_number) if doc.register_number else None


def _set_code_number(doc, value):
    doc.register_number = int(value) if value not in (None, "") else None


@implementer(IOutgoingDocument)
class OutgoingDocument(Document):
    """One outgoing document; workflow ``qlvb_outgoing_workflow``.

    Its register entry is the issue: the số (``code_number``, ``05``) is the
    register number written with two digits; ``issued_year`` and ``issued_at``
    are the names of ``register_year`` and ``register_date`` here.
    """

    security = ClassSecurityInfo()

    code_notation = None
    issued_date = None
    code_number = property(_code_number, _set_code_number, doc="The số, ``05``: the register number.")
    issued_year = alias("register_year")
    issued_at = alias("register_date")
    register_series = None
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


new_document_id = REGISTER.new_id


class OutgoingNameFromTitle:
    """``INameFromTitle`` of an outgoing document: a random system id, never the trích yếu."""

    def __init__(self, context):
        self.context = context

    @property
    def title(self):
        from Acquisition import aq_parent

        container = aq_parent(self.context) if hasattr(self.context, "aq_parent") else None
        return new_document_id(container if container is not None else {})
