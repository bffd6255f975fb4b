"""Validation rules for packages (see domain.md §5).

:func:`validate` returns every problem found; it never stops at the first.
"""

from __future__ import annotations

import datetime

from . import problems as P
from .constants import STATUS_CODES, STATUS_TAKE_BACK_REQUEST, VN_TZ
from .ids import is_standard_organ_id
from .model import DocumentPackage, Organization, ResponseFor, StatusPackage


def _organ_id(org: Organization | ResponseFor | None, path: str, out: list) -> None:
    organ_id = (org.organ_id if org else "").strip()
    if not organ_id:
        out.append(P.make("required", f"{path}/OrganId"))
    elif not is_standard_organ_id(organ_id):
        out.append(P.warning("organ-id-format", f"{path}/OrganId", organ_id))


def _required(value: object, path: str, out: list) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        out.append(P.make("required", path))


def _in_range(value, allowed, code: str, path: str, out: list) -> None:
    if value is not None and value not in allowed:
        out.append(P.make(code, path, value))


def _document(pkg: DocumentPackage, today: datetime.date) -> list[P.Problem]:
    out: list[P.Problem] = []
    mh = pkg.message_header
    _organ_id(mh.from_, "MessageHeader/From", out)
    if not mh.to:
        out.append(P.make("required", "MessageHeader/To"))
    seen: set[str] = set()
    for i, org in enumerate(mh.to, 1):
        path = f"MessageHeader/To[{i}]"
        _organ_id(org, path, out)
        key = (org.organ_id or "").strip()
        if key and key in seen:
            out.append(P.make("duplicate-recipient", f"{path}/OrganId", key))
        seen.add(key)
    _required(mh.code.code_number, "MessageHeader/Code/CodeNumber", out)
    _required(mh.code.code_notation, "MessageHeader/Code/CodeNotation", out)
    date = mh.promulgation_info.promulgation_date
    date_path = "MessageHeader/PromulgationInfo/PromulgationDate"
    _required(date, date_path, out)
    if date is not None and date > today:
        out.append(P.make("future-date", date_path, date.strftime("%d/%m/%Y")))
    _required(mh.subject, "MessageHeader/Subject", out)
    _in_range(mh.other_info.priority, range(5), "invalid-priority",
              "MessageHeader/OtherInfo/Priority", out)
    _trace(pkg, out)
    _attachments(pkg, out)
    return out


def _trace(pkg: DocumentPackage, out: list) -> None:
    b = pkg.trace_header_list.bussiness
    for i, hop in enumerate(pkg.trace_header_list.trace_headers, 1):
        # A hop is history, not an address: a hop without OrganId is reported, never refused.
        if not (hop.organ_id or "").strip():
            out.append(P.warning("trace-hop-incomplete", f"TraceHeaderList/TraceHeader[{i}]/OrganId"))
    if b is None:
        return
    base = "TraceHeaderList/Bussiness"
    _in_range(b.bussiness_doc_type, range(4), "invalid-business-type",
              f"{base}/BussinessDocType", out)
    _in_range(b.paper, (0, 1), "invalid-flag", f"{base}/Paper", out)
    if b.bussiness_doc_type in (1, 2, 3):
        # Vendor SDKs leave Bussiness/DocumentId out and write the target in MessageHeader/DocumentId.
        _required(target_document_id(pkg), f"{base}/DocumentId", out)
    for i, info in enumerate(b.replacement_info_list, 1):
        _required(info.document_id, f"{base}/ReplacementInfoList/ReplacementInfo[{i}]/DocumentId", out)
    if b.document_info is not None:
        for i, rcv in enumerate(b.document_info.receiver_list, 1):
            path = f"{base}/BussinessDocumentInfo/ReceiverList/Receiver[{i}]"
            _required(rcv.organ_id, f"{path}/OrganId", out)
            _in_range(rcv.receiver_type, (0, 1), "invalid-flag", f"{path}/ReceiverType", out)


def _attachments(pkg: DocumentPackage, out: list) -> None:
    seen: set[str] = set()
    for i, att in enumerate(pkg.attachments, 1):
        path = f"AttachmentEncoded/Attachment[{i}]"
        _required(att.content_id, f"{path}/ContentId", out)
        _required(att.attachment_name, f"{path}/AttachmentName", out)
        key = normalise_content_id(att.content_id)
        if key and key in seen:
            out.append(P.make("duplicate-content-id", f"{path}/ContentId", att.content_id))
        seen.add(key)


def _status(pkg: StatusPackage) -> list[P.Problem]:
    out: list[P.Problem] = []
    mh = pkg.message_header
    _organ_id(mh.from_, "MessageHeader/From", out)
    _organ_id(mh.response_for, "MessageHeader/ResponseFor", out)
    _required(mh.response_for.document_id, "MessageHeader/ResponseFor/DocumentId", out)
    code_path = "MessageHeader/StatusCode"
    if not (mh.status_code or "").strip():
        out.append(P.make("required", code_path))
    elif mh.status_code not in STATUS_CODES:
        out.append(P.make("invalid-status-code", code_path, mh.status_code))
    if mh.status_code == STATUS_TAKE_BACK_REQUEST:
        _required(mh.description, "MessageHeader/Description", out)
    _required(mh.timestamp, "MessageHeader/Timestamp", out)
    return out


def target_document_id(pkg: DocumentPackage) -> str:
    """DocumentId a revoke, update or replace refers to.

    ``Bussiness/DocumentId``; when a sender leaves it out (vendor SDKs do),
    ``MessageHeader/DocumentId``.
    """
    b = pkg.trace_header_list.bussiness
    return ((b.document_id if b is not None else "") or pkg.message_header.document_id or "").strip()


def replaced_document_ids(pkg: DocumentPackage) -> list[str]:
    """DocumentIds a replacement (business type 3) replaces.

    Those of ``ReplacementInfoList``; without that list, the target of
    :func:`target_document_id` (the vendor SDK's form: the replacement is sent
    under the id of the document it replaces).
    """
    b = pkg.trace_header_list.bussiness
    ids = [(r.document_id or "").strip() for r in (b.replacement_info_list if b is not None else ())]
    ids = [i for i in ids if i]
    if ids:
        return list(dict.fromkeys(ids))
    target = target_document_id(pkg)
    return [target] if target else []


def normalise_content_id(content_id: str) -> str:
    """Content id without ``cid:`` prefix and angle brackets, for matching."""
    cid = (content_id or "").strip().strip("<>").strip()
    if cid[:4].lower() == "cid:":
        cid = cid[4:]
    return cid.strip().strip("<>").strip()


def validate(
    pkg: DocumentPackage | StatusPackage, today: datetime.date | None = None
) -> list[P.Problem]:
    """Return every problem of ``pkg`` (errors and warnings), in field order.

    ``today`` (default: the current date in Vietnam) is the reference for the
    "promulgation date not in the future" rule.
    """
    if isinstance(pkg, StatusPackage):
        return _status(pkg)
    if isinstance(pkg, DocumentPackage):
        return _document(pkg, today or datetime.datetime.now(VN_TZ).date())
    return [P.make("unknown-package", "/")]


def errors(problems: list[P.Problem]) -> list[P.Problem]:
    """Only the blocking problems of a list."""
    return [p for p in problems if p.is_error]
