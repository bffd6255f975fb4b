"""The API of dossiers (hồ sơ) and records schedules (danh mục hồ sơ).

One API for the Classic UI views, the REST services and the archive capability
(:mod:`dongthap.qlvb.archive`). Functions check the current user's permissions
themselves (views and services check them too) and raise :class:`DossierError`
with a translatable message and field errors. Every function validates all its
input before it writes anything: a refused call stores nothing.

Stable entry points (the archive builds on them):

* records schedule: :func:`get_schedule`, :func:`save_schedule`,
  :func:`approve_schedule`, :func:`copy_forward`, :func:`schedule_totals`,
  :func:`schedule_entry`, :func:`schedule_years`;
* dossiers: :func:`clean_dossier`, :func:`create_dossier`, :func:`update_dossier`,
  :func:`get_dossier`, :func:`dossier_info` (the Phụ lục VI / TT 02 metadata as a dict),
  :func:`dossier_items` (rows of Mục lục văn bản trong hồ sơ, in ordinal order),
  :func:`documents_of` ([(ordinal, document)], whoever may see them: system use),
  :func:`describe` (one document's columns), :func:`refresh_totals`, :func:`log_entries`,
  :func:`agency_dossiers`, :func:`my_open_dossiers`, :func:`year_folder`, :func:`file_code`;
* filing: :func:`file_documents`, :func:`unfile_documents`, :func:`dossiers_of`,
  :func:`dossier_uids_of`, :func:`fileable_dossiers`, :func:`has_fileable_dossier`,
  :func:`unfiled_documents`;
* lifecycle: :func:`closing_problems`, :func:`close_dossier`, :func:`reopen_dossier`,
  :func:`transfer_dossier`, :func:`dispose_dossier`, :func:`allowed_transitions`.
  The workflow's transitions run **only** through these functions (guard expression
  ``here/qlvb_guard``, opened by :func:`_transition`); the archive calls
  :func:`transfer_dossier` when it accepts a dossier and :func:`dispose_dossier` after
  an approved disposal. Every transition to ``transferred`` notifies
  :class:`dongthap.qlvb.dossiers.events.DossierTransferred`; ``disposed`` notifies
  :class:`~dongthap.qlvb.dossiers.events.DossierDisposed`, ``closed``
  :class:`~dongthap.qlvb.dossiers.events.DossierClosed`.

Dates are Vietnam dates; retention is ``"permanent"`` or a number of years as
text (``"10"``), see :func:`retention_choices`.
"""

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.agencies.api import group_ids
from dongthap.qlvb.agencies.api import group_members
from dongthap.qlvb.agencies.departments import department as get_department
from dongthap.qlvb.agencies.departments import departments_of
from dongthap.qlvb.agencies.departments import members_group_id
from dongthap.qlvb.documents import storage
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from dongthap.qlvb.dossiers.content import check_notation
from dongthap.qlvb.dossiers.content import ID_PREFIX
from dongthap.qlvb.dossiers.content import IDossier
from dongthap.qlvb.dossiers.content import ROOT_ID
from dongthap.qlvb.content.documents import new_document_id
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering.counter import vietnam_now
from persistent.mapping import PersistentMapping
from plone import api
from plone.dexterity.utils import createContent
from zope.annotation.interfaces import IAnnotations

import contextlib
import datetime
import re

# Permissions (registered in dossiers/configure.zcml; defaults in rolemap.xml).
ADD_DOSSIER = "dongthap.qlvb: Add dossier"
VIEW_DOSSIERS = "dongthap.qlvb: View dossiers"
MANAGE_DOSSIERS = "dongthap.qlvb: Manage dossiers"
MANAGE_SCHEDULE = "dongthap.qlvb: Manage records schedule"
APPROVE_SCHEDULE = "dongthap.qlvb: Approve records schedule"
FILE_INTO = "dongthap.qlvb: File into dossier"
ADD_RECORD = "dongthap.qlvb: Add dossier record"

# Local roles on one dossier (see sync_local_roles).
OWNER_ROLE = "QlvbDossierOwner"
READER_ROLE = "QlvbDossierReader"

PERMANENT = "permanent"
DEFAULT_RETENTION_YEARS = (5, 10, 20, 50, 70)
RETENTION_RECORD = "dongthap.qlvb.dossiers.retention_years"
PUBLIC, RESTRICTED = "public", "restricted"

STATES = ("open", "closed", "transferred", "disposed")
STATE_TITLES = {
    "open": _("dossier_state_open", default="Open"),
    "closed": _("dossier_state_closed", default="Closed"),
    "transferred": _("dossier_state_transferred", default="Transferred to the archive"),
    "disposed": _("dossier_state_disposed", default="Disposed"),
}

#: Titles of the entries of a dossier's log (:func:`log_entries`).
LOG_TITLES = {
    "create": _("dossier_log_create", default="Opened"),
    "close": _("dossier_log_close", default="Closed"),
    "reopen": _("dossier_log_reopen", default="Reopened"),
    "transfer": _("dossier_log_transfer", default="Transferred to the archive"),
    "dispose": _("dossier_log_dispose", default="Disposed"),
    "import": _("dossier_log_import", default="Imported from a package"),
    "legal_hold": _("dossier_log_legal_hold", default="Legal hold set"),
    "legal_hold_released": _("dossier_log_legal_hold_released", default="Legal hold released"),
    "transfer_proposed": _("dossier_log_transfer_proposed", default="Put on a transfer list"),
    "transfer_approved": _("dossier_log_transfer_approved", default="Transfer approved by the leader"),
    "transfer_returned": _("dossier_log_transfer_returned", default="Transfer returned"),
}

#: Document states that are still drafts (a dossier with one of them cannot close).
DRAFT_STATES = {
    "IncomingDocument": {"received"},
    "OutgoingDocument": {"draft", "pending_review", "approved", "signed"},
}

#: Fields a client may set on a dossier, in form order.
INPUT_FIELDS = ("title", "notation", "retention", "access", "access_people", "access_units",
                "responsible", "department", "start_date", "end_date", "dossier_language", "description",
                "construction_project")

SCHEDULES_KEY = "dongthap.qlvb.dossiers.schedules"
HEADING_NUMBER_RE = re.compile(r"^([IVXLCDM]{1,8}|\d{1,3})$")


class DossierError(QlvbError, ValueError):
    """Bad input or a forbidden action; ``errors`` is a list of {field, message}."""

    def __init__(self, message, errors=None, status=400):
        super().__init__(message, errors, status)


def _invalid(errors, message=None):
    raise DossierError(
        message or _("error_dossier_invalid", default="Nothing was saved: please correct the errors."),
        errors)


def _forbidden():
    raise DossierError(_("error_dossier_forbidden", default="You may not do this."), status=403)


def _check(permission, obj):
    if not api.user.has_permission(permission, obj=obj):
        _forbidden()


def today():
    return vietnam_now().date()


def _now_iso():
    return vietnam_now().isoformat(timespec="seconds")


def _userid():
    user = api.user.get_current()
    return user.getId() if user is not None else None


# --------------------------------------------------------------------------- retention


def retention_years():
    """The configurable numbers of years (registry ``dongthap.qlvb.dossiers.retention_years``)."""
    try:
        value = api.portal.get_registry_record(RETENTION_RECORD, default=None)
    except Exception:  # noqa: BLE001 - no site / no record: the defaults
        value = None
    years = sorted({int(v) for v in (value or DEFAULT_RETENTION_YEARS) if int(v) > 0})
    return tuple(years) or DEFAULT_RETENTION_YEARS


def retention_choices():
    """[(token, title)]: "permanent" (Vĩnh viễn) and each configured number of years."""
    choices = [(PERMANENT, _("retention_permanent", default="Permanent"))]
    for years in retention_years():
        choices.append((str(years), _("retention_years", default="${years} years",
                                      mapping={"years": years})))
    return choices


def retention_title(value):
    """The printed retention: ``Vĩnh viễn`` or ``10 năm``."""
    if value == PERMANENT:
        return "Vĩnh viễn"
    return f"{value} năm" if value else ""


def _check_retention(value, field, errors):
    tokens = {token for token, _t in retention_choices()}
    value = "" if value is None else str(value).strip()
    if value not in tokens:
        errors.append({"field": field, "message": _(
            "error_retention", default="Choose a retention period: permanent or ${years} years.",
            mapping={"years": ", ".join(str(y) for y in retention_years())})})
        return None
    return value


# --------------------------------------------------------------------------- records schedule


def _schedules(agency, create=False):
    annotations = IAnnotations(agency)
    store = annotations.get(SCHEDULES_KEY)
    if store is None and create:
        store = annotations[SCHEDULES_KEY] = OOBTree()
    return store


def _year(value, field="year"):
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2200:
        _invalid([{"field": field, "message": _("error_schedule_year",
                                                default="Enter a year such as 2026.")}])
    return year


def get_schedule(agency, year):
    """The records schedule of ``agency`` for ``year`` as a plain dict, or None.

    ``{"year", "state": "draft"|"approved", "rows": [...], "approved_by", "approved_at",
    "copied_from"}``; a row is ``{"kind": "heading", "number", "title"}`` or
    ``{"kind": "entry", "notation", "title", "retention", "unit", "person", "note"}``.
    """
    store = _schedules(agency)
    if store is None:
        return None
    found = store.get(_year(year))
    if found is None:
        return None
    return {"year": int(year), "state": found["state"], "rows": [dict(r) for r in found["rows"]],
            "approved_by": found.get("approved_by"), "approved_at": found.get("approved_at"),
            "copied_from": found.get("copied_from")}


def schedule_years(agency):
    store = _schedules(agency)
    return sorted(store.keys()) if store is not None else []


def _text(row, key, errors, field, *, required=False, max_length=500):
    value = row.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append({"field": field, "message": _("error_dossier_not_text", default="Enter text.")})
        return ""
    value = " ".join(value.split())
    if required and not value:
        errors.append({"field": field, "message": _("error_required", default="Required.")})
    elif len(value) > max_length:
        errors.append({"field": field, "message": _(
            "error_dossier_too_long", default="At most ${max} characters.", mapping={"max": max_length})})
    return value


def clean_schedule_rows(agency, rows):
    """Validated rows (list of dicts) or :class:`DossierError` with one error per bad field."""
    if not isinstance(rows, list):
        _invalid([{"field": "rows", "message": _("error_schedule_rows",
                                                 default="The schedule must be a list of rows.")}])
    errors, clean, seen = [], [], set()
    for index, row in enumerate(rows):
        prefix = f"rows.{index}"
        if not isinstance(row, dict):
            errors.append({"field": prefix, "message": _("error_schedule_row",
                                                         default="Each row must be an object.")})
            continue
        kind = row.get("kind") or "entry"
        if kind == "heading":
            number = _text(row, "number", errors, f"{prefix}.number", required=True, max_length=8)
            if number and not HEADING_NUMBER_RE.match(number):
                errors.append({"field": f"{prefix}.number", "message": _(
                    "error_heading_number",
                    default="Number a heading with Roman (I, II…) or Arabic (1, 2…) numerals.")})
            title = _text(row, "title", errors, f"{prefix}.title", required=True)
            clean.append({"kind": "heading", "number": number, "title": title})
            continue
        if kind != "entry":
            errors.append({"field": f"{prefix}.kind", "message": _(
                "error_schedule_kind", default="A row is a heading or an entry.")})
            continue
        notation = _text(row, "notation", errors, f"{prefix}.notation", required=True, max_length=20)
        if notation:
            try:
                check_notation(notation)
            except Exception:  # noqa: BLE001 - the schema's ValidationError
                errors.append({"field": f"{prefix}.notation", "message": _(
                    "error_dossier_notation",
                    default="The notation must be at most 20 letters, digits, dots or hyphens, "
                            "e.g. 01.TCCB.")})
            if notation.lower() in seen:
                errors.append({"field": f"{prefix}.notation", "message": _(
                    "error_notation_twice", default="The notation ${notation} is used twice.",
                    mapping={"notation": notation})})
            seen.add(notation.lower())
        title = _text(row, "title", errors, f"{prefix}.title", required=True)
        retention = _check_retention(row.get("retention"), f"{prefix}.retention", errors)
        unit = _text(row, "unit", errors, f"{prefix}.unit", max_length=100)
        if unit and get_department(agency, unit) is None:
            errors.append({"field": f"{prefix}.unit", "message": _(
                "error_unknown_department", default="Unknown department: ${value}.",
                mapping={"value": unit})})
        person = _text(row, "person", errors, f"{prefix}.person", max_length=200)
        note = _text(row, "note", errors, f"{prefix}.note", max_length=500)
        clean.append({"kind": "entry", "notation": notation, "title": title, "retention": retention,
                      "unit": unit, "person": person, "note": note})
    if errors:
        _invalid(errors, _("error_schedule_invalid",
                           default="The records schedule was not saved: please correct the errors."))
    return clean


def _schedule_approved(year):
    return DossierError(_("error_schedule_approved",
                          default="The records schedule of ${year} is approved and cannot change.",
                          mapping={"year": year}), status=409)


def _no_schedule(year):
    return DossierError(_("error_no_schedule", default="There is no records schedule for ${year}.",
                          mapping={"year": year}), status=404)


def save_schedule(agency, year, rows):
    """Create or replace the draft schedule of ``year`` (records manager). An approved
    schedule is never changed (409)."""
    _check(MANAGE_SCHEDULE, agency)
    year = _year(year)
    clean = clean_schedule_rows(agency, rows)
    store = _schedules(agency, create=True)
    current = store.get(year)
    if current is not None and current["state"] != "draft":
        raise _schedule_approved(year)
    if current is None:
        current = store[year] = PersistentMapping(state="draft", rows=[])
    current["rows"] = clean
    current["changed_by"] = _userid()
    current["changed_at"] = _now_iso()
    return get_schedule(agency, year)


def approve_schedule(agency, year):
    """The leader approves the draft of ``year`` (it must have at least one entry)."""
    _check(APPROVE_SCHEDULE, agency)
    year = _year(year)
    store = _schedules(agency)
    current = store.get(year) if store is not None else None
    if current is None:
        raise _no_schedule(year)
    if current["state"] != "draft":
        raise _schedule_approved(year)
    if not any(r["kind"] == "entry" for r in current["rows"]):
        _invalid([{"field": "rows", "message": _("error_schedule_empty",
                                                 default="The schedule has no dossier yet.")}])
    current["state"] = "approved"
    current["approved_by"] = _userid()
    current["approved_at"] = _now_iso()
    return get_schedule(agency, year)


def copy_forward(agency, year):
    """Copy the schedule of ``year`` to ``year + 1`` as a draft (records manager)."""
    _check(MANAGE_SCHEDULE, agency)
    year = _year(year)
    source = get_schedule(agency, year)
    if source is None:
        raise _no_schedule(year)
    store = _schedules(agency, create=True)
    if year + 1 in store:
        raise DossierError(_("error_schedule_exists",
                             default="The records schedule of ${year} already exists.",
                             mapping={"year": year + 1}), status=409)
    store[year + 1] = PersistentMapping(state="draft", rows=source["rows"], copied_from=year,
                                        changed_by=_userid(), changed_at=_now_iso())
    return get_schedule(agency, year + 1)


def schedule_entry(agency, year, notation):
    """The entry ``notation`` of the schedule of ``year`` (a dict), or None."""
    schedule = get_schedule(agency, year)
    for row in (schedule or {}).get("rows", ()):
        if row["kind"] == "entry" and row["notation"].lower() == str(notation).lower():
            return row
    return None


def schedule_totals(schedule):
    """{retention: number of entries} in the order permanent, then years ascending."""
    counts = {}
    for row in schedule["rows"]:
        if row["kind"] == "entry":
            counts[row["retention"]] = counts.get(row["retention"], 0) + 1
    order = sorted(counts, key=lambda r: (r != PERMANENT, int(r) if r.isdigit() else 0))
    return {r: counts[r] for r in order}


# --------------------------------------------------------------------------- dossiers: storage


def dossiers_root(agency, create=False):
    return storage.register_root(agency, root_id=ROOT_ID, portal_type="DossierFolder",
                                 title="Hồ sơ", create=create)


def year_folder(agency, year, create=False):
    return storage.year_folder(agency, year, root_id=ROOT_ID, portal_type="DossierFolder",
                               root_title="Hồ sơ", year_title="Hồ sơ năm {year}", create=create)


def file_code(agency, year, notation):
    """FileCode of Phụ lục VI: agency code (OrganId), year (FileCatalog), notation (FileNotation)."""
    return f"{agency.agency_code}.{year}.{notation}"


def _staff_ids(agency):
    ids = set()
    for gid in group_ids(agency).values():
        ids |= group_members(gid)
    return ids


def _date(value, field, errors):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    errors.append({"field": field, "message": _("error_dossier_bad_date",
                                                default="Enter a date as dd/mm/yyyy.")})
    return None


def _id_list(value, field, errors):
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [v for v in re.split(r"[\s,;]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append({"field": field, "message": _("error_id_list", default="Enter a list of ids.")})
        return []
    return sorted({v.strip() for v in value if v.strip()})


def clean_dossier(raw, *, agency, current=None):
    """Validated values from ``raw`` (REST body or form); unknown keys are refused.

    ``current`` is the dossier being edited (None when creating): only the keys given
    are checked then, against the dossier's other values.
    """
    errors = []
    if not isinstance(raw, dict):
        _invalid([{"field": None, "message": _("error_bad_json",
                                               default="The request body must be a JSON object.")}])
    unknown = sorted(set(raw) - set(INPUT_FIELDS))
    for key in unknown:
        errors.append({"field": key, "message": _("error_unknown_field",
                                                  default="Unknown or read-only field.")})
    values = {}
    creating = current is None

    def given(key):
        return creating or key in raw

    if given("title"):
        values["title"] = _text(raw, "title", errors, "title", required=True)
    if given("notation"):
        notation = _text(raw, "notation", errors, "notation", required=True, max_length=20)
        if notation:
            try:
                check_notation(notation)
            except Exception:  # noqa: BLE001
                errors.append({"field": "notation", "message": _(
                    "error_dossier_notation",
                    default="The notation must be at most 20 letters, digits, dots or hyphens, "
                            "e.g. 01.TCCB.")})
        values["notation"] = notation
    if given("retention"):
        values["retention"] = _check_retention(raw.get("retention"), "retention", errors)
    if given("access"):
        access = raw.get("access") or PUBLIC
        if access not in (PUBLIC, RESTRICTED):
            errors.append({"field": "access", "message": _(
                "error_dossier_access", default="Access is public or restricted.")})
        values["access"] = access
    staff = None
    if given("access_people"):
        people = _id_list(raw.get("access_people"), "access_people", errors)
        staff = _staff_ids(agency)
        for userid in people:
            if userid not in staff:
                errors.append({"field": "access_people", "message": _(
                    "error_dossier_not_staff", default="${value} is not on the staff of this agency.",
                    mapping={"value": userid})})
        values["access_people"] = people
    if given("access_units"):
        units = _id_list(raw.get("access_units"), "access_units", errors)
        for unit in units:
            if get_department(agency, unit) is None:
                errors.append({"field": "access_units", "message": _(
                    "error_unknown_department", default="Unknown department: ${value}.",
                    mapping={"value": unit})})
        values["access_units"] = units
    if given("responsible"):
        responsible = _text(raw, "responsible", errors, "responsible", max_length=100) or None
        if responsible:
            staff = staff if staff is not None else _staff_ids(agency)
            if responsible not in staff:
                errors.append({"field": "responsible", "message": _(
                    "error_dossier_not_staff", default="${value} is not on the staff of this agency.",
                    mapping={"value": responsible})})
        values["responsible"] = responsible
    if given("department"):
        dept = _text(raw, "department", errors, "department", max_length=100) or None
        if dept and get_department(agency, dept) is None:
            errors.append({"field": "department", "message": _(
                "error_unknown_department", default="Unknown department: ${value}.",
                mapping={"value": dept})})
        values["department"] = dept
    for key in ("start_date", "end_date"):
        if given(key):
            values[key] = _date(raw.get(key), key, errors)
    if given("dossier_language"):
        values["dossier_language"] = _text(raw, "dossier_language", errors, "dossier_language",
                                           max_length=50) or "Tiếng Việt"
    if given("description"):
        values["description"] = _text(raw, "description", errors, "description") or ""
    if given("construction_project"):
        flag = raw.get("construction_project", False)
        flag = flag.strip().lower() if isinstance(flag, str) else flag
        if flag in (True, "1", "true", "on", "yes"):
            values["construction_project"] = True
        elif flag in (False, None, "", "0", "false", "off", "no"):
            values["construction_project"] = False
        else:
            errors.append({"field": "construction_project", "message": _(
                "error_dossier_construction",
                default="Say yes or no: is it the dossier of a construction project?")})
    start = values.get("start_date", getattr(current, "start_date", None))
    end = values.get("end_date", getattr(current, "end_date", None))
    if start and end and end < start:
        errors.append({"field": "end_date", "message": _(
            "error_end_before_start", default="The end date is before the start date.")})
    access = values.get("access", getattr(current, "access", PUBLIC))
    people = values.get("access_people", getattr(current, "access_people", ()))
    units = values.get("access_units", getattr(current, "access_units", ()))
    if access == RESTRICTED and not people and not units:
        errors.append({"field": "access_people", "message": _(
            "error_restricted_nobody",
            default="Name the people or departments who may see a restricted dossier.")})
    if errors:
        _invalid(errors, _("error_dossier_invalid", default="Nothing was saved: please correct the errors."))
    return values


def _find_by_code(agency, code):
    return api.content.find(portal_type="Dossier", qlvb_file_code=code, unrestricted=True,
                            path="/".join(agency.getPhysicalPath()))


def create_dossier(agency, values, *, year=None):
    """A new open dossier in ``agency`` from :func:`clean_dossier` values; returns it.

    ``year`` (default: this year, Vietnam time) is the schedule year: the file code is
    agency code + year + notation and must be unique. When the schedule of that year has
    an entry with this notation, the dossier records it (``schedule_entry``).
    """
    _check(ADD_DOSSIER, agency)
    year = _year(year or today().year)
    code = check_file_code_free(agency, year, values["notation"])
    userid = _userid()
    values = dict(values)
    values.setdefault("responsible", None)
    if not values.get("responsible"):
        values["responsible"] = userid
    if not values.get("department") and userid:
        depts = departments_of(agency=agency, userid=userid)
        values["department"] = depts[0] if len(depts) == 1 else None
    if not values.get("start_date"):
        values["start_date"] = today()
    folder = year_folder(agency, year, create=True)
    dossier = createContent("Dossier", **values)
    dossier.id = new_document_id(folder, ID_PREFIX)
    dossier.year = year
    dossier.file_code = code
    entry = schedule_entry(agency, year, values["notation"])
    dossier.schedule_entry = values["notation"] if entry else None
    folder._setObject(dossier.id, dossier)
    dossier = folder[dossier.id]
    if userid:
        dossier.manage_setLocalRoles(userid, ["Owner"])
    sync_local_roles(dossier)
    _log(dossier, "create")
    dossier.reindexObject()
    return dossier


def check_file_code_free(agency, year, notation, dossier=None):
    """:class:`DossierError` when another dossier of ``agency`` has this file code."""
    code = file_code(agency, year, notation)
    own = api.content.get_uuid(dossier) if dossier is not None else None
    if any(b.UID != own for b in _find_by_code(agency, code)):
        _invalid([{"field": "notation", "message": _(
            "error_file_code_taken", default="The dossier ${code} already exists.",
            mapping={"code": code})}])
    return code


def update_dossier(dossier, values):
    """Apply :func:`clean_dossier` values (a PATCH) and keep roles, code and index in step."""
    _check("Modify portal content", dossier)
    if "notation" in values and values["notation"] != dossier.notation:
        check_file_code_free(get_agency(dossier), dossier.year, values["notation"], dossier)
    for key, value in values.items():
        setattr(dossier, key, value)
    dossier_modified(dossier)
    return dossier


def dossier_modified(dossier, event=None):
    """After any edit (form, PATCH, :func:`update_dossier`): file code, local roles, index."""
    agency = get_agency(dossier)
    if agency is None or dossier.year is None:
        return
    dossier.file_code = file_code(agency, dossier.year, dossier.notation)
    sync_local_roles(dossier)
    dossier.reindexObject()


def get_dossier(uid):
    """The dossier with this UID that the current user may see, or None."""
    brains = api.content.find(UID=uid, portal_type="Dossier") if uid else ()
    return brains[0].getObject() if len(brains) else None


def sync_local_roles(dossier):
    """Local roles on the dossier from its responsible person and its access.

    ``QlvbDossierOwner``: the responsible person. ``QlvbDossierReader``: for a public
    dossier every staff group of the agency; for a restricted one the named people and
    the members groups of the named departments. Records managers and leaders see every
    dossier through their agency role (see the workflow).
    """
    agency = get_agency(dossier)
    wanted = {}
    if dossier.responsible:
        wanted.setdefault(dossier.responsible, set()).add(OWNER_ROLE)
    if getattr(dossier, "access", PUBLIC) == RESTRICTED:
        principals = list(dossier.access_people or ())
        for unit in dossier.access_units or ():
            dept = get_department(agency, unit)
            gid = members_group_id(dept) if dept is not None else None
            if gid:
                principals.append(gid)
    else:
        principals = list(group_ids(agency).values())
    for principal in principals:
        wanted.setdefault(principal, set()).add(READER_ROLE)
    ours = {OWNER_ROLE, READER_ROLE}
    for principal, roles in list(dossier.get_local_roles()):
        keep = [r for r in roles if r not in ours]
        if set(roles) & ours:
            if keep:
                dossier.manage_setLocalRoles(principal, keep)
            else:
                dossier.manage_delLocalRoles([principal])
    for principal, roles in wanted.items():
        current = dict(dossier.get_local_roles()).get(principal, ())
        dossier.manage_setLocalRoles(principal, sorted(set(current) | roles))
    dossier.reindexObjectSecurity()


def _log(dossier, action, reason=None):
    dossier.qlvb_log = tuple(dossier.qlvb_log) + (
        {"action": action, "by": _userid(), "at": _now_iso(), "reason": reason},)


def log_entries(dossier):
    return [dict(e) for e in dossier.qlvb_log]


# --------------------------------------------------------------------------- documents in dossiers


def _document_date(doc):
    value = getattr(doc, "issued_date", None)
    if value is None:
        arrival = getattr(doc, "arrival_date", None)
        value = arrival.date() if isinstance(arrival, datetime.datetime) else arrival
    return value


def _notation(doc):
    method = getattr(aq_base(doc), "notation", None)
    if callable(method):
        return doc.notation() or ""
    number = getattr(doc, "code_number", None)
    notation = getattr(doc, "code_notation", None)
    if number and notation:
        return f"{number}/{notation}"
    return number or notation or ""


def _author(doc):
    for key in ("issuing_agency_name", "author"):
        if getattr(doc, key, None):
            return getattr(doc, key)
    agency = get_agency(doc)
    return agency.title if agency is not None else ""


def _pages(doc):
    pages = getattr(doc, "page_amount", None)
    if pages:
        return int(pages)
    file = getattr(doc, "file", None)
    if file is None:
        return None
    from dongthap.qlvb.documents.pdfpages import count_pages

    return count_pages(file)


def _is_draft(doc):
    state = api.content.get_state(doc, default=None)
    return state in DRAFT_STATES.get(doc.portal_type, ())


def _resolve_all(uids):
    """{uid: document} for the referenced uids, whatever the user may see (system use)."""
    if not uids:
        return {}
    catalog = api.portal.get_tool("portal_catalog")
    found = {}
    for brain in catalog.unrestrictedSearchResults(UID=list(uids)):
        found[brain.UID] = brain._unrestrictedGetObject()
    return found


def documents_of(dossier):
    """The documents of ``dossier`` in ordinal order: [(ordinal, document)] (missing ones skipped)."""
    items = list(dossier.qlvb_items)
    found = _resolve_all([i["uid"] for i in items])
    return [(i["ordinal"], found[i["uid"]]) for i in items if i["uid"] in found]


def describe(doc):
    """The columns of Mục lục văn bản trong hồ sơ for one document (plus url, state, kind)."""
    return {
        "uid": api.content.get_uuid(doc),
        "url": doc.absolute_url(),
        "portal_type": doc.portal_type,
        "title": doc.title,
        "notation": _notation(doc),
        "issued_date": _document_date(doc),
        "author": _author(doc),
        "pages": getattr(doc, "page_amount", None),
        "state": api.content.get_state(doc, default=None),
    }


def dossier_items(dossier):
    """The documents of the dossier as rows (ordinal + :func:`describe`). Documents the
    current user may not see are listed with their ordinal and no details."""
    user_can = {b.UID for b in api.content.find(UID=[i["uid"] for i in dossier.qlvb_items])} \
        if dossier.qlvb_items else set()
    found = _resolve_all([i["uid"] for i in dossier.qlvb_items])
    rows = []
    for item in dossier.qlvb_items:
        doc = found.get(item["uid"])
        row = {"ordinal": item["ordinal"], "uid": item["uid"], "filed_by": item.get("by"),
               "filed_at": item.get("at")}
        if doc is not None and item["uid"] in user_can:
            row.update(describe(doc))
            row["visible"] = True
        else:
            row["visible"] = False
        rows.append(row)
    return rows


def _agency_docs(agency, uids):
    """{uid: document} for ``uids`` the current user may see in ``agency``; errors for the rest."""
    errors, docs = [], {}
    if not isinstance(uids, list) or not uids or not all(isinstance(u, str) and u for u in uids):
        _invalid([{"field": "documents", "message": _(
            "error_documents_list", default="Choose at least one document.")}])
    path = "/".join(agency.getPhysicalPath())
    visible = {b.UID: b for b in api.content.find(UID=list(uids), object_provides=IQlvbDocument,
                                                  path=path)}
    for uid in uids:
        brain = visible.get(uid)
        if brain is None:
            errors.append({"field": "documents", "message": _(
                "error_document_unknown", default="No document ${uid} that you may see in this agency.",
                mapping={"uid": uid})})
            continue
        doc = docs[uid] = brain.getObject()
        problem = filing_problem(doc)
        if problem is not None:
            errors.append({"field": "documents", "message": problem})
    if errors:
        _invalid(errors, _("error_filing_invalid", default="Nothing was filed: please correct the errors."))
    return docs


#: Document states in which a document is never filed into another dossier.
UNFILEABLE_STATES = {"archived"}


def filing_problem(doc):
    """Why ``doc`` cannot be filed into a dossier (a translatable message), or None.

    An archived document went to the archive with its dossier: it is read-only there and
    is filed into nothing else.
    """
    if api.content.get_state(doc, default=None) in UNFILEABLE_STATES:
        return _("error_document_archived",
                 default="\"${title}\" is archived with its dossier: it cannot be filed into "
                         "another dossier.",
                 mapping={"title": doc.title})
    return None


def _renumber(items):
    return tuple(dict(item, ordinal=n) for n, item in enumerate(items, 1))


def file_documents(dossier, uids):
    """File the documents ``uids`` (a list) into the open ``dossier``; returns their ordinals.

    The user must be allowed to file into the dossier and to see each document, which
    must belong to the dossier's agency. A document already in the dossier keeps its
    ordinal; new ones get the next ordinals in the order given.
    """
    _check(FILE_INTO, dossier)
    if api.content.get_state(dossier) != "open":
        raise DossierError(_("error_dossier_not_open", default="The dossier is not open."), status=409)
    _agency_docs(get_agency(dossier), uids)
    items = list(dossier.qlvb_items)
    present = {i["uid"]: i["ordinal"] for i in items}
    result = {}
    for uid in dict.fromkeys(uids):
        if uid in present:
            result[uid] = present[uid]
            continue
        ordinal = len(items) + 1
        items.append({"uid": uid, "ordinal": ordinal, "by": _userid(), "at": _now_iso()})
        result[uid] = present[uid] = ordinal
    dossier.qlvb_items = tuple(items)
    refresh_totals(dossier)
    return result


def unfile_documents(dossier, uids):
    """Take the documents out of the open ``dossier`` (the documents stay); renumbers."""
    _check(FILE_INTO, dossier)
    if api.content.get_state(dossier) != "open":
        raise DossierError(_("error_dossier_not_open", default="The dossier is not open."), status=409)
    if not isinstance(uids, list) or not uids:
        _invalid([{"field": "documents", "message": _(
            "error_documents_list", default="Choose at least one document.")}])
    present = {i["uid"] for i in dossier.qlvb_items}
    missing = [u for u in uids if u not in present]
    if missing:
        _invalid([{"field": "documents", "message": _(
            "error_not_in_dossier", default="${uid} is not in this dossier.", mapping={"uid": u})}
            for u in missing])
    gone = set(uids)
    dossier.qlvb_items = _renumber([i for i in dossier.qlvb_items if i["uid"] not in gone])
    refresh_totals(dossier)


def record_added(record, event=None):
    """A DossierRecord added into a dossier is filed into it (subscriber)."""
    dossier = record.__parent__
    if not IDossier.providedBy(dossier):
        return
    uid = api.content.get_uuid(record)
    if any(i["uid"] == uid for i in dossier.qlvb_items):
        return
    dossier.qlvb_items = tuple(dossier.qlvb_items) + (
        {"uid": uid, "ordinal": len(dossier.qlvb_items) + 1, "by": _userid(), "at": _now_iso()},)
    refresh_totals(dossier)


def record_removed(record, event=None):
    dossier = getattr(event, "oldParent", None)
    if dossier is None or not IDossier.providedBy(dossier):
        return
    uid = api.content.get_uuid(record)
    dossier.qlvb_items = _renumber([i for i in dossier.qlvb_items if i["uid"] != uid])
    refresh_totals(dossier)


def refresh_totals(dossier):
    """Document count and page total (filled by the system); reindexes the dossier."""
    total, pages = 0, 0
    for _ordinal, doc in documents_of(dossier):
        total += 1
        pages += getattr(doc, "page_amount", None) or 0
    dossier.doc_total = total
    dossier.page_total = pages
    dossier.reindexObject()


def dossiers_of(document):
    """The dossiers (brains the current user may see) that hold ``document``."""
    return list(api.content.find(portal_type="Dossier", qlvb_documents=api.content.get_uuid(document),
                                 sort_on="qlvb_file_code"))


def dossier_uids_of(document):
    """UIDs of every dossier holding ``document``, whoever may see them (system use: archive)."""
    catalog = api.portal.get_tool("portal_catalog")
    return [b.UID for b in catalog.unrestrictedSearchResults(
        portal_type="Dossier", qlvb_documents=api.content.get_uuid(document))]


def fileable_dossiers(agency, userid=None):
    """Open dossiers of ``agency`` the current user may file into (brains, by file code)."""
    return list(_fileable(agency))


def has_fileable_dossier(agency):
    """Whether the current user may file into at least one open dossier of ``agency``."""
    return next(_fileable(agency), None) is not None


def _fileable(agency):
    path = "/".join(agency.getPhysicalPath())
    brains = api.content.find(portal_type="Dossier", review_state="open", path=path, sort_on="qlvb_file_code")
    return (b for b in brains if api.user.has_permission(FILE_INTO, obj=b.getObject()))


def my_open_dossiers(agency, userid=None):
    """Open dossiers of ``agency`` whose responsible person is ``userid`` (default: the user)."""
    userid = userid or _userid()
    from dongthap.qlvb.documents.queries import find

    return list(find(portal_type="Dossier", review_state="open", qlvb_dossier_responsible=userid,
                     path="/".join(agency.getPhysicalPath()), sort_on="qlvb_file_code"))


def agency_dossiers(agency, *, state=None, department=None, year=None):
    """Dossiers of ``agency`` the user may see, filtered; brains sorted by file code."""
    query = {"portal_type": "Dossier", "path": "/".join(agency.getPhysicalPath()),
             "sort_on": "qlvb_file_code"}
    if state:
        query["review_state"] = state
    if department:
        query["qlvb_dossier_department"] = department
    if year:
        query["qlvb_dossier_year"] = int(year)
    return list(api.content.find(**query))


def unfiled_count(agency):
    """How many documents of ``agency`` (that the user may see) are in no dossier: two catalog
    lengths, no document loaded (the desk)."""
    from dongthap.qlvb.documents.queries import find
    from Products.CMFCore.indexing import processQueue

    processQueue()
    catalog = api.portal.get_tool("portal_catalog")
    query = {"object_provides": IQlvbDocument.__identifier__, "path": "/".join(agency.getPhysicalPath())}
    query["portal_type"] = ["IncomingDocument", "OutgoingDocument"]  # records sit in their dossier
    total = len(find(**query))
    filed = list(catalog._catalog.getIndex("qlvb_documents").uniqueValues())
    if not filed or not total:
        return total
    return total - len(find(UID=filed, **query))


def unfiled_documents(agency, *, limit=500):
    """Documents of ``agency`` (that the user may see) in no dossier, newest first (brains)."""
    from Products.CMFCore.indexing import processQueue

    processQueue()  # the index is read directly: pending reindexing first
    catalog = api.portal.get_tool("portal_catalog")
    index = catalog._catalog.getIndex("qlvb_documents")
    filed = set(index.uniqueValues())
    brains = api.content.find(object_provides=IQlvbDocument, path="/".join(agency.getPhysicalPath()),
                              sort_on="created", sort_order="descending")
    out = []
    for brain in brains:
        if brain.UID not in filed and brain.portal_type != "DossierRecord":
            out.append(brain)
            if len(out) >= limit:
                break
    return out


# --------------------------------------------------------------------------- lifecycle


def closing_problems(dossier):
    """What keeps ``dossier`` from closing: [{field, message}] (empty when it may close)."""
    problems = []
    for key in ("title", "notation", "retention"):
        if not getattr(dossier, key, None):
            problems.append({"field": key, "message": _("error_required", default="Required.")})
    docs = documents_of(dossier)
    if not docs:
        problems.append({"field": "documents", "message": _(
            "error_close_empty", default="The dossier holds no document.")})
    for ordinal, doc in docs:
        if _is_draft(doc):
            problems.append({"field": "documents", "message": _(
                "error_close_draft",
                default="Document no. ${ordinal} (${title}) is still a draft or not registered.",
                mapping={"ordinal": ordinal, "title": doc.title})})
    return problems


def close_dossier(dossier, comment=""):
    """Close the open dossier after checking :func:`closing_problems`.

    The system fills what is missing: ordinals in chronological order, start and end
    dates from the documents, page counts of documents without one, the totals, the
    responsible person, the language.
    """
    if api.content.get_state(dossier) != "open":
        raise DossierError(_("error_dossier_not_open", default="The dossier is not open."), status=409)
    with _transition(dossier, "close") as run:
        _close(dossier, run, comment)
    return dossier


def _close(dossier, run, comment):
    problems = closing_problems(dossier)
    if problems:
        raise DossierError(_("error_close_refused", default="The dossier cannot be closed yet."), problems)
    docs = documents_of(dossier)
    for _ordinal, doc in docs:
        if not getattr(doc, "page_amount", None):
            pages = _pages(doc)
            if pages:
                doc.page_amount = pages
                doc.reindexObject(idxs=[])
    ordered = sorted(docs, key=lambda pair: (_document_date(pair[1]) or datetime.date.max, pair[0]))
    uid_of = {id(doc): api.content.get_uuid(doc) for _o, doc in ordered}
    by_uid = {i["uid"]: i for i in dossier.qlvb_items}
    dossier.qlvb_items = _renumber([by_uid[uid_of[id(doc)]] for _o, doc in ordered])
    dates = [d for d in (_document_date(doc) for _o, doc in ordered) if d]
    if dates:
        if not dossier.start_date or dossier.start_date > min(dates):
            dossier.start_date = min(dates)
        if not dossier.end_date:
            dossier.end_date = max(dates)
    if not dossier.end_date:
        dossier.end_date = today()
    if not dossier.responsible:
        dossier.responsible = _userid()
    if not getattr(dossier, "dossier_language", None):
        dossier.dossier_language = "Tiếng Việt"
    refresh_totals(dossier)
    run(comment)
    dossier.reindexObject()


@contextlib.contextmanager
def _transition(dossier, transition):
    """Open the workflow guard for ``transition`` (see ``Dossier.qlvb_guard``), check that
    the user's roles allow it (403 otherwise) and yield a function that runs it."""
    dossier._v_qlvb_transition = transition
    try:
        wf = api.portal.get_tool("portal_workflow")
        if transition not in {t["id"] for t in wf.getTransitionsFor(dossier)}:
            _forbidden()

        def run(comment=""):
            api.content.transition(obj=dossier, transition=transition, comment=comment or "")
            _log(dossier, transition, comment or None)

        yield run
    finally:
        dossier._v_qlvb_transition = None


def allowed_transitions(dossier):
    """The transitions the current user may run on ``dossier`` through this API."""
    wf = api.portal.get_tool("portal_workflow")
    allowed = []
    for transition in ("close", "reopen", "transfer", "dispose"):
        dossier._v_qlvb_transition = transition
        try:
            if transition in {t["id"] for t in wf.getTransitionsFor(dossier)}:
                allowed.append(transition)
        finally:
            dossier._v_qlvb_transition = None
    return allowed


def reopen_dossier(dossier, reason):
    """Reopen a closed dossier; the reason is required and logged."""
    if api.content.get_state(dossier) != "closed":
        raise DossierError(_("error_dossier_not_closed", default="The dossier is not closed."), status=409)
    reason = " ".join(str(reason or "").split()) if isinstance(reason, (str, type(None))) else ""
    with _transition(dossier, "reopen") as run:
        if not reason:
            _invalid([{"field": "reason", "message": _(
                "error_reopen_reason", default="Give the reason for reopening the dossier.")}])
        run(reason)
    return dossier


def transfer_dossier(dossier, comment=""):
    """Mark a closed dossier transferred to the archive (the archive's acceptance calls this).

    :class:`~dongthap.qlvb.dossiers.events.DossierTransferred` is notified (by the
    workflow subscriber, whatever the path of the transition).
    """
    if api.content.get_state(dossier) != "closed":
        raise DossierError(_("error_dossier_not_closed", default="The dossier is not closed."), status=409)
    with _transition(dossier, "transfer") as run:
        run(comment)
    return dossier


def dispose_dossier(dossier, comment=""):
    """Mark a transferred dossier disposed (the archive's disposal checks holds and approval)."""
    if api.content.get_state(dossier) != "transferred":
        raise DossierError(_("error_dossier_not_transferred", default="The dossier is not transferred."),
                           status=409)
    if dossier.retention == PERMANENT:
        raise DossierError(_("error_dispose_permanent", default="A permanent dossier is never disposed."),
                           status=409)
    with _transition(dossier, "dispose") as run:
        run(comment)
    return dossier


def dossier_info(dossier):
    """The dossier as a plain dict (REST answers, pages, the archive's metadata)."""
    agency = get_agency(dossier)
    dept = get_department(agency, dossier.department) if dossier.department else None
    state = api.content.get_state(dossier)
    return {
        "@id": dossier.absolute_url(),
        "uid": api.content.get_uuid(dossier),
        "agency_code": agency.agency_code,
        "agency_title": agency.title,
        "file_code": dossier.file_code,
        "year": dossier.year,
        "notation": dossier.notation,
        "title": dossier.title,
        "retention": dossier.retention,
        "retention_title": retention_title(dossier.retention),
        "access": getattr(dossier, "access", PUBLIC),
        "access_people": list(dossier.access_people or ()),
        "access_units": list(dossier.access_units or ()),
        "responsible": dossier.responsible,
        "department": dossier.department,
        "department_title": dept.title if dept is not None else None,
        "start_date": dossier.start_date.isoformat() if dossier.start_date else None,
        "end_date": dossier.end_date.isoformat() if dossier.end_date else None,
        "language": getattr(dossier, "dossier_language", None),
        "description": getattr(dossier, "description", "") or "",
        "construction_project": bool(getattr(dossier, "construction_project", False)),
        "doc_total": dossier.doc_total,
        "page_total": dossier.page_total,
        "schedule_entry": dossier.schedule_entry,
        "review_state": state,
        "state_title": STATE_TITLES.get(state, state),
    }
