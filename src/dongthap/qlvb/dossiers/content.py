"""Dossiers (hồ sơ) and the records uploaded into them.

Storage, like the document registers (see :mod:`dongthap.qlvb.documents.storage`)::

    <agency>/ho-so/              DossierFolder (the agency's dossiers)
    <agency>/ho-so/2026/         DossierFolder (one per year the dossier was opened)
    <agency>/ho-so/2026/hs-…     Dossier
    <agency>/ho-so/2026/hs-…/…   DossierRecord (a report, minutes… uploaded into the dossier)

Documents (incoming, outgoing, records) are **referenced, never copied**: a
dossier keeps the UIDs of its documents with their ordinal in it
(:attr:`Dossier.qlvb_items`, see :mod:`dongthap.qlvb.dossiers.api`). The
system fields (file code, totals, dates) are read-only in forms and REST.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.content.incoming import check_pdf
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from dongthap.qlvb.i18n import _
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.form.util import getSpecification
from z3c.form.validator import InvariantsValidator
from z3c.form.validator import WidgetsValidatorDiscriminators
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid

import re

ROOT_ID = "ho-so"
ID_PREFIX = "hs-"
RECORD_PREFIX = "tl-"
NOTATION_RE = re.compile(r"^[0-9A-Za-zĐđ][0-9A-Za-zĐđ.\-]{0,19}$")


class InvalidNotation(schema.ValidationError):
    __doc__ = _(
        "error_dossier_notation",
        default="The notation must be at most 20 letters, digits, dots or hyphens, e.g. 01.TCCB.",
    )


def check_notation(value):
    if not NOTATION_RE.match(value or ""):
        raise InvalidNotation(value)
    return True


class IDossierFolder(model.Schema):
    """The dossiers of an agency, or one year of them."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(IDossierFolder)
class DossierFolder(DocumentFolder):
    """Unordered BTree folder of dossiers (``ho-so`` and its years)."""


class IDossier(model.Schema):
    """A dossier (hồ sơ), Phụ lục VI of NĐ 30 and Thông tư 02/2019."""

    title = schema.TextLine(
        title=_("label_dossier_title", default="Title of the dossier"),
        required=True,
        max_length=500,
    )
    notation = schema.TextLine(
        title=_("label_dossier_notation", default="Dossier number and notation"),
        description=_("help_dossier_notation", default="As in the records schedule, e.g. 01.TCCB."),
        required=True,
        max_length=20,
        constraint=check_notation,
    )
    retention = schema.Choice(
        title=_("label_retention", default="Retention period"),
        vocabulary="dongthap.qlvb.vocabularies.RetentionPeriods",
        required=True,
    )
    access = schema.Choice(
        title=_("label_dossier_access", default="Access"),
        vocabulary="dongthap.qlvb.vocabularies.DossierAccess",
        required=True,
        default="public",
    )
    access_people = schema.List(
        title=_("label_access_people", default="People who may see a restricted dossier (user ids)"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    access_units = schema.List(
        title=_("label_access_units", default="Departments whose members may see a restricted dossier"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    responsible = schema.TextLine(
        title=_("label_dossier_responsible", default="Responsible person (user id)"),
        required=False,
    )
    department = schema.TextLine(
        title=_("label_dossier_department", default="Responsible department"),
        required=False,
    )
    start_date = schema.Date(
        title=_("label_start_date", default="Start date"),
        required=False,
    )
    end_date = schema.Date(
        title=_("label_end_date", default="End date"),
        required=False,
    )
    # not ``language``: that is Dublin Core's language code (the Content-Language header)
    dossier_language = schema.TextLine(
        title=_("label_dossier_language", default="Language"),
        required=False,
        default="Tiếng Việt",
    )
    description = schema.Text(
        title=_("label_dossier_description", default="Description"),
        required=False,
        max_length=500,
    )
    #: transferred three months after the settlement of the project (end date), not one year
    construction_project = schema.Bool(
        title=_("label_construction_project",
                default="Dossier of a construction project (transferred 3 months after settlement)"),
        required=False,
        default=False,
    )

    directives.omitted("file_code", "year", "doc_total", "page_total", "schedule_entry")
    file_code = schema.TextLine(title=_("label_file_code", default="File code"), required=False,
                                readonly=True)
    year = schema.Int(title=_("label_dossier_year", default="Year"), required=False, readonly=True)
    doc_total = schema.Int(title=_("label_doc_total", default="Number of documents"), required=False,
                           readonly=True)
    page_total = schema.Int(title=_("label_page_total", default="Number of pages"), required=False,
                            readonly=True)
    schedule_entry = schema.TextLine(title=_("label_schedule_entry", default="Records schedule entry"),
                                     required=False, readonly=True)


@implementer(IDossier)
class Dossier(Container):
    """A dossier; its documents are references (``qlvb_items``), its records are children."""

    security = ClassSecurityInfo()

    file_code = None
    year = None
    doc_total = 0
    page_total = 0
    schedule_entry = None
    responsible = None
    department = None
    start_date = None
    end_date = None
    access_people = ()
    access_units = ()
    #: ({"uid", "ordinal", "by", "at"}, …) in ordinal order; replaced, never mutated in place
    qlvb_items = ()
    #: reopenings and other events: ({"action", "by", "at", "reason"}, …)
    qlvb_log = ()
    #: the transition the API is running now (volatile: never stored)
    _v_qlvb_transition = None

    @security.public
    def qlvb_guard(self, transition):
        """Workflow guard: only the transition :mod:`dongthap.qlvb.dossiers.api` runs now."""
        return self._v_qlvb_transition == transition


InitializeClass(Dossier)


class IDossierRecord(model.Schema):
    """Another record uploaded into a dossier (a report, minutes, …)."""

    title = schema.TextLine(
        title=_("label_record_title", default="Type and subject"),
        required=True,
        max_length=500,
    )
    code_notation = schema.TextLine(
        title=_("label_record_notation", default="Number and notation"),
        required=False,
        max_length=30,
    )
    issued_date = schema.Date(
        title=_("label_record_date", default="Date"),
        required=True,
    )
    author = schema.TextLine(
        title=_("label_record_author", default="Author"),
        required=False,
        max_length=200,
    )
    page_amount = schema.Int(
        title=_("label_page_amount", default="Number of pages"),
        required=False,
        min=1,
        max=100000,
    )
    file = NamedBlobFile(
        title=_("label_record_file", default="PDF file"),
        required=True,
        constraint=check_pdf,
    )


@implementer(IDossierRecord, IQlvbDocument)
class DossierRecord(Item):
    """A record that exists only in its dossier (filed into it when added)."""

    code_notation = None
    author = None
    page_amount = None


class DossierInvariants(InvariantsValidator):
    """The checks of :func:`dongthap.qlvb.dossiers.api.clean_dossier` for PATCH and edit forms:
    staff and departments of the agency, dates in order, a restricted dossier names its
    readers, the file code stays unique."""

    def validate(self, data):
        from dongthap.qlvb.agencies.api import get_agency
        from dongthap.qlvb.dossiers import api as dossiers

        errors = list(super().validate(data))
        agency = get_agency(self.context)
        if agency is None:
            return tuple(errors)
        current = self.context if IDossier.providedBy(self.context) else None
        raw = {}
        for key in dossiers.INPUT_FIELDS:
            if key in data:
                value = data[key]
                raw[key] = list(value) if isinstance(value, (list, tuple, set)) else value
        try:
            values = dossiers.clean_dossier(raw, agency=agency, current=current)
            if current is not None and values.get("notation") not in (None, current.notation):
                dossiers.check_file_code_free(agency, current.year, values["notation"], current)
        except dossiers.DossierError as problem:
            errors.extend(Invalid(e["message"]) for e in problem.errors)
        return tuple(errors)


WidgetsValidatorDiscriminators(DossierInvariants, schema=getSpecification(IDossier, force=True))
