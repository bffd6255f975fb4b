"""Copies (bản sao): sao y, sao lục, trích sao of an incoming or outgoing document (NĐ 30 Art. 25-27).

The walk of a copy (workflow ``qlvb_copy_workflow``, steps in ``copies/transitions.py``)::

    create (clerk) ─▶ draft ─sign (the chosen signer, a leader)─▶ signed ─issue (clerk)─▶ issued

* **create** (:func:`create`; REST ``POST <agency>/@copies``, the page ``@@sao-van-ban`` of a
  document): the clerk picks the original (a document of his own agency), the form, the
  medium (electronic, or paper to be signed and sealed), the pages of an excerpt, the place,
  the signer and his authority. The copy's PDF is made at once: the original's main file
  (sao y, sao lục), or its pages ``page_from``–``page_to`` (trích sao, pypdf). A paper
  original scanned in must be ≥ 200 dpi (:mod:`dongthap.qlvb.documents.scans`).
* **sign**: only the signer chosen for the copy (a leader), recorded with his authority.
* **issue**: the number from the ONE yearly series of copies of the agency, shared by the
  three forms (``numbering.counter`` series :data:`SERIES`; ``01/SY-UBND``, ``02/SL-UBND``,
  ``03/TrS-UBND``), the date; an electronic copy gets the agency's digital signature at the
  top right of page 1 showing the form, number and time (``signing.api.sign_attachment``);
  a paper copy is marked sealed on paper. The original lists its copies (:data:`COPIES_ATTR`).
"""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.copies import AUTHORITIES
from dongthap.qlvb.content.copies import FIELDS
from dongthap.qlvb.content.copies import FORM_TITLES
from dongthap.qlvb.content.copies import FORMS
from dongthap.qlvb.content.copies import IDocumentCopy
from dongthap.qlvb.content.copies import MEDIA
from dongthap.qlvb.content.copies import REGISTER
from dongthap.qlvb.documents import scans
from dongthap.qlvb.documents import validation
from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import fmt_datetime
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.documents.trail import add_trail
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter
from dongthap.qlvb.numbering import run_in_transaction
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from Products.CMFCore.WorkflowCore import WorkflowException

import io

WORKFLOW_ID = "qlvb_copy_workflow"
ADD_PERMISSION = "dongthap.qlvb: Add document copy"
REGISTER_PERMISSION = "dongthap.qlvb: View register of copies"
#: the counter series of copies (one per agency and year, the three forms together)
SERIES = "copies"
#: on the original: ``[{"uid", "notation", "form"}]`` of its copies
COPIES_ATTR = "qlvb_copies"
ORIGINAL_TYPES = ("IncomingDocument", "OutgoingDocument")
#: states of an original that may be copied (it exists as a document of the agency)
ORIGINAL_STATES = {
    "IncomingDocument": ("registered", "assigned", "in_progress", "completed", "archived"),
    "OutgoingDocument": ("issued", "archived"),
}

STATE_TITLES = {
    "draft": _("state_copy_draft", default="Prepared, waiting for signature"),
    "signed": _("state_copy_signed", default="Signed, waiting to be numbered and sealed"),
    "issued": _("state_copy_issued", default="Issued"),
}
TRANSITION_TITLES = {
    "create": _("trail_copy_create", default="Copy prepared"),
    "sign": _("transition_copy_sign", default="Sign the copy"),
    "issue": _("transition_copy_issue", default="Number and seal the copy"),
}
INPUT_FIELDS = ("original", "copy_form", "copy_medium", "page_from", "page_to", "place", "signer",
                "signer_position", "signing_authority", "recipients")

CopyError = QlvbError


# ---------------------------------------------------------------- reading


def register_root(agency, create=False):
    return REGISTER.root(agency, create=create)


def leaders_of(agency):
    from dongthap.qlvb.outgoing import api as outgoing

    return outgoing.leaders_of(agency)


def fullname(userid):
    from dongthap.qlvb.outgoing import api as outgoing

    return outgoing.fullname(userid)


def notation_text(form, agency):
    """``SY-UBND``: the abbreviation of the form and of the agency."""
    return f"{FORMS[form][0]}-{agency.abbreviation}"


def find_original(agency, ref):
    """The document of ``agency`` with UID (or path below the agency) ``ref``, else ``None``."""
    if not ref or not isinstance(ref, str):
        return None
    path = "/".join(agency.getPhysicalPath())
    brains = api.content.find(UID=ref, portal_type=list(ORIGINAL_TYPES), path=path, unrestricted=True)
    if not brains:
        return None
    return brains[0]._unrestrictedGetObject()


def is_paper_original(doc):
    """A paper original scanned in: a paper incoming document or a paper-signed outgoing one."""
    if doc.portal_type == "IncomingDocument":
        return getattr(doc, "source", None) == "paper"
    return getattr(doc, "qlvb_original_medium", None) == "paper"


def copies_of(original, *, visible=False):
    """The copies made of ``original`` (newest last), from the moment they are prepared, each
    with its ``state`` and ``state_title``; ``visible``: only those the current user may see
    (a copy being prepared or signed is seen by the clerks and leaders, ``copies/workflow.py``)."""
    entries = [dict(entry) for entry in getattr(original, COPIES_ATTR, None) or ()]
    if not entries:
        return []
    brains = api.content.find(UID=[e["uid"] for e in entries], portal_type="DocumentCopy",
                              unrestricted=not visible)
    states = {b.UID: b.review_state for b in brains}
    out = []
    for entry in entries:
        state = states.get(entry["uid"])
        if state is None:
            continue
        entry.update(state=state, state_title=state_title(state))
        out.append(entry)
    return out


def record_on_original(doc):
    """The original lists ``doc`` (at its creation, and again at its issue with number and date)."""
    original = original_of(doc)
    if original is None:
        return
    entries = getattr(original, COPIES_ATTR, None)
    if entries is None:
        entries = PersistentList()
        setattr(original, COPIES_ATTR, entries)
    uid = api.content.get_uuid(doc)
    values = {"uid": uid, "notation": doc.notation(), "form": doc.copy_form, "medium": doc.copy_medium,
              "date": doc.register_date.isoformat() if doc.register_number and doc.register_date else None}
    for entry in entries:
        if entry.get("uid") == uid:
            entry.update(values)
            return
    entries.append(PersistentMapping(values))


def original_of(copy):
    if not copy.original_uid:
        return None
    brains = api.content.find(UID=copy.original_uid, unrestricted=True)
    return brains[0]._unrestrictedGetObject() if brains else None


def original_notation(doc):
    if doc is None:
        return ""
    if doc.portal_type == "IncomingDocument":
        number, notation = doc.code_number, doc.code_notation
        return f"{number}/{notation}" if number and notation else (number or notation or "")
    return doc.notation()


def original_issuer(doc):
    if doc is None:
        return ""
    if doc.portal_type == "IncomingDocument":
        return doc.issuing_agency_name or ""
    agency = get_agency(doc)
    return agency.title if agency is not None else ""


# ---------------------------------------------------------------- input


def _problem(name, message):
    return {"field": name, "message": message}


def clean(agency, data):
    """Checked values of ``data`` (raw REST/form input) for :func:`create`; every problem at once."""
    problems, values = [], {}
    original = find_original(agency, data.get("original"))
    if original is None:
        problems.append(_problem("original", _("error_copy_original_unknown",
                                               default="Choose a document of your agency to copy.")))
    else:
        state = api.content.get_state(original, default=None)
        if state not in ORIGINAL_STATES.get(original.portal_type, ()):
            problems.append(_problem("original", _(
                "error_copy_original_state",
                default="Only a registered incoming document or an issued outgoing document can be copied.")))
        elif getattr(original, "file", None) is None:
            problems.append(_problem("original", _("error_copy_original_no_file",
                                                   default="The original has no file to copy.")))
    values["original"] = original
    for name in ("copy_form", "copy_medium", "place", "signer_position", "recipients", "signing_authority"):
        raw = data.get(name)
        if name in ("copy_form", "copy_medium", "signing_authority") and raw is not None \
                and not isinstance(raw, str):
            problems.append(validation.bad_value(name, FIELDS[name]))  # a list, an object, a number…
            continue
        if name == "copy_form" and raw not in FORMS:
            problems.append(validation.required(name, FIELDS[name]) if not raw else
                            validation.bad_value(name, FIELDS[name]))
            continue
        if name == "copy_medium":
            raw = raw or "electronic"
            if raw not in MEDIA:
                problems.append(validation.bad_value(name, FIELDS[name]))
                continue
        if name == "signing_authority":
            raw = raw or "none"
            if raw not in AUTHORITIES:
                problems.append(validation.bad_value(name, FIELDS[name]))
                continue
        value, problem = _text(name, raw)
        if problem:
            problems.append(problem)
        values[name] = value
    signer = data.get("signer")
    if not isinstance(signer, str) or signer not in leaders_of(agency):
        problems.append(_problem("signer", _("error_copy_signer",
                                             default="The signer must be a leader of the agency.")))
    values["signer"] = signer
    form = values.get("copy_form")
    for name in ("page_from", "page_to"):
        raw = data.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                raise ValueError(raw)
            values[name] = int(raw)
            if not 1 <= values[name] <= 100_000:
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            problems.append(validation.bad_value(name, FIELDS[name]))
            values[name] = None
    if form == "trich_sao":
        first, last = values.get("page_from"), values.get("page_to")
        pages = _pages(original) if original is not None else None
        if not first or not last:
            problems.append(_problem("page_from", _(
                "error_copy_pages_required", default="An excerpt (trích sao) needs the pages to copy.")))
        elif first > last or (pages and last > pages):
            problems.append(_problem("page_to", _(
                "error_copy_pages_range",
                default="The pages ${first}–${last} are not in the original (${pages} pages).",
                mapping={"first": str(first), "last": str(last), "pages": str(pages or "?")})))
    elif form in FORMS:
        values["page_from"] = values["page_to"] = None
    if problems:
        raise CopyError(_("error_copy_invalid", default="The copy was not made: please correct the errors."),
                        problems)
    return values


def _text(name, raw):
    if raw is None or raw == "":
        field = FIELDS[name]
        if field.required:
            return None, validation.required(name, field)
        return None, None
    if not isinstance(raw, str):
        return None, validation.bad_value(name, FIELDS[name])
    value = raw.strip()
    if not value and FIELDS[name].required:
        return None, validation.required(name, FIELDS[name])
    if not value:
        return None, None
    # the field's own checks (one line, length …), answered by the shared validation
    return validation.field_value(IDocumentCopy, name, value) if name in IDocumentCopy \
        else (value, _length(name, value))


def _length(name, value):
    field = FIELDS[name]
    limit = getattr(field, "max_length", None)
    if limit and len(value) > limit:
        return validation.problem(name, field, _(
            "error_too_long", default="${field}: at most ${max} characters (${length} were sent)."),
            max=str(limit), length=str(len(value)))
    return None


def _pages(doc):
    from dongthap.qlvb.documents.pdfpages import count_pages

    return count_pages(getattr(doc, "file", None))


def excerpt(data, first, last):
    """Pages ``first``–``last`` (1-based, inclusive) of the PDF ``data`` as a new PDF (pypdf)."""
    from pypdf import PdfReader
    from pypdf import PdfWriter

    reader = PdfReader(io.BytesIO(bytes(data)))
    writer = PdfWriter()
    for index in range(first - 1, last):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _copy_bytes(original, values):
    data = bytes(original.file.data)
    if values["copy_form"] == "trich_sao":
        return excerpt(data, values["page_from"], values["page_to"])
    return data


def _check_scan(original):
    """A paper original scanned in is copied only from a scan of ≥ 200 dpi; returns its dpi (or None)."""
    if not is_paper_original(original):
        return None
    pages, low = scans.scan_problems(bytes(original.file.data))
    scanned = [p for p in pages if p.dpi is not None]
    if not scanned:  # typed in, not scanned: nothing to measure
        return None
    bad = [p for p in low if p.dpi is not None]
    if bad:
        message = _("error_copy_scan_low_dpi",
                    default="The scan of the paper original is ${dpi} dpi on page ${page}: scan the "
                            "original again at ${min} dpi or more before copying it.",
                    mapping={"dpi": str(int(bad[0].dpi)), "page": str(bad[0].page),
                             "min": str(scans.MIN_DPI)})
        raise CopyError(message, [{"field": "original", "message": message}], status=422)
    return min(p.dpi for p in scanned)


# ---------------------------------------------------------------- writing


def create(agency, values, *, comment=""):
    """Make the copy (state ``draft``) of ``values["original"]``; returns :func:`summary`."""
    if not api.user.has_permission(ADD_PERMISSION, obj=agency):
        raise CopyError(_("error_copy_forbidden", default="You may not make copies in this agency."),
                        status=403)
    original = values["original"]
    dpi = _check_scan(original)
    data = _copy_bytes(original, values)
    from dongthap.qlvb.copies.factory import new_copy

    def work():
        _refuse_repeated(original, values)
        copy = new_copy(agency, original, values, data, comment=comment, scan_dpi=dpi)
        return summary(copy)

    return run_in_transaction(work, note="qlvb: make a copy")


#: A second identical copy asked by the same person within this many seconds is a double click.
REPEAT_SECONDS = 120


def _refuse_repeated(original, values):
    """Refuse (409) the same copy (form, medium, pages, signer) of ``original`` the same person made
    a moment ago and that is still waiting for its signature: a double click, or a form sent twice.
    Run inside the copy's transaction, so two requests at once conflict and the retry sees the
    first copy."""
    import time

    userid = api.user.get_current().getId()
    same = ("copy_form", "copy_medium", "page_from", "page_to", "signer")
    for entry in getattr(original, COPIES_ATTR, None) or ():
        brains = api.content.find(UID=entry.get("uid"), portal_type="DocumentCopy", unrestricted=True)
        if not brains or brains[0].review_state != "draft":
            continue
        copy = brains[0]._unrestrictedGetObject()
        if getattr(copy, "qlvb_made_by", None) != userid or \
                time.time() - copy.created().timeTime() > REPEAT_SECONDS:
            continue
        if all(getattr(copy, name, None) == values.get(name) for name in same):
            raise CopyError(_("error_copy_repeated",
                              default="The same copy was made a moment ago (${url}); nothing was added.",
                              mapping={"url": copy.absolute_url()}), status=409)


def transition(doc, name, comment=""):
    """Run ``name`` (``sign``, ``issue``) on the copy ``doc``; the issue under the copies lock."""
    wftool = api.portal.get_tool("portal_workflow")

    def not_allowed():
        return CopyError(
            _("error_transition_not_allowed",
              default="The action \"${action}\" is not possible for this document now.",
              mapping={"action": TRANSITION_TITLES.get(name, name)}),
            status=400 if api.user.has_permission("View", obj=doc) else 403)

    if name not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
        raise not_allowed()

    def work():
        if name not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
            raise not_allowed()
        try:
            wftool.doActionFor(doc, name, comment=comment or "")
        except WorkflowException as problem:
            raise CopyError(getattr(problem, "message", None) or str(problem)) from problem
        return summary(doc)

    agency = get_agency(doc)
    lock = REGISTER.lock_key(agency) if name == "issue" else None
    return run_in_transaction(work, lock_key=lock, note=f"qlvb: copy {name}")


# ---------------------------------------------------------------- guard and steps


def guard(doc, transition):
    user = api.user.get_current()
    if user is None or api.user.is_anonymous():
        return False
    if transition == "sign":
        roles = set(api.user.get_roles(obj=doc))
        return user.getId() == doc.signer and "QlvbLeader" in roles
    return False


def step_sign(doc, change):
    doc.qlvb_signed_by = actor()
    doc.qlvb_signed_at = now().isoformat()


def step_take_number(doc, change):
    """``issue``: the next number of the agency's ONE yearly series of copies, the notation, the date."""
    agency = get_agency(doc)
    when = now().replace(microsecond=0)
    year, number = counter.next_number(agency, SERIES, when)
    doc.register_number = number
    doc.register_year = year
    doc.register_date = when
    doc.code_notation = notation_text(doc.copy_form, agency)
    change.data.update(agency=agency, when=when)


def step_seal(doc, change):
    """``issue``: the agency's digital signature on an electronic copy (form, number, time at the top
    right of page 1, no image); a paper copy is signed and sealed on paper."""
    from dongthap.qlvb.signing import api as signing

    when = change.data["when"]
    if doc.copy_medium == "paper":
        doc.qlvb_sealed_on_paper = True
        return
    code_text = f"{doc.form_words()} {doc.notation()}"
    doc.qlvb_sealed_at = when.isoformat()  # from now on its own seal decides its legal validity
    signing.sign_attachment(document=doc, field="file", code_text=code_text, agency=change.data["agency"],
                            signed_at=when, check_permission=False)


def step_link(doc, change):
    """``issue``: the original lists its copy with the number and date."""
    record_on_original(doc)


def step_trail(doc, change):
    extra = {"number": doc.notation()} if change.transition == "issue" else {}
    add_trail(doc, change.transition, change.reason, state=change.new_state, **extra)


def step_reindex(doc, change):
    doc.reindexObject()


# ---------------------------------------------------------------- answers


def state_title(state):
    return STATE_TITLES.get(state, state)


def summary(doc):
    state = api.content.get_state(doc)
    return {
        "path": "/".join(doc.getPhysicalPath()),
        "url": doc.absolute_url(),
        "uid": api.content.get_uuid(doc),
        "state": state,
        "state_title": state_title(state),
        "copy_form": doc.copy_form,
        "form_words": doc.form_words(),
        "copy_medium": doc.copy_medium,
        "number": doc.register_number,
        "notation": doc.notation(),
        "date": doc.register_date.isoformat() if doc.register_date and doc.register_number else None,
    }


def info(doc):
    original = original_of(doc)
    data = summary(doc)
    data.update({
        "title": doc.title,
        "form_title": FORM_TITLES.get(doc.copy_form),
        "medium_title": MEDIA.get(doc.copy_medium),
        "page_from": doc.page_from, "page_to": doc.page_to,
        "place": doc.place,
        "signer": doc.signer, "signer_name": fullname(doc.signer),
        "signer_position": doc.signer_position,
        "signing_authority": AUTHORITIES.get(doc.signing_authority or "none") or "",
        "recipients": doc.recipients or "",
        "original": {"uid": doc.original_uid, "notation": original_notation(original),
                     "title": getattr(original, "title", ""),
                     "url": original.absolute_url() if original is not None else None,
                     "portal_type": getattr(original, "portal_type", None)},
        "scan_dpi": getattr(doc, "qlvb_original_scan_dpi", None),
        "sealed_on_paper": bool(getattr(doc, "qlvb_sealed_on_paper", False)),
        "legal_validity": getattr(doc, "legal_validity", None),
        "date_display": fmt_date(doc.register_day()) if doc.register_number else "",
        "trail": [dict(t, title=TRANSITION_TITLES.get(t["action"], t["action"]),
                       fullname=fullname(t["actor"]), at_display=fmt_datetime(t["at"]))
                  for t in getattr(doc, "qlvb_trail", None) or ()],
    })
    return data


def copy_rows(agency, start, end):
    """Sổ đăng ký bản sao: the issued copies of the period in number order (registers/columns.COPIES)."""
    root = register_root(agency)
    if root is None:
        return []
    brains = api.content.find(portal_type="DocumentCopy", path="/".join(root.getPhysicalPath()),
                              review_state="issued", unrestricted=True)
    rows = []
    for brain in brains:
        doc = brain._unrestrictedGetObject()
        day = doc.register_day()
        if day is None or (start and day < start) or (end and day > end):
            continue
        original = original_of(doc)
        pages = f"trang {doc.page_from}–{doc.page_to}" if doc.copy_form == "trich_sao" else ""
        rows.append({
            "number": doc.register_number, "year": doc.register_year,
            "notation": doc.notation(),
            "date": day,
            "form": doc.form_words(),
            "original": "; ".join(x for x in (original_notation(original), original_issuer(original),
                                             getattr(original, "title", "")) if x),
            "pages": pages,
            "medium": "Điện tử (chữ ký số cơ quan)" if doc.copy_medium == "electronic" else "Giấy (đóng dấu)",
            "signer": " ".join(x for x in (AUTHORITIES.get(doc.signing_authority or "none"),
                                           doc.signer_position, fullname(doc.signer)) if x),
            "recipients": doc.recipients or "",
            "note": "",
        })
    rows.sort(key=lambda r: (r.pop("year") or 0, r.pop("number") or 0))
    return rows
