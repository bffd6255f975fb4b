"""Guards and transition steps of ``qlvb_outgoing_workflow`` (their order: ``transitions.py``).

::

    draft ─submit─▶ pending_review ─forward─▶ pending_review (next level)
      ▲                 │ approve (last level)
      └──return─────────┤
      └──return──── approved ─sign (the signer)─▶ signed ─issue (clerk)─▶ issued ─archive─▶ archived
                                                                             └─recall (reason)─▶ recalled

Everything that must happen together with a state change happens here, in
the transaction of the transition, whichever way it is triggered (REST
``@workflow``, our forms, Classic UI's ``content_status_modify``); the steps
below are run in the order listed in ``transitions.py``:

* ``submit`` copies the review levels of the agency/type onto the document;
* ``forward``/``approve`` advance the review level (each reviewer's comment kept);
* ``sign`` signs as the document's signer with his server-held key;
* ``issue`` takes the number, builds the notation, sets the issue time,
  signs as the agency (the main file, then every attachment), then delivers
  (internal copies, external queue) and links replies and replacements —
  inside a savepoint: if anything fails, the savepoint is rolled back and
  the transition refused with a Vietnamese message (no number used, no
  signature, no copy);
* ``recall`` freezes the document and recalls the delivered copies.
"""

from Acquisition import aq_base
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.outgoing import AUTHORITIES
from dongthap.qlvb.errors import QlvbWorkflowError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import numbering
from dongthap.qlvb.outgoing import review
from dongthap.qlvb.outgoing import settings
from dongthap.qlvb.vocabularies.documents import type_name
from plone import api
from Products.CMFCore.indexing import getQueue
from Products.CMFCore.indexing import REINDEX
from zope.i18n import translate

import logging

logger = logging.getLogger("dongthap.qlvb.outgoing")
ADMIN_ROLES = {"Manager", "Site Administrator"}


#: A transition refused by a rule of ours: the one workflow error (see ``docs/errors.md``).
OutgoingWorkflowError = QlvbWorkflowError


# ---------------------------------------------------------------- guards


def _roles(doc):
    return set(api.user.get_roles(obj=doc))


def guard(doc, transition):
    """Whether the current user may run ``transition`` now (cheap: no validation)."""
    user = api.user.get_current()
    if user is None or api.user.is_anonymous():
        return False
    roles = _roles(doc)
    admin = bool(roles & ADMIN_ROLES)
    if transition in ("forward", "approve"):
        level = outgoing.current_level(doc)
        if level is None:
            return False
        levels = list(getattr(doc, "qlvb_review_levels", None) or ())
        last = (getattr(doc, "qlvb_review_index", 0) or 0) >= len(levels) - 1
        if (transition == "approve") != last:
            return False
        return admin or review.may_take(doc, level, roles, user.getId())
    if transition == "return":
        state = api.content.get_state(doc)
        if admin:
            return True
        if state == "pending_review":
            level = outgoing.current_level(doc)
            return level is not None and review.may_take(doc, level, roles, user.getId())
        if state == "approved":
            return "QlvbLeader" in roles
        return False
    if transition == "sign":
        # Only the document's signer, never an administrator in his place.
        if "QlvbLeader" not in roles:
            return False
        if user.getId() == getattr(doc, "signer", None):
            return True
        from dongthap.qlvb.delegation import api as delegation  # a delegate signs for the signer

        return delegation.acting_for(doc, "sign", user.getId()) is not None
    return False


# ---------------------------------------------------------------- steps (order: transitions.py)


def atomically(steps, doc, change):
    """Run the *before* steps of one transition inside a savepoint.

    If anything fails, the savepoint is rolled back (no number used, no signature,
    no copy) and the transition refused with a Vietnamese message. (In a bulk writer's batch,
    :func:`dongthap.qlvb.numbering.retry.in_batch`, the failure dooms the batch instead.)
    """
    from dongthap.qlvb.numbering import retry

    savepoint = retry.unit_savepoint()
    try:
        for step in steps:
            step.handler(doc, change)
    except OutgoingWorkflowError:
        savepoint.rollback()
        raise
    except Exception as problem:
        savepoint.rollback()
        logger.exception("outgoing %s of %s failed", change.transition, doc.absolute_url_path())
        raise OutgoingWorkflowError(_failure_message(change.transition, problem)) from problem


def _failure_message(tid, problem):
    detail = getattr(problem, "message", None)
    if detail is not None:
        detail = translate(detail, target_language="vi")
    else:
        detail = type(problem).__name__
    if tid == "sign":
        return _("error_sign_failed", default="The document was not signed: ${detail}",
                 mapping={"detail": detail})
    if tid == "issue":
        return _("error_issue_failed",
                 default="The document was not issued (no number was used): ${detail}",
                 mapping={"detail": detail})
    return _("error_transition_failed", default="The action failed: ${detail}", mapping={"detail": detail})


def require_reason(doc, change):
    if not change.reason:
        raise OutgoingWorkflowError(outgoing.reason_required_message(change.transition))


def record_trail(doc, change):
    extra = {"number": doc.notation()} if change.transition in ("issue", "issue_paper") else {}
    behalf = getattr(doc, "qlvb_signed_on_behalf", None) if change.transition == "sign" else None
    if behalf:  # signed under a delegation: the trail names whom for and how (KT./TL./TUQ.)
        extra.update({k: behalf[k] for k in ("delegation", "on_behalf_of", "authority")})
    outgoing.add_trail(doc, change.transition, change.reason, state=change.new_state, **extra)


#: Indexes every partly reindexed transition moves: the modification date (a full reindex
#: sets it too) and whom the document waits for.
REVIEW_INDEXES = ("modified", "qlvb_outgoing_review_role")
#: What a transition changes in the catalog besides what is reindexed anyway: the workflow
#: tool reindexes ``review_state`` with every metadata column and ``allowedRolesAndUsers``,
#: ``reports.indexers.reindex_after_transition`` the report indexes. A transition not listed
#: here (issue, recall, archive …) is reindexed whole. ``tests/outgoing/test_partial_reindex.py``
#: compares the catalog with a full reindex after each of them.
TRANSITION_INDEXES = {
    "submit": REVIEW_INDEXES,
    "forward": REVIEW_INDEXES,
    "approve": REVIEW_INDEXES,
    "return": (*REVIEW_INDEXES, "qlvb_sign_by_hand"),
    # the signed file: its verification (``signing.api._after_signing`` verifies without
    # reindexing), who signed (a delegate), the file's text status
    "sign": (*REVIEW_INDEXES, "qlvb_legal_validity", "qlvb_signer_text", "qlvb_fulltext_status"),
}
_QUEUED = "_v_qlvb_queued_before_transition"


def mark_queue(doc, change):
    """*before* (first step): remember what the indexing queue held before this transition."""
    setattr(aq_base(doc), _QUEUED, {id(entry) for entry in getQueue().getState()})


def reindex(doc, change):
    """*after*: the indexes :data:`TRANSITION_INDEXES` names, else everything.

    A full reindex queued *during* the transition by Plone's modified-event subscriber (the
    signed file replaces the draft) is narrowed to the same indexes: the queue merges a full
    and a partial reindex of one object into a full one. Entries queued before the transition
    (an edit in the same transaction) are left as they are.
    """
    idxs = TRANSITION_INDEXES.get(change.transition)
    before = aq_base(doc).__dict__.pop(_QUEUED, None)
    if idxs is None or before is None:
        doc.reindexObject()
        return
    queue = getQueue()
    state = queue.getState()
    for position, (op, obj, attributes, metadata) in enumerate(state):
        if op == REINDEX and not attributes and id(state[position]) not in before \
                and aq_base(obj) is aq_base(doc):
            state[position] = (op, obj, list(idxs), metadata)
    queue.setState(state)
    doc.notifyModified()  # as the full reindex did: lists sort on the modification date
    doc.reindexObject(idxs=list(idxs))


def submit(doc, change):
    comment = change.reason
    agency = get_agency(doc)
    missing = []
    for name in ("title", "document_type", "signer", "signer_position", "file"):
        if not getattr(doc, name, None):
            missing.append(translate(outgoing.FIELDS[name].title, target_language="vi"))
    if numbering.notation(doc.document_type, "X") == "X" and not doc.drafting_department:
        missing.append(translate(outgoing.FIELDS["drafting_department"].title,
                                 target_language="vi"))
    if not (doc.internal_recipients or doc.external_recipients):
        missing.append(translate(_("label_recipients", default="Recipients"), target_language="vi"))
    if missing:
        raise OutgoingWorkflowError(_("error_submit_missing",
                                      default="Fill in before submitting: ${fields}.",
                                      mapping={"fields": ", ".join(missing)}))
    if doc.signer not in outgoing.leaders_of(agency):
        raise OutgoingWorkflowError(_("error_signer_not_leader",
                                      default="The signer must be a leader of the agency."))
    doc.qlvb_review_levels = settings.review_levels(agency, doc.document_type)
    doc.qlvb_review_index = 0
    setattr(doc, review.ATTR, review.drafting_departments(doc))
    outgoing.record_version(doc, comment)
    if comment:
        outgoing.add_comment(doc, comment, action="submit")


def forward(doc, change):
    level = outgoing.current_level(doc)
    outgoing.add_comment(doc, change.reason, action="forward", level=level)
    doc.qlvb_review_index = (getattr(doc, "qlvb_review_index", 0) or 0) + 1


def approve(doc, change):
    level = outgoing.current_level(doc)
    outgoing.add_comment(doc, change.reason, action="approve", level=level)
    doc.qlvb_review_index = len(getattr(doc, "qlvb_review_levels", None) or ())
    doc.qlvb_approved_by = outgoing.actor()


def return_to_drafter(doc, change):
    outgoing.add_comment(doc, change.reason, action="return", level=outgoing.current_level(doc))
    doc.qlvb_review_index = 0


def sign(doc, change):
    from dongthap.qlvb.signing import api as signing

    if not outgoing.is_pdf(bytes(doc.file.data[:1024]) if doc.file else b""):
        raise OutgoingWorkflowError(_("error_sign_needs_pdf",
                                      default="Upload the final PDF of the document before signing."))
    from dongthap.qlvb.delegation import api as delegation

    userid = outgoing.actor()
    under = delegation.acting_for(doc, "sign", userid) if userid != doc.signer else None
    if userid != doc.signer and under is None:
        raise OutgoingWorkflowError(_("error_not_the_signer",
                                      default="Only the signer chosen for this document may sign it."))
    if under is None:
        signing.sign_person(
            document=doc, name=outgoing.fullname(userid), position=doc.signer_position,
            authority_prefix=AUTHORITIES.get(doc.signing_authority or "none") or None)
        doc.qlvb_signed_on_behalf = None
    else:  # under a delegation: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / <delegate>"
        prefix, position, reason = delegation.signature_lines(under, doc.signer_position)
        signing.sign_person(document=doc, name=outgoing.fullname(userid), position=position,
                            authority_prefix=prefix, reason=reason)
        doc.qlvb_signed_on_behalf = dict(
            delegation.trail_fields(under), signed_by=userid,
            delegator_position=position.split("\n")[0], delegate_position=position.split("\n")[1])
        delegation.log_act(doc, under, "sign")
    outgoing.remember_signer_name(doc)
    doc.qlvb_signed_by = userid
    doc.qlvb_signed_at = outgoing.now().isoformat()
    if change.reason:
        outgoing.add_comment(doc, change.reason, action="sign")


def take_number(doc, change):
    """``issue``: the next number of the register (or the type's series) and the notation."""
    from dongthap.qlvb.outgoing import issuing

    agency = get_agency(doc)
    when = outgoing.now().replace(microsecond=0)
    notation_text = issuing.notation_of(doc, agency)
    series, year, number = numbering.take_number(agency, doc.document_type, when)
    change.data.update(agency=agency, when=when, notation=notation_text, series=series, year=year,
                       number=number)


def sign_as_agency(doc, change):
    """``issue``: the agency signature (number, notation, time stamped) on the main file, then
    on every attachment (before delivery: the received copies get the signed attachments)."""
    from dongthap.qlvb.outgoing import issuing
    from dongthap.qlvb.signing import api as signing

    data = change.data
    agency = data["agency"]
    # signed, verified and scanned outside this transaction when issued through
    # outgoing.api.transition (see issuing.py); signed here otherwise
    prepared = issuing.signed_files(doc, agency, series=data["series"], year=data["year"],
                                    number=data["number"], notation=data["notation"], when=data["when"])
    data["when"] = prepared.when

    def scanned(named):  # the scan made before the transaction goes with the stored file
        issuing.mark_scanned(named, prepared)

    report = signing.store_agency_signature(document=doc, signed=prepared.signed,
                                            report=prepared.report, agency=agency, on_file=scanned)
    doc.code_number = data["number"]
    doc.code_notation = data["notation"]
    signing.store_attachment_signatures(document=doc, prepared=prepared.attachments, agency=agency,
                                        on_file=scanned)
    data["legal_validity"] = report.get("legal_validity")


def record_issue(doc, change):
    """``issue``: issue time and date, register series and year, who issued, the page count."""
    data = change.data
    when = data["when"]
    doc.issued_at = when
    doc.issued_date = when.astimezone(counter.VIETNAM).date()
    doc.issued_year = data["year"]
    doc.register_series = data["series"]
    doc.qlvb_issued_by = outgoing.actor()
    doc.qlvb_type_name = type_name(doc.document_type)
    if not doc.page_amount:
        doc.page_amount = _count_pages(doc.file)
    logger.info("issued %s (%s) in %s", doc.notation(), data["series"], data["agency"].agency_code)


def _count_pages(named_file):
    from dongthap.qlvb.documents.pdfpages import count_pages

    return count_pages(named_file)


def deliver_internal(doc, change):
    """``issue``: one received copy in each internal recipient agency."""
    from dongthap.qlvb.outgoing import delivery

    delivery.deliver_internal(doc, legal_validity=change.data.get("legal_validity"))


def queue_external(doc, change):
    """``issue``: the external recipients queued for the national exchange axis."""
    from dongthap.qlvb.outgoing import delivery

    delivery.deliver_external(doc, legal_validity=change.data.get("legal_validity"))


def link_replies(doc, change):
    """``issue``: linked both ways with what it answers and what it replaces."""
    from dongthap.qlvb.outgoing import delivery

    delivery.link_replies(doc)


def recall(doc, change):
    from dongthap.qlvb.outgoing import delivery

    delivery.recall(doc, change.reason)


def version_on_change(doc, event):
    """Keep every draft version: a changed main file while draft/under review is a new version."""
    try:
        state = api.content.get_state(doc, default=None)
    except Exception:  # noqa: BLE001 - not yet in a workflow
        state = None
    if state in (None, "draft", "pending_review"):
        outgoing.record_version(doc)
