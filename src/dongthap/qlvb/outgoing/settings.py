"""Per-agency settings of outgoing documents: review levels and register series.

Stored on the agency (``_qlvb_outgoing_settings``), edited through
``GET/PATCH /<agency>/@outgoing-settings`` (permission *Manage outgoing
settings*: the agency administrator) or :func:`set_settings`::

    {
      "review_levels": {"*": ["department_head", "leader"],
                        "quyet_dinh": ["department_head", "leader"],
                        "giay_moi": ["leader"]},
      "series": {"nghi_quyet": "qppl", "quyet_dinh": "qppl"}
    }

``review_levels`` maps a document type (or ``*`` for every other type) to the
ordered review levels a draft goes through before it is ``approved``.
``series`` maps a document type to a separate numbering series (e.g. the
legal-normative documents, NĐ 30 Art. 15); every type not listed takes its
number from the agency's main outgoing register. The levels are copied onto a
document when it is submitted, so changing the settings never disturbs
documents already under review.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from persistent.mapping import PersistentMapping

import re

SETTINGS_ATTR = "_qlvb_outgoing_settings"
MAIN_SERIES = "outgoing"
LEVEL_ROLES = {"department_head": R.DEPARTMENT_HEAD, "leader": R.LEADER}
LEVEL_TITLES = {
    "department_head": _("level_department_head", default="Department head"),
    "leader": _("level_leader", default="Agency leader"),
}
DEFAULT_LEVELS = ("department_head", "leader")
_SERIES_RE = re.compile(r"^[a-z0-9_]{1,30}$")


def get_settings(agency):
    """A plain dict copy of the agency's settings with the defaults filled in."""
    stored = getattr(agency, SETTINGS_ATTR, None) or {}
    levels = {"*": list(DEFAULT_LEVELS)}
    levels.update({k: list(v) for k, v in (stored.get("review_levels") or {}).items()})
    return {"review_levels": levels, "series": dict(stored.get("series") or {})}


def review_levels(agency, document_type):
    """The ordered review levels of ``document_type`` in ``agency``."""
    levels = get_settings(agency)["review_levels"]
    return list(levels.get(document_type) or levels["*"])


def series_of(agency, document_type):
    """The counter key of ``document_type``: ``outgoing`` or ``outgoing:<series>``."""
    series = get_settings(agency)["series"].get(document_type)
    return f"{MAIN_SERIES}:{series}" if series else MAIN_SERIES


def _check_levels(value):
    if not isinstance(value, dict):
        raise QlvbError(_("error_settings_levels",
                              default="review_levels must map document types to lists of levels."))
    for key, levels in value.items():
        if key != "*" and key not in DOCUMENT_TYPES:
            raise QlvbError(_("error_unknown_document_type", default="Unknown document type: ${value}.",
                                  mapping={"value": key}))
        if not isinstance(levels, list) or not levels or any(lv not in LEVEL_ROLES for lv in levels) \
                or len(set(levels)) != len(levels):
            raise QlvbError(_("error_settings_level_list",
                                  default="The review levels of ${type} must be a non-empty list of "
                                          "department_head and/or leader.", mapping={"type": key}))


def _check_series(value):
    if not isinstance(value, dict):
        raise QlvbError(_("error_settings_series",
                              default="series must map document types to series names."))
    for key, name in value.items():
        if key not in DOCUMENT_TYPES:
            raise QlvbError(_("error_unknown_document_type", default="Unknown document type: ${value}.",
                                  mapping={"value": key}))
        if not isinstance(name, str) or not _SERIES_RE.match(name):
            raise QlvbError(_("error_settings_series_name",
                                  default="A series name is 1 to 30 lower-case letters, digits or _."))


def set_settings(agency, *, review_levels=None, series=None):
    """Replace the given parts of the agency's settings (validated)."""
    stored = getattr(agency, SETTINGS_ATTR, None)
    if stored is None:
        stored = PersistentMapping()
        setattr(agency, SETTINGS_ATTR, stored)
    if review_levels is not None:
        _check_levels(review_levels)
        stored["review_levels"] = {k: list(v) for k, v in review_levels.items()}
    if series is not None:
        _check_series(series)
        stored["series"] = dict(series)
    return get_settings(agency)
