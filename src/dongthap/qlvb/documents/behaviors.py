"""The behaviors every document shares (văn bản đến, văn bản đi and the kinds to come).

Schema-only behaviors (no adapter factory): the values are attributes of the
document itself, read and written as ``doc.<field>``; the FTI of a document
type lists them (``profiles/default/types/*Document.xml``), plone.restapi
serialises their fields beside those of the type's own schema.

* :class:`IDocumentMetadata` ``dongthap.qlvb.document_metadata`` — what
  Phụ lục VI of NĐ 30 registers of any document: trích yếu, loại, số,
  ký hiệu, ngày ban hành, chức vụ người ký, độ khẩn, hạn, số trang. A
  received document gets them from its issuer (the clerk types them).
  :class:`IIssuedDocumentMetadata` ``dongthap.qlvb.issued_document_metadata``
  is the same for a document the agency issues itself: số, ký hiệu and date
  are set by its register at issue (read-only), the signer's position is
  required and the deadline is a reply deadline.
* :class:`IDocumentFiles` ``dongthap.qlvb.document_files`` — the main PDF
  and the PDF attachments; :class:`IDraftDocumentFiles`
  ``dongthap.qlvb.draft_document_files``: the main file is a draft (.docx or
  PDF) until it is signed. Uploads are scanned for viruses by their creation
  paths and by the antivirus deserializer of plone.restapi.
* :class:`IRegisterEntry` ``dongthap.qlvb.register_entry`` — the entry of the
  document in its agency's register: number, year and date (arrival for a
  received document, issue for an issued one), set by the system only.
* :class:`IDocumentTrail` ``dongthap.qlvb.document_trail`` — the readable
  history (who did what, when, with which comment) kept in ``qlvb_trail``
  (see :mod:`dongthap.qlvb.documents.trail`).
"""

from dongthap.qlvb.documents import validation
from dongthap.qlvb.i18n import _
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from zope import schema
from zope.interface import provider


# ---------------------------------------------------------------- fields built in one place


def text_line(title, max_length, *, required=False, kind=schema.TextLine, **options):
    """A one-line text field (``kind``: TextLine or ASCIILine) of at most ``max_length`` characters."""
    return kind(title=title, required=required, max_length=max_length, **options)


def amount(title, **options):
    """A count (pages, copies): a whole number from 1 to 100000, optional."""
    return schema.Int(title=title, required=False, min=1, max=100000, **options)


def _document_type(default=None):
    return schema.Choice(
        title=_("label_document_type", default="Document type"),
        vocabulary="dongthap.qlvb.vocabularies.DocumentTypes",
        required=True,
        default=default,
    )


def system_field(kind, title):
    """A field of type ``kind`` that the system sets: read-only, no form or PATCH sets it."""
    return kind(title=title, required=False, readonly=True)


def _system(field):
    """A read-only copy of ``field`` (same title)."""
    return system_field(type(field), field.title)


def _deadline(title):
    return schema.Date(title=title, required=False, constraint=validation.plausible_deadline)


def _signer_position(**options):
    return text_line(_("label_signer_position", default="Position of the signer"), 100, **options)


def _main_file(title, constraint=None):
    options = {"constraint": constraint} if constraint else {}
    return NamedBlobFile(title=title, required=True, **options)


def _attachments(constraint=None):
    options = {"constraint": constraint} if constraint else {}
    return schema.List(
        title=_("label_attachments", default="Attachments (PDF)"),
        value_type=NamedBlobFile(**options),
        required=False,
        default=[],
        **({"constraint": validation.check_pdf_list} if constraint else {}),
    )


# ---------------------------------------------------------------- metadata


@provider(IFormFieldProvider)
class IDocumentMetadata(model.Schema):
    """What the register records of a document (Phụ lục VI of NĐ 30)."""

    title = text_line(_("label_subject", default="Subject (trích yếu)"), 500, required=True)
    document_type = _document_type()
    code_number = text_line(_("label_code_number", default="Number (số)"), 11, required=True)
    code_notation = text_line(_("label_code_notation", default="Notation (ký hiệu)"), 30,
                              description=_("help_code_notation", default="E.g. QĐ-UBND in 15/QĐ-UBND."))
    issued_date = schema.Date(
        title=_("label_issued_date", default="Issued on"),
        required=True,
        constraint=validation.plausible_issue_date,
    )
    signer_position = _signer_position(required=False)
    urgency = schema.Choice(
        title=_("label_urgency", default="Urgency"),
        vocabulary="dongthap.qlvb.vocabularies.Urgency",
        required=True,
        default="thuong",
    )
    due_date = _deadline(_("label_due_date", default="Due date"))
    page_amount = amount(_("label_page_amount", default="Number of pages"))


@provider(IFormFieldProvider)
class IIssuedDocumentMetadata(IDocumentMetadata):
    """The metadata of a document the agency issues: its register sets số, ký hiệu and date."""

    document_type = _document_type(default="cong_van")
    code_number = _system(IDocumentMetadata["code_number"])
    code_notation = _system(IDocumentMetadata["code_notation"])
    issued_date = _system(IDocumentMetadata["issued_date"])
    signer_position = _signer_position(
        required=True,
        description=_("help_outgoing_signer_position", default="E.g. GIÁM ĐỐC, PHÓ CHỦ TỊCH."))
    due_date = _deadline(_("label_reply_due_date", default="Reply due date (hạn trả lời)"))


# ---------------------------------------------------------------- files


@provider(IFormFieldProvider)
class IDocumentFiles(model.Schema):
    """The main PDF of the document and its PDF attachments."""

    file = _main_file(_("label_primary_file", default="Document (PDF)"), validation.check_pdf)
    directives.omitted("attachments")
    attachments = _attachments(validation.check_pdf)


@provider(IFormFieldProvider)
class IDraftDocumentFiles(IDocumentFiles):
    """The main file is a draft (.docx or PDF) until it is signed; attachments are PDFs.

    The REST deserializer of documents checks the contents
    (:mod:`dongthap.qlvb.restapi.file_deserializer`), the creation paths check uploads.
    """

    file = _main_file(_("label_outgoing_file", default="Document (draft .docx or PDF; PDF to sign)"))
    directives.omitted("attachments")
    attachments = _attachments()


# ---------------------------------------------------------------- register entry, trail


@provider(IFormFieldProvider)
class IRegisterEntry(model.Schema):
    """The entry of the document in its agency's register, set by the system only.

    Received documents: arrival number (số đến), year and time; issued documents: the
    number of the register series, the year and the time of issue. Catalogued as
    ``qlvb_register_number``, ``qlvb_register_year`` and ``qlvb_register_date``.
    """

    directives.omitted("register_number", "register_year", "register_date")
    register_number = system_field(schema.Int, _("label_register_number", default="Number in the register"))
    register_year = system_field(schema.Int, _("label_register_year", default="Year of the register"))
    register_date = system_field(schema.Datetime,
                                 _("label_register_date", default="Date of the register entry"))


@provider(IFormFieldProvider)
class IDocumentTrail(model.Schema):
    """The document keeps a readable trail (``qlvb_trail``, see :mod:`.trail`)."""


def fields_of(*schemata):
    """``{name: field}`` of a document type: its behaviors' schemata and its own, in order.

    What the validation of a kind (``clean``) reads its fields' titles and rules from.
    """
    from zope.schema import getFieldsInOrder

    return {name: field for iface in schemata for name, field in getFieldsInOrder(iface)}
