"""Issuing under load: the expensive work of ``issue`` happens once, outside its transaction.

The ``issue`` transition takes the number from the register, stamps it (with the
notation and the issue time) into the agency signature of the main PDF, signs
every attachment, verifies the results and scans them before delivery. The
signing, the verification (certificate chain, revocation, time-stamp) and the
scan take seconds; the transaction that stores the number conflicts whenever
another user writes in the agency at the same time and is then run again.

So :func:`dongthap.qlvb.outgoing.api.transition` runs ``issue`` in two steps:

1. **prepare** (no transaction of ours, nothing written): under the agency's
   register lock, read the next number of the register (the number the
   transaction will take, since nobody else in this process can take one while
   the lock is held), then sign, verify and scan with that number. The result
   (:class:`Prepared`: signed bytes, reports, scan results) is kept for this
   thread only;
2. **commit** (small, retried on conflicts): the workflow's ``_issue`` takes the
   number from the counter *in this transaction*, as before, and asks
   :func:`signed_files` for the signed files. When the prepared result was made
   for exactly this document, these input files, this series, year and number,
   it is used as is; otherwise (another Zope process sharing the RelStorage
   database issued a document in between) the files are signed again with the
   number really taken, once, and that result is kept for the next retry.

Why no number is lost and none is duplicated: the number is still taken from
the counter in the transaction that stores it on the document (see
:mod:`dongthap.qlvb.numbering.counter`); the prepared number is only a guess
used to sign early. A failure while preparing (TSA down, bad certificate, virus
found) happens before any number is taken, so nothing is used and nothing is
left to release. A failure in the commit step aborts it whole (number, files,
state, copies). A guessed number that another process takes first is never
stored: the commit step signs again with the number it really got.

An alternative, reserving the number in its own committed transaction and
signing afterwards, needs a third state ("number reserved, not issued") that
must be released or reused after a failure, and cannot give the number back
once a later one was handed out — a gap in the register. The guess avoids it.
"""

from dongthap.qlvb.numbering import counter

import contextlib
import dataclasses
import datetime
import hashlib
import threading

_local = threading.local()


@dataclasses.dataclass
class Prepared:
    """Signed files of one document for one number (made once, reused by retries)."""

    uid: str
    series: str
    year: int
    number: str
    notation: str
    when: datetime.datetime
    inputs: tuple  # sha256 of the main file and of each attachment before signing
    signed: bytes
    report: dict
    attachments: list  # [(signed bytes, report)]
    scans: dict = dataclasses.field(default_factory=dict)  # sha256 → ScanResult (clean)


def _sha(named):
    return hashlib.sha256(bytes(named.data)).hexdigest() if named is not None else ""


def inputs_of(doc):
    return (_sha(doc.file), *(_sha(a) for a in (doc.attachments or ())))


def notation_of(doc, agency):
    from dongthap.qlvb.outgoing import api as outgoing
    from dongthap.qlvb.outgoing import numbering

    dept = outgoing.departments_of(agency).get(doc.drafting_department or "")
    return numbering.notation(doc.document_type, agency.abbreviation,
                              dept.abbreviation if dept is not None else None)


def _sign(doc, agency, *, series, year, number, notation, when):
    from dongthap.qlvb.outgoing.numbering import full_notation
    from dongthap.qlvb.signing import api as signing
    from plone import api

    signed, report = signing.prepare_agency_signature(
        document=doc, code_number=number, code_notation=notation, issued_at=when)
    attachments = signing.prepare_attachment_signatures(
        document=doc, code_text=full_notation(number, notation), signed_at=when)
    return Prepared(uid=api.content.get_uuid(doc), series=series, year=year, number=number,
                    notation=notation, when=when, inputs=inputs_of(doc), signed=signed,
                    report=report, attachments=attachments)


def _scan(prepared, doc, agency):
    """Scan the signed files once (they go to the recipients); a virus raises."""
    try:
        from dongthap.qlvb.antivirus.api import check_file
        from dongthap.qlvb.antivirus.scanner import CLEAN
    except ImportError:  # pragma: no cover - capability not installed
        return
    names = [getattr(doc.file, "filename", None)] + [
        getattr(a, "filename", None) for a in (doc.attachments or ())]
    for data, name in zip([prepared.signed, *(d for d, _r in prepared.attachments)], names,
                          strict=True):
        result = check_file(data, name, path_of_entry="delivery", agency=agency)
        if result.status == CLEAN:
            prepared.scans[result.sha256] = result


def prepare(doc, agency):
    """Sign, verify and scan ``doc`` with the number the register will hand out next.

    Call under the agency's register lock, outside the issuing transaction.
    Raises what signing or scanning raise (nothing has been changed then).
    """
    from dongthap.qlvb.outgoing import api as outgoing
    from dongthap.qlvb.outgoing import numbering
    from dongthap.qlvb.outgoing import settings

    when = outgoing.now().replace(microsecond=0)
    series = settings.series_of(agency, doc.document_type)
    year = counter.current_year(when)
    number = numbering.format_number(counter.peek_number(agency, series, year) + 1)
    prepared = _sign(doc, agency, series=series, year=year, number=number,
                     notation=notation_of(doc, agency), when=when)
    recipients = _first_recipient(doc) or agency
    _scan(prepared, doc, recipients)
    return prepared


def _first_recipient(doc):
    from plone import api

    for uid in doc.internal_recipients or ():
        brains = api.content.find(UID=uid, portal_type="Agency", unrestricted=True)
        if brains:
            return brains[0]._unrestrictedGetObject()
    return None


@contextlib.contextmanager
def using(prepared):
    """Make ``prepared`` available to the issue transition run inside the block."""
    _local.prepared = prepared
    _local.active = True
    try:
        yield
    finally:
        _local.prepared = None
        _local.active = False


def signed_files(doc, agency, *, series, year, number, notation, when):
    """The signed files for the number really taken (inside the issuing transaction).

    The prepared result when it fits; otherwise sign now (and, inside
    :func:`using`, keep the result for the conflict retries of this issue).
    """
    from plone import api

    prepared = getattr(_local, "prepared", None)
    if prepared is not None and (prepared.uid, prepared.series, prepared.year, prepared.number,
                                 prepared.notation) == (api.content.get_uuid(doc), series, year,
                                                        number, notation) \
            and prepared.inputs == inputs_of(doc):
        return prepared
    prepared = _sign(doc, agency, series=series, year=year, number=number, notation=notation,
                     when=when)
    if getattr(_local, "active", False):
        _local.prepared = prepared
    return prepared


def mark_scanned(named, prepared):
    """Carry the scan of the prepared bytes over to the stored file (no second scan)."""
    try:
        from dongthap.qlvb.antivirus.api import mark_verified
    except ImportError:  # pragma: no cover
        return
    if named is None:
        return
    result = prepared.scans.get(_sha(named))
    if result is not None:
        mark_verified(named, result)
