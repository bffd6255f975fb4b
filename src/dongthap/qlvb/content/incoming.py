"""Incoming documents (văn bản đến) and the containers that hold them.

Storage, built for hundreds of thousands of documents per agency::

    <agency>/van-ban-den/            IncomingFolder (the agency's incoming register)
    <agency>/van-ban-den/2026/       IncomingFolder (one per arrival year, Vietnam time)
    <agency>/van-ban-den/2026/vbd-…  IncomingDocument

Both folder levels are BTree folders without ordering (no ``_order`` list that
every insertion would rewrite), excluded from navigation. Document ids are
short random system ids (``vbd-`` + 10 base-32 characters): no id is derived
from the Vietnamese trích yếu, two clerks never race for the same id, and
random keys spread concurrent insertions over the BTree buckets.

The schema follows Phụ lục VI of NĐ 30. ``arrival_number`` and
``arrival_date`` are filled by the system (read-only in forms and REST).
"""

from dongthap.qlvb.content import documents
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.documents import validation
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.text import fold, normalize_text
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.form.util import getSpecification
from z3c.form.validator import InvariantsValidator
from z3c.form.validator import WidgetsValidatorDiscriminators
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zoneinfo import ZoneInfo

import datetime
import re

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ROOT_ID = "van-ban-den"
ID_PREFIX = "vbd-"
PDF_MAGIC = b"%PDF-"


def vietnam_today():
    return datetime.datetime.now(VIETNAM).date()


class NotAPdf(schema.ValidationError):
    __doc__ = _(
        "error_not_pdf",
        default="The file is not a PDF document (its content does not start like a PDF).",
    )


def read_head(value, size=1024):
    """The first ``size`` bytes of a named file without loading a whole blob."""
    if value is None:
        return b""
    opener = getattr(value, "open", None)
    if opener is not None:
        try:
            with opener() as handle:
                return handle.read(size)
        except (OSError, AttributeError, TypeError):
            pass
    data = getattr(value, "data", value)
    return bytes(data[:size]) if data else b""


def is_pdf(head):
    """A PDF starts with ``%PDF-`` within its first 1024 bytes (ISO 32000)."""
    return PDF_MAGIC in (head or b"")[:1024]


def check_pdf(value):
    """A PDF that a PDF reader opens (not only the ``%PDF-`` magic), within the upload limit."""
    if not is_pdf(read_head(value)):
        raise NotAPdf()
    return validation.readable_pdf(value)


def check_pdf_list(values):
    for value in values or ():
        check_pdf(value)
    return True


class IIncomingDocument(model.Schema):
    """An incoming document (văn bản đến), Phụ lục VI of NĐ 30."""

    title = schema.TextLine(
        title=_("label_incoming_subject", default="Subject (trích yếu)"),
        required=True,
        max_length=500,
    )
    document_type = schema.Choice(
        title=_("label_document_type", default="Document type"),
        vocabulary="dongthap.qlvb.vocabularies.DocumentTypes",
        required=True,
    )
    code_number = schema.TextLine(
        title=_("label_code_number", default="Number (số)"),
        required=True,
        max_length=11,
    )
    code_notation = schema.TextLine(
        title=_("label_code_notation", default="Notation (ký hiệu)"),
        description=_("help_code_notation", default="E.g. QĐ-UBND in 15/QĐ-UBND."),
        required=False,
        max_length=30,
    )
    issued_date = schema.Date(
        title=_("label_issued_date", default="Issued on"),
        required=True,
        constraint=validation.plausible_issue_date,
    )
    issuing_agency_name = schema.TextLine(
        title=_("label_issuing_agency_name", default="Issuing agency"),
        required=True,
        max_length=200,
    )
    issuing_agency_code = schema.ASCIILine(
        title=_("label_issuing_agency_code", default="Code of the issuing agency"),
        required=False,
        max_length=13,
    )
    signer_name = schema.TextLine(
        title=_("label_signer_name", default="Signed by"),
        required=False,
        max_length=50,
    )
    signer_position = schema.TextLine(
        title=_("label_signer_position", default="Position of the signer"),
        required=False,
        max_length=100,
    )
    urgency = schema.Choice(
        title=_("label_urgency", default="Urgency"),
        vocabulary="dongthap.qlvb.vocabularies.Urgency",
        required=True,
        default="thuong",
    )
    due_date = schema.Date(
        title=_("label_due_date", default="Due date"),
        required=False,
        constraint=validation.plausible_deadline,
    )
    page_amount = schema.Int(
        title=_("label_page_amount", default="Number of pages"),
        required=False,
        min=1,
        max=100000,
    )
    source = schema.Choice(
        title=_("label_source", default="Received through"),
        vocabulary="dongthap.qlvb.vocabularies.Source",
        required=True,
        default="paper",
    )
    file = NamedBlobFile(
        title=_("label_primary_file", default="Document (PDF)"),
        required=True,
        constraint=check_pdf,
    )
    directives.omitted("attachments")
    attachments = schema.List(
        title=_("label_attachments", default="Attachments (PDF)"),
        value_type=NamedBlobFile(constraint=check_pdf),
        required=False,
        default=[],
        constraint=check_pdf_list,
    )
    arrival_number = schema.Int(
        title=_("label_arrival_number", default="Arrival number (số đến)"),
        required=False,
        readonly=True,
    )
    arrival_date = schema.Datetime(
        title=_("label_arrival_date", default="Arrival date (ngày đến)"),
        required=False,
        readonly=True,
    )


@implementer(IIncomingDocument, IQlvbDocument)
class IncomingDocument(Item):
    """One incoming document; workflow ``qlvb_incoming_workflow``."""

    exclude_from_nav = True
    arrival_number = None
    arrival_date = None
    arrival_year = None
    attachments = ()

    def arrival_day(self):
        return self.arrival_date.astimezone(VIETNAM).date() if self.arrival_date else None


class IIncomingFolder(model.Schema):
    """The incoming register of an agency, or one year of it."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(IIncomingFolder)
class IncomingFolder(DocumentFolder):
    """Unordered BTree folder, never shown in navigation."""


def new_document_id(container):
    """A short, random, unused id such as ``vbd-k3m9x2qa7d``."""
    return documents.new_document_id(container, ID_PREFIX)


_NOTATION_SPACE = re.compile(r"\s+")


def duplicate_key(code_number, code_notation, issuer):
    """Normalised (số, ký hiệu, issuing agency) — 05 and 5 are the same number."""
    number = normalize_text(code_number).lstrip("0") or normalize_text(code_number)
    notation = _NOTATION_SPACE.sub("", normalize_text(code_notation)).upper()
    issuer = fold(issuer)
    if not number or not issuer:
        return None
    return f"{number}|{notation}|{issuer}"


def check_dates(issued_date, due_date, arrival_day=None):
    """Invariants of the dates; returns a list of translatable messages."""
    errors = []
    today = vietnam_today()
    if issued_date is not None and issued_date > today:
        errors.append(
            _("error_issued_in_future", default="The issue date cannot be in the future.")
        )
    reference = arrival_day or today
    if due_date is not None and due_date < reference:
        errors.append(
            _(
                "error_due_before_arrival",
                default="The due date cannot be before the arrival date (${date}).",
                mapping={"date": reference.strftime("%d/%m/%Y")},
            )
        )
    return errors


class IncomingInvariants(InvariantsValidator):
    """Date invariants, checked by Classic UI forms and by plone.restapi."""

    def validate(self, data):
        errors = list(super().validate(data))
        context = self.context if IIncomingDocument.providedBy(self.context) else None
        issued = data.get("issued_date", getattr(context, "issued_date", None))
        due = data.get("due_date", getattr(context, "due_date", None))
        arrival = context.arrival_day() if context is not None else None
        # Only complain about what this change touches.
        if "issued_date" not in data:
            issued = None
        if "due_date" not in data:
            due = None
        errors.extend(Invalid(message) for message in check_dates(issued, due, arrival))
        return tuple(errors)


WidgetsValidatorDiscriminators(
    IncomingInvariants, schema=getSpecification(IIncomingDocument, force=True)
)
