"""The ``Agency`` content type: one state agency (cơ quan, đơn vị).

An agency folder is the unit of security: its staff hold their roles as local
roles on it (through the agency's groups), and local-role acquisition is
blocked so that staff of a parent agency see nothing of a sub-agency.
"""

from dongthap.qlvb.i18n import _
from plone import api
from plone.dexterity.content import Container
from plone.supermodel import model
from plone.uuid.interfaces import IUUID
from z3c.form.util import getSpecification
from z3c.form.validator import InvariantsValidator
from z3c.form.validator import WidgetsValidatorDiscriminators
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid

import re

AGENCY_CODE_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
ABBREVIATION_RE = re.compile(r"^[A-ZĐ][A-ZĐ0-9&]{0,19}$")


class InvalidAgencyCode(schema.ValidationError):
    __doc__ = _(
        "error_agency_code",
        default="The agency code must have the form DDD.DD.DD.XNN (QCVN 102:2016), e.g. 000.00.14.H20.",
    )


class InvalidAbbreviation(schema.ValidationError):
    __doc__ = _(
        "error_abbreviation",
        default="The abbreviation must be capital letters and digits without spaces, e.g. UBND or STTTT.",
    )


def check_agency_code(value):
    if not AGENCY_CODE_RE.match(value or ""):
        raise InvalidAgencyCode(value)
    return True


def check_abbreviation(value):
    if not ABBREVIATION_RE.match(value or ""):
        raise InvalidAbbreviation(value)
    return True


class IAgency(model.Schema):
    """Schema of an agency."""

    title = schema.TextLine(
        title=_("label_agency_title", default="Name of the agency"),
        required=True,
    )
    agency_code = schema.ASCIILine(
        title=_("label_agency_code", default="Agency code (QCVN 102)"),
        description=_(
            "help_agency_code",
            default="Identifier of the agency on the national exchange axis, DDD.DD.DD.XNN.",
        ),
        required=True,
        constraint=check_agency_code,
    )
    agency_code_qd20 = schema.TextLine(
        title=_("label_agency_code_qd20", default="Agency code (QĐ 20/2020)"),
        description=_("help_agency_code_qd20", default="Optional second code of the agency."),
        required=False,
    )
    abbreviation = schema.TextLine(
        title=_("label_abbreviation", default="Abbreviation"),
        description=_(
            "help_abbreviation",
            default="Used in document notations, e.g. UBND in 15/QĐ-UBND.",
        ),
        required=True,
        constraint=check_abbreviation,
    )
    level = schema.Choice(
        title=_("label_level", default="Level"),
        vocabulary="dongthap.qlvb.vocabularies.AgencyLevels",
        required=True,
        default="department",
    )
    status = schema.Choice(
        title=_("label_status", default="Status"),
        vocabulary="dongthap.qlvb.vocabularies.AgencyStatuses",
        required=True,
        default="active",
    )
    description = schema.Text(
        title=_("label_description", default="Notes"),
        required=False,
    )


@implementer(IAgency)
class Agency(Container):
    """A state agency. Staff roles are local to it and never inherited."""

    __ac_local_roles_block__ = True


def find_agency_by_code(code):
    """Return the brain of the agency with this code, or None."""
    brains = api.content.find(portal_type="Agency", qlvb_agency_code=code, unrestricted=True)
    return brains[0] if brains else None


class AgencyInvariants(InvariantsValidator):
    """Checks that the agency code is unique in the site (forms and REST)."""

    def validate(self, data):
        errors = list(super().validate(data))
        code = data.get("agency_code")
        if code:
            own_uid = IUUID(self.context, None) if IAgency.providedBy(self.context) else None
            brain = find_agency_by_code(code)
            if brain is not None and brain.UID != own_uid:
                errors.append(
                    Invalid(
                        _(
                            "error_agency_code_taken",
                            default="The agency code ${code} is already used by ${title}.",
                            mapping={"code": code, "title": brain.Title},
                        )
                    )
                )
        return tuple(errors)


# The schema interface itself is the adapted object: it must *provide* a marker.
WidgetsValidatorDiscriminators(AgencyInvariants, schema=getSpecification(IAgency, force=True))
