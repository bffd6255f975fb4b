"""The ``Department`` content type: a unit inside an agency (phòng, ban)."""

from dongthap.qlvb.content.agency import check_abbreviation
from dongthap.qlvb.i18n import _
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class IDepartment(model.Schema):
    """Schema of a department."""

    title = schema.TextLine(
        title=_("label_department_title", default="Name of the department"),
        required=True,
    )
    abbreviation = schema.TextLine(
        title=_("label_abbreviation", default="Abbreviation"),
        description=_(
            "help_department_abbreviation",
            default="Used in the notation of official letters, e.g. VP in 05/UBND-VP.",
        ),
        required=True,
        constraint=check_abbreviation,
    )
    description = schema.Text(
        title=_("label_description", default="Notes"),
        required=False,
    )


@implementer(IDepartment)
class Department(Container):
    """A department of an agency."""
