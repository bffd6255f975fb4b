"""Issuing a document signed on paper (phát hành văn bản ký tay).

An agency that signs a document by hand (no token at hand, a document that must
stay on paper) still takes its number and date from the **same** outgoing series
as its electronic documents (NĐ 30/2020 Art. 15: one series for paper and
electronic). The clerk scans the signed and sealed original (a PDF, every page an
image of at least 200 dpi, :mod:`dongthap.qlvb.documents.scans`) and issues it with
the ``issue_paper`` transition (``approved`` → ``issued``, the leader having signed
the paper):

* :func:`issue_paper` (REST ``POST <document>/@issue-paper`` and the page
  ``@@phat-hanh-ban-giay``) checks the scan first — a readable PDF, antivirus,
  resolution — and refuses in Vietnamese before anything is written; then runs the
  transition under the agency's register lock in one retried transaction;
* the steps (``transitions.py``) take the number from the register like ``issue``
  (:func:`.workflow.take_number`), store the scan as the main file with the marks
  of a paper original (:data:`MEDIUM_ATTR` = ``"paper"``, :data:`SCAN_ATTR`: dpi,
  checksum, who scanned it; legal validity ``reference``: the electronic copy of a
  paper original is for reference), record the issue and deliver it like an
  electronic one. The register lists it like any other document, with a note.

How the clerk finds it: the chosen signer marks the approved document "ký tay" (:func:`mark_by_hand`;
the button on the document page, ``POST @sign-by-hand``); it then waits in the clerk's list "chờ
phát hành" and his desk count (catalog index :data:`HAND_INDEX`) next to the digitally signed
documents, until the clerk issues it with the scan. A ``return`` to the drafter clears the mark.
"""

from dongthap.qlvb.documents import scans
from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import QlvbWorkflowError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.outgoing import api as outgoing
from plone import api
from plone.namedfile.file import NamedBlobFile

import hashlib
import threading

TRANSITION = "issue_paper"
#: ``"paper"`` on a document whose original is on paper (absent: electronic original)
MEDIUM_ATTR = "qlvb_original_medium"
PAPER = "paper"
#: the scan of the paper original: ``{"dpi", "pages", "sha256", "filename", "by", "at"}``
SCAN_ATTR = "qlvb_paper_scan"
FIELD = "scan"

_local = threading.local()


def is_paper_original(doc):
    return getattr(doc, MEDIUM_ATTR, None) == PAPER


def scan_info(doc):
    info = getattr(doc, SCAN_ATTR, None)
    return dict(info) if info else None


def _scan_title():
    return _("label_paper_scan", default="Scan of the signed and sealed original")


def check_scan(agency, value):
    """``(data, filename, dpi, pages)`` of an uploaded scan ``(bytes, filename)``; refused in Vietnamese."""
    field = type("F", (), {"title": _scan_title()})()
    if value is None:
        message = _("error_paper_scan_required",
                    default="Upload the scan of the signed and sealed original (PDF, at least 200 dpi).")
        raise outgoing.OutgoingError(message, [{"field": FIELD, "message": message}])
    good, problem = validation.upload(FIELD, field, value, default_filename="ban-goc-giay.pdf")
    if problem:
        status = problem.pop("status", 400)
        raise outgoing.OutgoingError(problem["message"], [problem], status=status)
    data, filename = good
    outgoing.check_upload(data, filename, agency)
    dpi = scans.check_scan(data, outgoing.OutgoingError, field=FIELD)
    pages = len(scans.page_resolutions(data))
    return data, filename, dpi, pages


def issue_paper(doc, value, comment=""):
    """Issue ``doc`` (approved, signed by hand) with the scanned original ``value`` = ``(bytes, filename)``.

    Raises :class:`OutgoingError` (nothing changed) when the action is not allowed, the
    scan is refused, or the transition fails.
    """
    agency = outgoing.get_agency(doc)
    wftool = api.portal.get_tool("portal_workflow")

    def not_allowed():
        return outgoing.OutgoingError(
            _("error_transition_not_allowed",
              default="The action \"${action}\" is not possible for this document now.",
              mapping={"action": outgoing.TRANSITION_TITLES.get(TRANSITION, TRANSITION)}),
            status=400 if api.user.has_permission("View", obj=doc) else 403)

    if TRANSITION not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
        raise not_allowed()
    data, filename, dpi, pages = check_scan(agency, value)

    def work():
        if TRANSITION not in {t["id"] for t in wftool.getTransitionsFor(doc)}:
            raise not_allowed()
        _local.scan = {"data": data, "filename": filename, "dpi": dpi, "pages": pages}
        try:
            wftool.doActionFor(doc, TRANSITION, comment=comment or "")
        except outgoing.WorkflowException as problem:
            message = getattr(problem, "message", None) or str(problem)
            raise outgoing.OutgoingError(message) from problem
        finally:
            _local.scan = None
        return outgoing.summary(doc)

    return run_in_transaction(work, lock_key=outgoing.register_lock_key(agency),
                              note="qlvb: outgoing paper issue")


# ---------------------------------------------------------------- transition steps (transitions.py)


def require_scan(doc, change):
    """``issue_paper``: the scan checked by :func:`issue_paper` (the transition alone is refused)."""
    scan = getattr(_local, "scan", None)
    if not scan:
        raise QlvbWorkflowError(_(
            "error_paper_issue_needs_scan",
            default="A paper-signed document is issued with the scan of its signed and sealed "
                    "original: use \"Issue the paper original\" and upload the scan."))
    change.data["scan"] = scan


def store_original(doc, change):
    """``issue_paper``: the scan becomes the main file; the document is a paper original."""
    from dongthap.qlvb.signing.behaviors import REFERENCE

    data = change.data
    scan = data["scan"]
    doc.file = NamedBlobFile(data=scan["data"], filename=scan["filename"], contentType="application/pdf")
    doc.code_number = data["number"]
    doc.code_notation = data["notation"]
    setattr(doc, MEDIUM_ATTR, PAPER)
    setattr(doc, SCAN_ATTR, {
        "dpi": scan["dpi"], "pages": scan["pages"], "filename": scan["filename"],
        "sha256": hashlib.sha256(scan["data"]).hexdigest(),
        "by": outgoing.actor(), "at": data["when"].isoformat(),
    })
    doc.page_amount = scan["pages"]
    doc.legal_validity = REFERENCE  # the electronic copy of a paper original is for reference
    data["legal_validity"] = REFERENCE


# ---------------------------------------------------------------- "ký tay": the signer signs on paper

#: on an approved document whose signer signs the printed original by hand: ``{"by", "at"}``
HAND_ATTR = "qlvb_sign_by_hand"
#: catalog index: ``True`` on a document marked "ký tay" (the clerk's "chờ phát hành" list)
HAND_INDEX = "qlvb_sign_by_hand"
HAND_ACTION = "sign_by_hand"


def signs_by_hand(doc):
    """Whether the signer said he signs ``doc`` on paper (it then waits for the clerk's scan)."""
    return bool(getattr(doc, HAND_ATTR, None))


def may_mark_by_hand(doc):
    """The chosen signer (a leader), on an approved document not yet marked."""
    if api.user.is_anonymous() or api.content.get_state(doc) != "approved" or signs_by_hand(doc):
        return False
    return getattr(doc, "signer", None) == api.user.get_current().getId()


def mark_by_hand(doc, comment=""):
    """The signer signs the printed original by hand ("ký tay"): the document goes to the clerk's
    "chờ phát hành" list, who issues it with the scan (:func:`issue_paper`). Nothing else changes:
    the signer may still sign it digitally instead."""
    if not may_mark_by_hand(doc):
        raise outgoing.OutgoingError(
            _("error_transition_not_allowed",
              default="The action \"${action}\" is not possible for this document now.",
              mapping={"action": outgoing.TRANSITION_TITLES[HAND_ACTION]}),
            status=400 if api.user.has_permission("View", obj=doc) else 403)

    def work():
        from dongthap.qlvb.documents.trail import add_trail

        setattr(doc, HAND_ATTR, {"by": outgoing.actor(), "at": outgoing.now().isoformat()})
        add_trail(doc, HAND_ACTION, comment)
        doc.reindexObject(idxs=[HAND_INDEX])
        return outgoing.summary(doc)

    return run_in_transaction(work, note="qlvb: outgoing signed by hand")


def clear_hand_mark(doc, change):
    """``return``: a document sent back to its drafter is no longer waiting for a paper signature."""
    if signs_by_hand(doc):
        setattr(doc, HAND_ATTR, None)
