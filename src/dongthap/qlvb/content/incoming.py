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

The fields follow Phụ lục VI of NĐ 30: the shared ones come from the
behaviors of :mod:`dongthap.qlvb.documents.behaviors`, the type's own schema
adds the issuer, the source and the arrival (its register entry), filled by
the system (read-only in forms and REST).
"""

from dongthap.qlvb.content.documents import alias
from dongthap.qlvb.content.documents import Document
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.content.documents import VIETNAM
from dongthap.qlvb.documents.behaviors import fields_of
from dongthap.qlvb.documents.behaviors import IDocumentFiles
from dongthap.qlvb.documents.behaviors import IDocumentMetadata
from dongthap.qlvb.documents.behaviors import IRegisterEntry
from dongthap.qlvb.documents.behaviors import system_field
from dongthap.qlvb.documents.behaviors import text_line
from dongthap.qlvb.documents.storage import DocumentRegister
from dongthap.qlvb.documents.validation import check_pdf  # noqa: F401 - kept for callers
from dongthap.qlvb.documents.validation import check_pdf_list  # noqa: F401 - kept for callers
from dongthap.qlvb.documents.validation import is_pdf  # noqa: F401 - kept for callers
from dongthap.qlvb.documents.validation import NotAPdf  # noqa: F401 - kept for callers
from dongthap.qlvb.documents.validation import read_head  # noqa: F401 - kept for callers
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.text import normalize_text
from dongthap.qlvb.utils.text import search_key
from plone.supermodel import model
from z3c.form.util import getSpecification
from z3c.form.validator import InvariantsValidator
from z3c.form.validator import WidgetsValidatorDiscriminators
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid

import datetime
import re

ROOT_ID = "van-ban-den"
ID_PREFIX = "vbd-"
#: The incoming register of an agency: ``<agency>/van-ban-den/<year>/vbd-…``.
REGISTER = DocumentRegister(root_id=ROOT_ID, portal_type="IncomingFolder", title="Văn bản đến",
                            id_prefix=ID_PREFIX, lock_name="incoming")


def vietnam_today():
    return datetime.datetime.now(VIETNAM).date()


class IIncomingDocument(model.Schema):
    """What only an incoming document (văn bản đến) has, Phụ lục VI of NĐ 30.

    The rest comes from behaviors (see the FTI): ``document_metadata``
    (trích yếu, số, ký hiệu, dates…), ``document_files`` (PDF and
    attachments), ``register_entry`` (the arrival number, year and time are
    its register entry), ``document_trail``.
    """

    issuing_agency_name = text_line(_("label_issuing_agency_name", default="Issuing agency"), 200,
                                    required=True)
    issuing_agency_code = text_line(_("label_issuing_agency_code", default="Code of the issuing agency"),
                                    13, kind=schema.ASCIILine)
    signer_name = text_line(_("label_signer_name", default="Signed by"), 50)
    source = schema.Choice(
        title=_("label_source", default="Received through"),
        vocabulary="dongthap.qlvb.vocabularies.Source",
        required=True,
        default="paper",
    )
    arrival_number = system_field(schema.Int, _("label_arrival_number", default="Arrival number (số đến)"))
    arrival_date = system_field(schema.Datetime, _("label_arrival_date", default="Arrival date (ngày đến)"))
    #: Phụ lục VI III.1.g: the code (QCVN 102) of the agency that received it, set by the factory
    receiving_agency_code = system_field(
        schema.ASCIILine, _("label_receiving_agency_code", default="Code of the receiving agency"))


#: Every field of an incoming document (behaviors listed in the FTI, then its own schema).
FIELDS = fields_of(IDocumentMetadata, IDocumentFiles, IRegisterEntry, IIncomingDocument)


@implementer(IIncomingDocument)
class IncomingDocument(Document):
    """One incoming document; workflow ``qlvb_incoming_workflow``.

    Its register entry is the arrival: ``arrival_number``, ``arrival_year`` and
    ``arrival_date`` are the names of ``register_number``, ``register_year`` and
    ``register_date`` here.
    """

    receiving_agency_code = None

    arrival_number = alias("register_number")
    arrival_year = alias("register_year")
    arrival_date = alias("register_date")

    def arrival_day(self):
        return self.register_day()


class IIncomingFolder(model.Schema):
    """The incoming register of an agency, or one year of it."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(IIncomingFolder)
class IncomingFolder(DocumentFolder):
    """Unordered BTree folder, never shown in navigation."""


new_document_id = REGISTER.new_id


_NOTATION_SPACE = re.compile(r"\s+")


def duplicate_key(code_number, code_notation, issuer):
    """Normalised (số, ký hiệu, issuing agency) — 05 and 5 are the same number; case, spaces,
    Unicode form and diacritics do not count (:func:`search_key`: "QĐ-UBND" = "qd - ubnd",
    "Uỷ ban…", "ỦY BAN…" and "Uy ban…" are one issuer)."""
    number = normalize_text(code_number).lstrip("0") or normalize_text(code_number)
    notation = _NOTATION_SPACE.sub("", search_key(code_notation)).upper()
    issuer = search_key(issuer)
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
    IncomingInvariants, schema=getSpecification(IDocumentMetadata, force=True)
)
