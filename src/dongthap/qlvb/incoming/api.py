"""The API of incoming documents, shared by the REST services and the forms.

Every write runs through :func:`dongthap.qlvb.numbering.run_in_transaction`:
it commits on its own with a bounded, jittered retry on ZODB conflicts, and
aborts everything on any other error (nothing is half-created). Functions
check permissions of the current user through ``plone.api`` (views and
services check them too). Messages are translatable (``IncomingError``).
"""

from Acquisition import aq_inner
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.incoming import check_dates
from dongthap.qlvb.content.incoming import duplicate_key
from dongthap.qlvb.content.incoming import FIELDS
from dongthap.qlvb.content.incoming import new_document_id  # noqa: F401 - used by callers
from dongthap.qlvb.content.incoming import REGISTER
from dongthap.qlvb.documents import common
from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import fmt_datetime  # noqa: F401 - used by callers
from dongthap.qlvb.documents.common import now  # noqa: F401 - used by callers
from dongthap.qlvb.documents.common import parse_date  # noqa: F401 - used by callers
from dongthap.qlvb.documents.trail import add_trail
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.utils.secrecy import secrecy_errors
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import SOURCES
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api
from plone.namedfile.file import NamedBlobFile
from Products.CMFCore.WorkflowCore import WorkflowException


INCOMING_REGISTER = counter.INCOMING
ADD_PERMISSION = "dongthap.qlvb: Add incoming document"
ASSIGN_PERMISSION = "dongthap.qlvb: Assign incoming document"
PROGRESS_PERMISSION = "dongthap.qlvb: Record progress on incoming document"
WORK_PERMISSION = "dongthap.qlvb: View incoming work"
REGISTERS_PERMISSION = "dongthap.qlvb: View incoming registers"

STATES = ("received", "registered", "assigned", "in_progress", "completed", "archived", "refused")
STATE_TITLES = {
    "received": _("state_received", default="Waiting for registration"),
    "registered": _("state_registered", default="Registered"),
    "assigned": _("state_assigned", default="Assigned"),
    "in_progress": _("state_in_progress", default="In progress"),
    "completed": _("state_completed", default="Completed"),
    "archived": _("state_archived", default="Archived"),
    "refused": _("state_refused", default="Refused"),
}
TRANSITION_TITLES = {
    "create": _("trail_create", default="Received"),
    "register": _("transition_register", default="Register"),
    "refuse": _("transition_refuse", default="Refuse"),
    "assign": _("transition_assign", default="Assign"),
    "start": _("transition_start", default="Start handling"),
    "complete": _("transition_complete", default="Complete"),
    "reopen": _("transition_reopen", default="Reopen"),
    "archive": _("transition_archive", default="Archive"),
    "reassign": _("trail_reassign", default="Re-assigned"),
    "end_assignment": _("trail_end_assignment", default="Assignment ended"),
    "progress": _("trail_progress", default="Progress recorded"),
}

#: Fields a client may set, in form order (system fields are not here).
INPUT_FIELDS = (
    "title", "document_type", "code_number", "code_notation", "issued_date",
    "issuing_agency_name", "issuing_agency_code", "signer_name", "signer_position",
    "urgency", "due_date", "page_amount", "source",
)
_CHOICES = {
    "document_type": set(DOCUMENT_TYPES),
    "urgency": {key for key, _t in URGENCY},
    "source": {key for key, _t in SOURCES},
}
_CHOICE_ERRORS = {
    "document_type": _("error_unknown_document_type", default="Unknown document type: ${value}."),
    "urgency": _("error_unknown_urgency", default="Unknown urgency: ${value}."),
    "source": _("error_unknown_source", default="Unknown source: ${value}."),
}


#: Bad input or a forbidden action: the one error type (see ``docs/errors.md``).
IncomingError = QlvbError


class PendingFile:
    """A validated upload, turned into a *new* blob by every attempt of a transaction.

    A blob object must never be reused after an aborted attempt: it would keep
    the object id of the aborted commit and fail with a POSKeyError.
    """

    def __init__(self, data, filename):
        self.data = data
        self.filename = filename or "van-ban.pdf"

    def make(self):
        # The real type is decided by the content (PDF magic), not the declared type.
        return NamedBlobFile(data=self.data, filename=self.filename, contentType="application/pdf")


def make_file(data, filename, content_type="application/pdf"):
    return PendingFile(data, filename)


def materialize(values):
    """Field values for one attempt: fresh blobs for every pending file."""
    out = {}
    for name, value in values.items():
        if isinstance(value, PendingFile):
            value = value.make()
        elif isinstance(value, list) and value and isinstance(value[0], PendingFile):
            value = [item.make() for item in value]
        out[name] = value
    return out


def scan_uploads(data, *, partial=False, agency=None, context=None):
    """Scan every uploaded file *first*, whatever else is wrong with it.

    Malware is refused as malware (and recorded as an incident for the
    security officer) even when it would also be refused as "not a PDF".
    Raises :class:`IncomingError` (400 infected, 503 scanner unavailable).
    """
    if agency is None and context is not None:
        agency = get_agency(context)
    common.scan_raw_uploads(data, IncomingError, path_of_entry="incoming", partial=partial,
                            agency=agency, context=context)


def clean(data, *, partial=False, context=None, agency=None):
    """Validate raw input (strings from a form or JSON) into field values.

    ``data`` may hold ``file`` / ``attachments`` as ``(bytes, filename)``
    tuples; they are scanned for malware before anything else
    (:func:`scan_uploads`; ``agency``, or the agency of ``context``, gets the
    incident). The shared validation (:mod:`dongthap.qlvb.documents.validation`)
    then checks types, the schema fields and the files. Raises :class:`IncomingError`
    listing every problem at once (status 413 when a file is too large).
    """
    scan_uploads(data, partial=partial, agency=agency, context=context)
    errors = []
    values = {}
    for name in INPUT_FIELDS:
        if partial and name not in data:
            continue
        field = FIELDS[name]
        value, problem = validation.field_value(FIELDS, name, data.get(name), context=context)
        if problem is None and value is not None and name in _CHOICES and value not in _CHOICES[name]:
            msg = _CHOICE_ERRORS[name]
            problem = {"field": name, "message": _(msg, default=msg.default,
                                                   mapping={"value": validation.short(value)})}
        if problem is not None:
            errors.append(problem)
            continue
        if value is None and not field.required:
            values[name] = None
        elif value is not None:
            values[name] = value
    files, problems = validation.document_files(data, FIELDS, partial=partial)
    errors.extend(problems)
    if "file" in files:
        values["file"] = make_file(*files["file"])
    if "attachments" in files:
        values["attachments"] = [make_file(*item) for item in files["attachments"]]
    errors.extend(secrecy_errors(data, ("title", "code_notation")))
    arrival = context.arrival_day() if context is not None else None
    for message in check_dates(values.get("issued_date"), values.get("due_date"), arrival):
        field = "issued_date" if "issue" in str(message) else "due_date"
        errors.append({"field": field, "message": message})
    if errors:
        raise IncomingError(
            _("error_incoming_invalid", default="The document was not saved: please correct the errors."),
            validation.strip_status(errors), status=validation.status_of(errors),
        )
    return values


# ---------------------------------------------------------------- storage


incoming_root = REGISTER.root
year_folder = REGISTER.year_folder
_agency_lock_key = REGISTER.lock_key


# ---------------------------------------------------------------- duplicates


DUPLICATES_SHOWN = 5


def duplicates_of(doc):
    """Other *registered* documents of the agency with the same (số, ký hiệu, issuer).

    At most ``DUPLICATES_SHOWN`` (the earliest): the warning must stay cheap even
    when a number was registered many times.
    """
    key = duplicate_key(doc.code_number, doc.code_notation,
                        doc.issuing_agency_code or doc.issuing_agency_name)
    agency = get_agency(doc)
    root = incoming_root(agency)
    if not key or root is None:
        return []
    brains = api.content.find(
        context=root, portal_type="IncomingDocument", qlvb_incoming_duplicate_key=key,
        review_state=["registered", "assigned", "in_progress", "completed", "archived"],
        sort_on="qlvb_arrival_number", sort_limit=DUPLICATES_SHOWN + 1, unrestricted=True,
    )
    own = api.content.get_uuid(doc)
    return [
        {"url": b.getURL(), "arrival_number": b.qlvb_arrival_number,
         "arrival_date": fmt_date(b.qlvb_arrival_day), "title": b.Title}
        for b in brains[: DUPLICATES_SHOWN + 1] if b.UID != own
    ][:DUPLICATES_SHOWN]


def duplicate_warning(duplicates):
    if not duplicates:
        return None
    numbers = ", ".join(str(d["arrival_number"]) for d in duplicates)
    return _("warning_duplicate_incoming",
             default="A document with the same number, notation and issuing agency was already "
                     "registered (arrival number ${numbers}).",
             mapping={"numbers": numbers})


# ---------------------------------------------------------------- create / register


def _check(permission, obj):
    if not api.user.has_permission(permission, obj=obj):
        raise IncomingError(
            _("error_forbidden", default="You are not allowed to do this."), status=403)


def create(agency, values, *, register=False, comment="", confirm_duplicate=True):
    """Create an incoming document in ``agency`` from :func:`clean` values.

    With ``register`` the document is registered (number assigned) in the
    same transaction. Returns ``{"path", "uid", "arrival_number", "warnings"}``.
    Without ``confirm_duplicate`` a registration of a possible duplicate is
    refused (409) before anything is stored or numbered (:mod:`.duplicates`).
    """
    from dongthap.qlvb.incoming import duplicates

    agency = aq_inner(agency)
    _check(ADD_PERMISSION, agency)
    if register:
        duplicates.check_before_registration(duplicates.for_values(agency, values), confirm_duplicate)

    def work():
        return build_document(agency, values, register=register, comment=comment)

    lock = _agency_lock_key(agency) if register else None
    with common.antivirus_errors(IncomingError):
        return run_in_transaction(work, lock_key=lock, note="qlvb: create incoming document")


def build_document(agency, values, *, register=False, comment=""):
    """The work of :func:`create`, in the *current* transaction (no commit, no check).

    Callers own the transaction: :func:`create` (retried, committed) and bulk
    imports that add many documents in one transaction.
    """
    from dongthap.qlvb.incoming.factory import new_incoming_document

    doc = new_incoming_document(agency, values, comment=comment)
    warnings = []
    if register:
        _transition(doc, "register", comment)
        warning = duplicate_warning(duplicates_of(doc))
        if warning:
            warnings.append(warning)
    return {
        "path": "/".join(doc.getPhysicalPath()),
        "url": doc.absolute_url(),
        "uid": api.content.get_uuid(doc),
        "arrival_number": doc.arrival_number,
        "state": api.content.get_state(doc),
        "warnings": warnings,
    }


def count_pdf_pages(named_file):
    """Pages of a PDF (see :func:`dongthap.qlvb.documents.pdfpages.count_pages`); None if unknown."""
    from dongthap.qlvb.documents.pdfpages import count_pages

    return count_pages(named_file)


def update(doc, values):
    """Correct metadata (clerk, before assignment); never on a copy frozen by a recall."""
    from dongthap.qlvb.recall.api import check_not_frozen

    _check("Modify portal content", doc)
    check_not_frozen(doc)

    def work():
        for name, value in materialize(values).items():
            setattr(doc, name, value)
        doc.reindexObject()
        add_trail(doc, "edit")
        return {"path": "/".join(doc.getPhysicalPath())}

    return run_in_transaction(work, note="qlvb: edit incoming document")


def _transition(doc, transition, comment):
    wftool = api.portal.get_tool("portal_workflow")
    wftool.doActionFor(doc, transition, comment=comment or "")


def _is_possible(wftool, doc, name):
    """Whether the user may trigger transition ``name`` of ``doc`` now (state and guard)."""
    return any(wf.isActionSupported(doc, name) for wf in wftool.getWorkflowsFor(doc))


def transition(doc, name, comment="", confirm_duplicate=True):
    """Run workflow ``name`` on ``doc`` in its own conflict-safe transaction.

    ``register`` numbers the document; the result carries the duplicate
    warnings. Without ``confirm_duplicate`` the registration of a possible
    duplicate is refused (409) before a number is taken (:mod:`.duplicates`).
    Raises :class:`IncomingError` when not allowed.
    """
    from dongthap.qlvb.incoming import duplicates

    doc = aq_inner(doc)
    wftool = api.portal.get_tool("portal_workflow")
    not_allowed = _("error_transition_not_allowed",
                    default="The action \"${action}\" is not possible for this document now.",
                    mapping={"action": TRANSITION_TITLES.get(name, name)})
    if not _is_possible(wftool, doc, name):
        raise IncomingError(not_allowed, status=400 if api.user.has_permission("View", obj=doc) else 403)
    if name == "refuse" and not (comment or "").strip():
        raise IncomingError(_("error_refuse_reason",
                              default="Please give the reason for refusing the document."))
    if name == "register" and not confirm_duplicate:
        from dongthap.qlvb.recall.api import check_not_frozen

        check_not_frozen(doc)
        duplicates.check_before_registration(duplicates.for_document(doc), confirm_duplicate)

    def work():
        # doActionFor checks the guard again on the fresh state of this attempt
        # (cheaper than listing every transition with getTransitionsFor).
        try:
            _transition(doc, name, comment)
        except WorkflowException as problem:
            raise IncomingError(getattr(problem, "message", None) or not_allowed) from problem
        warnings = []
        if name == "register":
            warning = duplicate_warning(duplicates_of(doc))
            if warning:
                warnings.append(warning)
        return {
            "state": api.content.get_state(doc),
            "arrival_number": doc.arrival_number,
            "warnings": warnings,
        }

    agency = get_agency(doc)
    lock = _agency_lock_key(agency) if name == "register" else None
    return run_in_transaction(work, lock_key=lock, note=f"qlvb: incoming {name}")


def state_title(state):
    return STATE_TITLES.get(state, state)
