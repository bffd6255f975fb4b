"""The agency archive in Plone: export/import of dossiers, transfer (nộp lưu), legal hold, disposal (hủy).

Built on :mod:`dongthap.qlvb.dossiers.api` (the dossier type and its workflow)
and the Plone-free libraries of this package::

    from dongthap.qlvb.archive import api as archive

    archive.export_dossier(dossier, out)             # the ZIP package (streams into ``out``)
    archive.import_dossier(agency, fileobj)          # → the new dossier (records hold the files)
    t = archive.submit_transfer(agency, [uid, …])    # the unit prepares: list + handover record,
                                                     # the handover record signed by the submitter
                                                     # → "proposed" (chờ lãnh đạo duyệt)
    archive.approve_transfer(agency, t["id"])        # the agency's leader approves → "approved"
    archive.accept_transfer(agency, t["id"])         # the archive's records manager signs too;
                                                     # dossiers → transferred, documents → archived
    archive.return_transfer(agency, t["id"], reason) # the leader (proposed) or the archive
                                                     # (approved) sends it back with the reasons
    archive.transfer_due(agency, clock=…)            # 30-day warnings and overdue dossiers per unit
    archive.set_legal_hold(dossier, reason) / release_legal_hold(dossier, reason)
    d = archive.propose_disposal(agency, [uid, …], appraisal)   # records manager
    archive.approve_disposal(agency, d["id"])        # the leader
    archive.execute_disposal(agency, d["id"])        # records manager: biên bản hủy kept forever

Transfers and disposal lists live in an annotation of the agency (kept forever:
there is no function that deletes one).  Every function checks the current
user's permission and validates everything before it writes: a refused call
raises :class:`ArchiveRefused` (with a translatable message and a status) and
stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging

from BTrees.OOBTree import OOBTree
from DateTime import DateTime
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

from dongthap.qlvb.content.documents import system_transition
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.dossiers.registers import dossier_row
from dongthap.qlvb.i18n import _
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES

from . import retention as ret
from .errors import ArchiveError
from .package import ExportDocument, ExportFile, read_package, write_package

logger = logging.getLogger("dongthap.qlvb.archive")

EXPORT = "dongthap.qlvb: Export dossier"
IMPORT = "dongthap.qlvb: Import dossier"
SUBMIT_TRANSFER = "dongthap.qlvb: Submit transfer"
APPROVE_TRANSFER = "dongthap.qlvb: Approve transfer"
MANAGE_ARCHIVE = "dongthap.qlvb: Manage archive"
APPROVE_DISPOSAL = "dongthap.qlvb: Approve disposal"

#: States of a transfer (nộp lưu): prepared by the unit, approved by the agency's leader,
#: accepted by the archive; returned (with the reasons) by the leader or by the archive.
PROPOSED, APPROVED, ACCEPTED, RETURNED = "proposed", "approved", "accepted", "returned"
#: Transfers whose dossiers may not go into another transfer.
PENDING = (PROPOSED, APPROVED)
TRANSFER_STATE_TITLES = {
    PROPOSED: _("archive_transfer_proposed", default="Awaiting the leader's approval"),
    APPROVED: _("archive_transfer_approved", default="Approved, awaiting the archive"),
    ACCEPTED: _("archive_transfer_accepted", default="Accepted by the archive"),
    RETURNED: _("archive_transfer_returned", default="Returned"),
}

STORE_KEY = "dongthap.qlvb.archive"
IMPORTED_KEY = "dongthap.qlvb.archive.imported"
PDF = "application/pdf"


class ArchiveRefused(QlvbError, ValueError):
    """A refused archive action: ``message`` (translatable), ``status``, ``errors``."""

    def __init__(self, message, status=400, errors=None):
        super().__init__(message, errors, status)


def _refuse(message, status=400, **mapping):
    raise ArchiveRefused(_(str(message), default=message.default, mapping=mapping), status)


def _check(permission, obj):
    if not api.user.has_permission(permission, obj=obj):
        raise ArchiveRefused(_("error_archive_forbidden", default="You may not do this."), 403)


def _archive_staff(agency):
    """The archive's records manager or a leader of ``agency``."""
    return any(
        api.user.has_permission(permission, obj=agency)
        for permission in (MANAGE_ARCHIVE, APPROVE_DISPOSAL, APPROVE_TRANSFER)
    )


def _audit(action, agency, **detail):
    """One record of the audit trail (written when the transaction commits)."""
    from dongthap.qlvb.audit.log import log

    log(action, agency, detail={k: v for k, v in detail.items() if v not in (None, "", [])})


def _check_archive_staff(agency):
    if not _archive_staff(agency):
        raise ArchiveRefused(_("error_archive_forbidden", default="You may not do this."), 403)


def _userid():
    user = api.user.get_current()
    return user.getId() if user is not None else None


def _fullname(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") if user is not None else "") or userid or ""


def _now():
    return ret.vietnam_now()


def _store(agency, create=False):
    annotations = IAnnotations(agency)
    store = annotations.get(STORE_KEY)
    if store is None and create:
        store = annotations[STORE_KEY] = OOBTree()
        store["transfers"] = OOBTree()
        store["disposals"] = OOBTree()
    return store


def _next_id(container, prefix, year):
    n = 1 + sum(1 for key in container.keys() if key.startswith(f"{prefix}-{year}-"))
    return f"{prefix}-{year}-{n:03d}"


def _dossiers_by_uid(agency, uids):
    """{uid: dossier} of ``agency`` (whoever may see them); ArchiveRefused for unknown uids."""
    if not isinstance(uids, list) or not uids or not all(isinstance(u, str) and u for u in uids):
        _refuse(_("error_archive_no_dossiers", default="Choose at least one dossier."))
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(agency.getPhysicalPath())
    found = {
        b.UID: b._unrestrictedGetObject()
        for b in catalog.unrestrictedSearchResults(portal_type="Dossier", UID=list(uids), path=path)
    }
    missing = [u for u in uids if u not in found]
    if missing:
        _refuse(
            _("error_archive_unknown_dossier", default="No dossier ${uid} in this agency."),
            404,
            uid=missing[0],
        )
    return {u: found[u] for u in dict.fromkeys(uids)}


# --------------------------------------------------------------------------- export / import


def _type_name(doc):
    type_id = getattr(doc, "document_type", None)
    return DOCUMENT_TYPES.get(type_id, (type_id or "", ""))[0] if type_id else ""


def _blob_file(named, role, fallback):
    return ExportFile(
        getattr(named, "filename", None) or fallback,
        named.open,
        getattr(named, "contentType", None) or "application/octet-stream",
        role,
    )


def _imported(obj):
    return IAnnotations(obj).get(IMPORTED_KEY)


def export_document(ordinal, doc, dossier_fields):
    """One document (incoming, outgoing or record) as an :class:`ExportDocument`."""
    stored = _imported(doc)
    if stored is not None:  # a record imported from a package: exactly what was imported
        fields = dict(stored["fields"], DocOrdinal=ordinal)
        files = [ExportFile(f["name"], f["blob"].open, f["mime"], f["role"]) for f in stored["files"]]
        return ExportDocument(fields, files, dict(stored["extension"]))
    info = dossiers.describe(doc)
    number = getattr(doc, "code_number", None)
    notation = getattr(doc, "code_notation", None)
    if number is None and notation is None:
        number, _sep, notation = (info["notation"] or "").partition("/")
    fields = {
        "DocCode": f"{dossier_fields['FileCode']}.{ordinal:03d}",
        "OrganId": dossier_fields.get("OrganId"),
        "FileCatalog": dossier_fields.get("FileCatalog"),
        "FileNotation": dossier_fields.get("FileNotation"),
        "DocOrdinal": ordinal,
        "TypeName": _type_name(doc) or None,
        "CodeNumber": str(number) if number else None,
        "CodeNotation": notation or None,
        "IssuedDate": info["issued_date"],
        "OrganName": info["author"] or None,
        "Subject": doc.title,
        "Language": "Tiếng Việt",
        "PageAmount": getattr(doc, "page_amount", None) or None,
        "Mode": "Công khai",
        "ConfidenceLevel": "Bản gốc điện tử",
    }
    extension = {"Uid": info["uid"], "Kind": doc.portal_type, "State": info["state"] or ""}
    for key, attr in (
        ("ArrivalNumber", "arrival_number"),
        ("ArrivalDate", "arrival_date"),
        ("ReceivingOrganId", "receiving_agency_code"),  # Phụ lục VI III.1.g
        ("SignerName", "signer_name"),
        ("SignerPosition", "signer_position"),
    ):
        value = getattr(doc, attr, None)
        if value:
            extension[key] = value.isoformat() if isinstance(value, dt.date) else str(value)
    files = []
    main = getattr(doc, "file", None)
    if main is not None and getattr(main, "size", 0):
        files.append(_blob_file(main, "main", "van-ban.pdf"))
    for n, item in enumerate(getattr(doc, "attachments", None) or (), 1):
        if item is not None and getattr(item, "size", 0):
            files.append(_blob_file(item, "attachment", f"dinh-kem-{n}"))
    return ExportDocument(fields, files, extension)


def dossier_fields(dossier):
    """The TT 02/2019 fields of ``dossier`` (the imported provenance codes kept)."""
    agency = get_agency(dossier)
    info = dossiers.dossier_info(dossier)
    fields = {
        "FileCode": dossier.file_code,
        "OrganId": agency.agency_code,
        "FileCatalog": dossier.year,
        "FileNotation": dossier.notation,
        "Title": dossier.title,
        "Maintenance": dossiers.retention_title(dossier.retention),
        "Rights": "Hạn chế" if info["access"] == dossiers.RESTRICTED else "Công khai",
        "Creator": _fullname(dossier.responsible) or None,
        "Language": info["language"] or "Tiếng Việt",
        "StartDate": dossier.start_date,
        "EndDate": dossier.end_date,
        "DocTotal": dossier.doc_total or 0,
        "PageTotal": dossier.page_total or 0,
        "Description": info["description"] or None,
    }
    stored = _imported(dossier)
    if stored is not None:
        for key in (
            "FileCode",
            "Identifier",
            "OrganId",
            "FileCatalog",
            "FileNotation",
            "Creator",
            "InforSign",
            "Keyword",
            "SheetNumber",
            "PageNumber",
            "Format",
        ):
            if stored["fields"].get(key) not in (None, ""):
                fields[key] = stored["fields"][key]
    return fields


def export_dossier(dossier, out, *, exported_at=None):
    """Write the package of ``dossier`` into ``out``; returns the :class:`PackageSummary`."""
    _check(EXPORT, dossier)
    agency = get_agency(dossier)
    fields = dossier_fields(dossier)
    docs = [export_document(ordinal, doc, fields) for ordinal, doc in dossiers.documents_of(dossier)]
    extension = {
        "State": api.content.get_state(dossier),
        "Retention": dossier.retention,
        "Uid": api.content.get_uuid(dossier),
        "AgencyName": agency.title,
    }
    return write_package(
        out, fields, docs, agency_name=agency.title, extension=extension, exported_at=exported_at
    )


def _retention_token(maintenance):
    value = ret.parse_retention(maintenance)
    return dossiers.PERMANENT if value == ret.PERMANENT else str(value)


def scan_package(agency, upload):
    """Scan the package (a binary file object) before anything reads it — the antivirus looks
    inside the ZIP — when the scanner takes its size (a larger package's files are scanned one by
    one as they are stored). Raises :class:`ArchiveRefused` (400 malware, 503 scanner down)."""
    from dongthap.qlvb.antivirus import api as antivirus
    from dongthap.qlvb.documents import validation

    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if not size or size > validation.max_upload_bytes():
        return
    refused = antivirus.upload_refusal(antivirus.check_uploads(
        [("package", upload.read(), getattr(upload, "filename", None) or "ho-so.zip")],
        path_of_entry="import", agency=agency))
    upload.seek(0)
    if refused is not None:
        message, errors, status = refused
        raise ArchiveRefused(message, status, errors)


def import_dossier(agency, source):
    """Create a dossier in ``agency`` from the package in ``source`` (bytes, path or file);
    a file the antivirus refuses while the documents are stored is a refusal, not a failure
    (:class:`ArchiveRefused`, nothing stored).
    """
    from dongthap.qlvb.antivirus.scanner import AntivirusError
    from dongthap.qlvb.documents import validation

    try:
        return _import_dossier(agency, source)
    except AntivirusError as refused:
        import transaction

        transaction.doom()
        raise ArchiveRefused(refused.message, validation.antivirus_status(refused)) from None


def _import_dossier(agency, source):
    """Create a dossier in ``agency`` from the package in ``source`` (bytes, path or file).

    The package is validated first (:func:`read_package`); its documents become
    records of the dossier holding every original file byte for byte and the
    TT 02/2019 metadata as imported, so exporting the dossier again gives equal
    metadata and identical checksums.  Nothing is stored if anything fails.
    """
    _check(IMPORT, agency)
    with read_package(source) as package:
        meta = package.meta
        fields = meta.dossier
        try:
            token = _retention_token(fields["Maintenance"])
        except ArchiveError as problem:
            raise ArchiveRefused(problem.message) from None
        notation = fields.get("FileNotation") or str(fields["FileCode"]).rsplit(".", 1)[-1]
        year = fields.get("FileCatalog") or (fields.get("EndDate") or _now()).year
        try:
            dossiers.check_notation(notation)
            dossiers.check_file_code_free(agency, year, notation)
        except dossiers.DossierError as problem:
            raise ArchiveRefused(problem.message, problem.status, problem.errors) from None
        except Exception:  # noqa: BLE001 - the schema's ValidationError
            _refuse(
                _(
                    "error_archive_import_notation",
                    default="The dossier notation ${notation} cannot be used.",
                ),
                notation=notation[:20],
            )
        with api.env.adopt_roles(["Manager"]):
            dossier = dossiers.create_dossier(
                agency,
                {
                    "title": fields["Title"][:500],
                    "notation": notation,
                    "retention": token,
                    "access": dossiers.RESTRICTED if fields.get("Rights") == "Hạn chế" else dossiers.PUBLIC,
                    "access_people": [],
                    "access_units": [],
                    "responsible": _userid(),
                    "department": None,
                    "start_date": fields.get("StartDate"),
                    "end_date": fields.get("EndDate"),
                    "dossier_language": fields.get("Language") or "Tiếng Việt",
                    "description": (fields.get("Description") or "")[:500],
                },
                year=year,
            )
            IAnnotations(dossier)[IMPORTED_KEY] = PersistentMapping(
                fields=dict(fields), extension=dict(meta.extension), at=_now().isoformat()
            )
            for doc in sorted(meta.documents, key=lambda d: d.fields["DocOrdinal"]):
                _import_record(dossier, package, doc)
            dossiers.refresh_totals(dossier)
            dossiers._log(dossier, "import", fields["FileCode"])
    return dossier


def _import_record(dossier, package, doc):
    from plone.dexterity.utils import createContentInContainer

    f = doc.fields
    files = []
    for comp in doc.components:
        with package.open(comp.path) as fh:
            blob = NamedBlobFile(data=fh.read(), filename=comp.name, contentType=comp.mime)
        files.append(
            {"name": comp.name, "mime": comp.mime, "role": comp.role, "blob": blob, "sha256": comp.sha256}
        )
    main = next((x for x in files if x["role"] == "main"), None)
    notation = "/".join(str(v) for v in (f.get("CodeNumber"), f.get("CodeNotation")) if v)
    record = createContentInContainer(
        dossier,
        "DossierRecord",
        checkConstraints=False,
        title=(f.get("Subject") or f.get("TypeName") or f"Văn bản {f['DocOrdinal']}")[:500],
        code_notation=notation[:30] or None,
        issued_date=f.get("IssuedDate"),
        author=(f.get("OrganName") or "")[:200] or None,
        page_amount=f.get("PageAmount"),
        file=main["blob"] if main is not None else None,
    )
    IAnnotations(record)[IMPORTED_KEY] = PersistentMapping(
        fields=dict(f), extension=dict(doc.extension), files=PersistentList(files)
    )
    return record


# --------------------------------------------------------------------------- documents follow the dossier


def documents_archived(dossier, event=None):
    """Subscriber of ``DossierTransferred``: the dossier's documents go to ``archived``.

    Every document gets one trail entry ``archive`` naming the dossier (file code, UID,
    title), the transfer and who accepted it — also a document still assigned or in
    progress, whose state the dossier decides (NĐ 30: the dossier is archived whole).
    """
    from dongthap.qlvb.documents.trail import add_trail, trail_extra

    wf = api.portal.get_tool("portal_workflow")
    tid = getattr(dossier, "_v_qlvb_transfer", None)
    comment = f"Lưu trữ cùng hồ sơ {dossier.file_code} ({dossier.title})" + (
        f", nộp lưu theo biên bản {tid}" if tid else ""
    )
    extra = {
        "dossier": dossier.file_code,
        "dossier_uid": api.content.get_uuid(dossier),
        "dossier_title": dossier.title,
    }
    if tid:
        extra["transfer"] = tid
    with api.env.adopt_roles(["Manager"]):
        for _ordinal, doc in dossiers.documents_of(dossier):
            chains = wf.getChainFor(doc)
            if not chains or api.content.get_state(doc, default=None) in (None, "archived"):
                continue
            with system_transition(doc, "archive"), trail_extra(doc, **extra):
                offered = "archive" in {t["id"] for t in wf.getTransitionsFor(doc)}
                if offered:  # the kind's handler writes the trail entry (with ``extra``)
                    wf.doActionFor(doc, "archive", comment=comment)
            if not offered:  # not completed yet: the dossier decides (NĐ 30: the dossier is archived whole)
                wf.setStatusOf(
                    chains[0],
                    doc,
                    {
                        "review_state": "archived",
                        "action": "archive",
                        "actor": _userid(),
                        "comments": comment,
                        "time": DateTime(),
                    },
                )
                wf.getWorkflowById(chains[0]).updateRoleMappingsFor(doc)
                add_trail(doc, "archive", comment, state="archived", **extra)
            doc.reindexObject()
            doc.reindexObjectSecurity()


# --------------------------------------------------------------------------- transfer (nộp lưu)


def _transfer_rows(items):
    return [dossier_row(n, dossier) for n, dossier in enumerate(items, 1)]


def _totals(items):
    return {
        "dossiers": len(items),
        "documents": sum(d.doc_total or 0 for d in items),
        "pages": sum(d.page_total or 0 for d in items),
    }


def _sign(pdf, *, userid, side, signer=None):
    """A PAdES signature of ``userid`` on the handover record (left: hands over, right: receives)."""
    from dongthap.qlvb.signing import errors as signing_errors
    from dongthap.qlvb.signing import pdfsign
    from dongthap.qlvb.signing import settings as cfg
    from dongthap.qlvb.signing import usercerts

    name = _fullname(userid)
    position = "ĐẠI DIỆN BÊN GIAO" if side == "giver" else "ĐẠI DIỆN BÊN NHẬN"
    box = (60, 60, 270, 170) if side == "giver" else (325, 60, 535, 170)
    try:
        signer = signer or cfg.person_signer(userid, name)
        usercerts.check_registered(userid=userid, certificate=signer.certificate)
        return pdfsign.sign_person(
            pdf,
            signer,
            name,
            position,
            page=-1,
            box=box,
            timestamper=pdfsign.timestamper(cfg.tsa_url()),
            reason="Biên bản giao nhận tài liệu nộp lưu",
        )
    except signing_errors.SigningError as problem:
        raise ArchiveRefused(problem.message, 400) from None


def _blob(data, filename):
    return NamedBlobFile(data=data, filename=filename, contentType=PDF)


def _pending_uids(store):
    """UIDs of the dossiers in a transfer that is not decided yet."""
    return {
        u
        for t in (store["transfers"].values() if store is not None else ())
        if t["state"] in PENDING or t["state"] == "submitted"  # "submitted": stored before 1006
        for u in t["dossiers"]
    }


def _history(t, action, reason=None):
    """One step of the transfer's own history (who, when, what, why)."""
    entry = {"action": action, "by": _userid(), "at": _now().isoformat(), "reason": reason or None}
    if "history" not in t:
        t["history"] = PersistentList()
    t["history"].append(entry)
    return entry


def _log_dossiers(items, action, reason):
    """The step in the log of every dossier of the transfer."""
    for dossier in items:
        dossiers._log(dossier, action, reason)


def submit_transfer(agency, uids, *, note="", signer=None):
    """The unit prepares the transfer of closed dossiers: transfer list + handover record
    signed by the submitter (bên giao). The transfer then awaits the leader's approval
    (state ``proposed``); the archive sees it once approved.

    The submitter is the records manager or the responsible person of every
    dossier; each dossier must be closed and in no other pending transfer.
    """
    from .documents import handover_pdf, transfer_list_pdf

    _check(SUBMIT_TRANSFER, agency)
    items = _dossiers_by_uid(agency, uids)
    userid = _userid()
    may_manage = api.user.has_permission(dossiers.MANAGE_DOSSIERS, obj=agency)
    store = _store(agency)
    pending = _pending_uids(store)
    for uid, dossier in items.items():
        if not may_manage and dossier.responsible != userid:
            raise ArchiveRefused(
                _(
                    "error_archive_not_responsible",
                    default="You are not responsible for dossier ${code}.",
                    mapping={"code": dossier.file_code},
                ),
                403,
            )
        if api.content.get_state(dossier) != "closed":
            _refuse(
                _("error_archive_not_closed", default="Dossier ${code} is not closed."),
                409,
                code=dossier.file_code,
            )
        if uid in pending:
            _refuse(
                _(
                    "error_archive_pending",
                    default="Dossier ${code} is already in a transfer awaiting the archive.",
                ),
                409,
                code=dossier.file_code,
            )
    ordered = sorted(items.values(), key=lambda d: d.file_code)
    now = _now()
    store = _store(agency, create=True)
    tid = _next_id(store["transfers"], "NL", now.year)
    totals = _totals(ordered)
    rows = _transfer_rows(ordered)
    list_pdf = transfer_list_pdf(agency, rows, ordered, now)
    handover = handover_pdf(agency, tid, totals, now, giver=_fullname(userid), note=note)
    handover = _sign(handover, userid=userid, side="giver", signer=signer)
    t = store["transfers"][tid] = PersistentMapping(
        id=tid,
        state=PROPOSED,
        dossiers=[api.content.get_uuid(d) for d in ordered],
        rows=rows,
        totals=totals,
        note=note or "",
        submitted_by=userid,
        submitted_at=now.isoformat(),
        list_pdf=_blob(list_pdf, f"muc-luc-ho-so-nop-luu-{tid}.pdf"),
        handover_pdf=_blob(handover, f"bien-ban-giao-nhan-{tid}.pdf"),
        signatures=PersistentList([{"side": "giver", "by": userid, "at": now.isoformat()}]),
        approved_by=None,
        approved_at=None,
        decided_by=None,
        decided_at=None,
        returned_by=None,
        reasons="",
        history=PersistentList(),
    )
    _history(t, "propose", note or None)
    _log_dossiers(ordered, "transfer_proposed", tid)
    _audit("archive_transfer_proposed", agency, transfer=tid, dossiers=[d.file_code for d in ordered])
    return transfer_info(agency, tid)


def _record(agency, kind, rid, message):
    """The stored transfer or disposal list ``rid`` (``kind``: "transfers" or "disposals"), or 404."""
    store = _store(agency)
    found = store[kind].get(rid) if store is not None and isinstance(rid, str) else None
    if found is None:
        _refuse(message, 404, id=str(rid)[:40])
    return found


def _transfer(agency, tid):
    return _record(
        agency,
        "transfers",
        tid,
        _("error_archive_unknown_transfer", default="No transfer ${id} in this agency."),
    )


def _visible_transfer(agency, tid):
    t = _transfer(agency, tid)
    if not _archive_staff(agency) and t["submitted_by"] != _userid():
        raise ArchiveRefused(_("error_archive_forbidden", default="You may not do this."), 403)
    return t


def transfer_info(agency, tid):
    """One transfer as a dict (the archive staff, the leaders and the person who prepared it)."""
    t = _visible_transfer(agency, tid)
    base = f"{agency.absolute_url()}/@archive-transfers/{t['id']}"
    info = {
        k: (list(v) if isinstance(v, PersistentList) else v)
        for k, v in t.items()
        if k not in ("list_pdf", "handover_pdf")
    }
    info.setdefault("approved_by", None)
    info.setdefault("approved_at", None)
    info.setdefault("returned_by", None)
    info["signatures"] = [dict(s) for s in t["signatures"]]
    info["history"] = [dict(h) for h in t.get("history", ())]
    info["rows"] = [dict(r) for r in t["rows"]]
    info["totals"] = dict(t["totals"])
    info["state_title"] = TRANSFER_STATE_TITLES.get(t["state"], t["state"])
    info["list_pdf"] = f"{base}/list.pdf"
    info["handover_pdf"] = f"{base}/handover.pdf"
    info["@id"] = base
    return info


def transfers(agency, state=None):
    """Transfers of ``agency``: all for the archive staff and leaders, one's own for the others."""
    store = _store(agency)
    if store is None:
        return []
    staff, userid = _archive_staff(agency), _userid()
    return [
        transfer_info(agency, tid)
        for tid, t in store["transfers"].items()
        if (state is None or t["state"] == state) and (staff or t["submitted_by"] == userid)
    ]


def transfer_file(agency, tid, which):
    t = _visible_transfer(agency, tid)
    return t["list_pdf"] if which == "list" else t["handover_pdf"]


def _not_awaiting(tid, state):
    if state in (ACCEPTED, RETURNED):
        _refuse(
            _("error_archive_transfer_decided", default="Transfer ${id} has already been decided."),
            409,
            id=tid,
        )
    if state == PROPOSED:
        _refuse(
            _(
                "error_archive_transfer_unapproved",
                default="Transfer ${id} has not been approved by the agency's leader yet.",
            ),
            409,
            id=tid,
        )
    _refuse(
        _(
            "error_archive_transfer_not_proposed",
            default="Transfer ${id} is not awaiting the leader's approval.",
        ),
        409,
        id=tid,
    )


def approve_transfer(agency, tid):
    """The agency's leader approves the prepared transfer list; the archive may then accept it."""
    _check(APPROVE_TRANSFER, agency)
    t = _transfer(agency, tid)
    if t["state"] != PROPOSED:
        _not_awaiting(tid, t["state"])
    userid = _userid()
    if userid == t["submitted_by"]:
        _refuse(
            _(
                "error_archive_approve_own",
                default="The person who prepared the transfer cannot approve it.",
            ),
            409,
        )
    items = _dossiers_by_uid(agency, list(t["dossiers"]))
    for dossier in items.values():
        if api.content.get_state(dossier) != "closed":
            _refuse(
                _("error_archive_not_closed", default="Dossier ${code} is not closed."),
                409,
                code=dossier.file_code,
            )
    now = _now().isoformat()
    t["state"] = APPROVED
    t["approved_by"], t["approved_at"] = userid, now
    _history(t, "approve")
    _log_dossiers(items.values(), "transfer_approved", tid)
    _audit("archive_transfer_approved", agency, transfer=tid, dossiers=[d.file_code for d in items.values()])
    return transfer_info(agency, tid)


def accept_transfer(agency, tid, *, signer=None):
    """The archive's records manager signs the handover record and takes the dossiers in
    (only a transfer the leader approved)."""
    _check(MANAGE_ARCHIVE, agency)
    t = _transfer(agency, tid)
    if t["state"] != APPROVED:
        _not_awaiting(tid, t["state"])
    userid = _userid()
    if userid == t["submitted_by"]:
        _refuse(
            _(
                "error_archive_same_person",
                default="The person who receives the dossiers cannot be the one who handed them over.",
            ),
            409,
        )
    items = _dossiers_by_uid(agency, list(t["dossiers"]))
    for dossier in items.values():
        if api.content.get_state(dossier) != "closed":
            _refuse(
                _("error_archive_not_closed", default="Dossier ${code} is not closed."),
                409,
                code=dossier.file_code,
            )
    signed = _sign(bytes(t["handover_pdf"].data), userid=userid, side="receiver", signer=signer)
    now = _now().isoformat()
    for dossier in items.values():
        dossier._v_qlvb_transfer = tid
        try:
            dossiers.transfer_dossier(dossier, f"Nộp lưu theo biên bản {tid}")
        finally:
            dossier._v_qlvb_transfer = None
    t["handover_pdf"] = _blob(signed, t["handover_pdf"].filename)
    t["signatures"].append({"side": "receiver", "by": userid, "at": now})
    t["state"] = ACCEPTED
    t["decided_by"], t["decided_at"] = userid, now
    _history(t, "accept")
    _audit("archive_transfer_accepted", agency, transfer=tid, dossiers=[d.file_code for d in items.values()])
    return transfer_info(agency, tid)


def return_transfer(agency, tid, reasons):
    """Send the transfer back with the reasons (its dossiers stay closed): the leader while it
    awaits his approval, the archive's records manager once it is approved."""
    t = _transfer(agency, tid)
    state = t["state"]
    if state == PROPOSED:
        _check(APPROVE_TRANSFER, agency)
    elif state in (APPROVED, "submitted"):
        _check(MANAGE_ARCHIVE, agency)
    else:
        _check_archive_staff(agency)
        _not_awaiting(tid, state)
    reasons = " ".join(str(reasons or "").split()) if isinstance(reasons, (str, type(None))) else ""
    if not reasons:
        raise ArchiveRefused(
            _("error_archive_reasons", default="Give the reasons for returning the transfer."),
            400,
            [{"field": "reasons", "message": _("error_required", default="Required.")}],
        )
    t["state"] = RETURNED
    t["reasons"] = reasons[:2000]
    t["returned_by"] = "leader" if state == PROPOSED else "archive"
    t["decided_by"], t["decided_at"] = _userid(), _now().isoformat()
    _history(t, "return", reasons[:2000])
    items = _dossiers_by_uid(agency, list(t["dossiers"]))
    _log_dossiers(items.values(), "transfer_returned", f"{tid}: {reasons[:1000]}")
    _audit("archive_transfer_returned", agency, transfer=tid, reasons=reasons[:2000], by=t["returned_by"])
    return transfer_info(agency, tid)


def _facts(dossier):
    hold = getattr(dossier, "qlvb_legal_hold", None)
    dept = dossier.department or ""
    return ret.DossierFacts(
        code=dossier.file_code,
        title=dossier.title,
        unit=dept,
        state=api.content.get_state(dossier),
        end_date=dossier.end_date,
        retention=dossier.retention or ret.PERMANENT,
        construction=bool(getattr(dossier, "construction_project", False)),
        legal_hold=bool(hold),
        extra={"uid": api.content.get_uuid(dossier)},
    )


def transfer_due(agency, *, clock=None):
    """Dossiers due for transfer within 30 days or overdue, and the overdue ones per unit."""
    _check(dossiers.VIEW_DOSSIERS, agency)
    facts = [_facts(b.getObject()) for b in dossiers.agency_dossiers(agency)]
    warned = ret.transfer_warnings(facts, clock=clock)

    def row(f, status):
        return {
            "uid": f.extra["uid"],
            "file_code": f.code,
            "title": f.title,
            "unit": f.unit,
            "state": status.state,
            "due": status.due.isoformat(),
            "days_left": status.days_left,
        }

    return {
        "warnings": [row(f, s) for f, s in warned if s.state == ret.WARNING],
        "overdue_by_unit": {
            unit: [row(f, s) for f, s in rows]
            for unit, rows in ret.overdue_by_unit(facts, clock=clock).items()
        },
    }


# --------------------------------------------------------------------------- legal hold and disposal


def set_legal_hold(dossier, reason):
    """Block the disposal of ``dossier`` (records manager or leader); the reason is required."""
    _check_archive_staff(get_agency(dossier))
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ArchiveRefused(
            _("error_archive_hold_reason", default="Give the reason for the legal hold."),
            400,
            [{"field": "reason", "message": _("error_required", default="Required.")}],
        )
    dossier.qlvb_legal_hold = {"reason": reason[:1000], "by": _userid(), "at": _now().isoformat()}
    dossiers._log(dossier, "legal_hold", reason[:1000])
    return dict(dossier.qlvb_legal_hold)


def release_legal_hold(dossier, reason):
    _check_archive_staff(get_agency(dossier))
    dossier.qlvb_legal_hold = None
    dossiers._log(dossier, "legal_hold_released", " ".join(str(reason or "").split())[:1000] or None)


def _disposal_check(agency, items, clock):
    errors = []
    for dossier in items.values():
        for problem in ret.disposal_problems(_facts(dossier), clock=clock):
            errors.append(
                {
                    "field": "dossiers",
                    "message": _(
                        "error_archive_not_disposable",
                        default="${code}: ${reason}",
                        mapping={"code": dossier.file_code, "reason": problem},
                    ),
                }
            )
    if errors:
        raise ArchiveRefused(
            _("error_archive_disposal_refused", default="These dossiers cannot be destroyed."), 409, errors
        )


def propose_disposal(agency, uids, appraisal, *, clock=None):
    """The records manager lists expired dossiers for destruction with the appraisal."""
    _check(MANAGE_ARCHIVE, agency)
    items = _dossiers_by_uid(agency, uids)
    appraisal = " ".join(str(appraisal or "").split()) if isinstance(appraisal, (str, type(None))) else ""
    if not appraisal:
        raise ArchiveRefused(
            _("error_archive_appraisal", default="Write the appraisal of the dossiers."),
            400,
            [{"field": "appraisal", "message": _("error_required", default="Required.")}],
        )
    _disposal_check(agency, items, clock)
    now = _now()
    store = _store(agency, create=True)
    did = _next_id(store["disposals"], "HY", now.year)
    store["disposals"][did] = PersistentMapping(
        id=did,
        state="proposed",
        dossiers=list(items),
        appraisal=appraisal[:5000],
        proposed_by=_userid(),
        proposed_at=now.isoformat(),
        approved_by=None,
        approved_at=None,
        executed_by=None,
        executed_at=None,
        destroyed=PersistentList(),
        record_pdf=None,
    )
    return disposal_info(agency, did)


def _disposal(agency, did):
    return _record(
        agency,
        "disposals",
        did,
        _("error_archive_unknown_disposal", default="No disposal list ${id} in this agency."),
    )


def disposal_info(agency, did):
    _check_archive_staff(agency)
    d = _disposal(agency, did)
    info = {k: v for k, v in d.items() if k != "record_pdf"}
    info["dossiers"] = list(d["dossiers"])
    info["destroyed"] = [dict(x) for x in d["destroyed"]]
    info["@id"] = f"{agency.absolute_url()}/@archive-disposals/{d['id']}"
    info["record_pdf"] = f"{info['@id']}/record.pdf" if d["record_pdf"] is not None else None
    return info


def disposals(agency):
    _check_archive_staff(agency)
    store = _store(agency)
    return [disposal_info(agency, did) for did in store["disposals"].keys()] if store is not None else []


def disposal_file(agency, did):
    _check_archive_staff(agency)
    d = _disposal(agency, did)
    if d["record_pdf"] is None:
        _refuse(_("error_archive_no_record", default="The disposal has not been carried out yet."), 404)
    return d["record_pdf"]


def approve_disposal(agency, did, *, clock=None):
    """The leader approves a proposed disposal list (the rules are checked again)."""
    _check(APPROVE_DISPOSAL, agency)
    d = _disposal(agency, did)
    if d["state"] != "proposed":
        _refuse(
            _("error_archive_disposal_state", default="Disposal list ${id} is not awaiting this step."),
            409,
            id=did,
        )
    _disposal_check(agency, _dossiers_by_uid(agency, list(d["dossiers"])), clock)
    d["state"] = "approved"
    d["approved_by"], d["approved_at"] = _userid(), _now().isoformat()
    return disposal_info(agency, did)


def _snapshot(dossier):
    fields = dossier_fields(dossier)
    docs = []
    for ordinal, doc in dossiers.documents_of(dossier):
        exported = export_document(ordinal, doc, fields)
        docs.append(
            {
                "fields": {
                    k: (v.isoformat() if isinstance(v, dt.date) else v)
                    for k, v in exported.fields.items()
                    if v not in (None, "")
                },
                "files": [{"name": f.name, "sha256": _sha256(f)} for f in exported.files],
            }
        )
    return {
        "uid": api.content.get_uuid(dossier),
        "fields": {
            k: (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in fields.items()
            if v not in (None, "")
        },
        "documents": docs,
    }


def _sha256(export_file):
    digest = hashlib.sha256()
    with export_file.open() as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def execute_disposal(agency, did, *, clock=None):
    """Destroy the dossiers of an approved list; the disposal record keeps their metadata forever.

    Documents held only by destroyed dossiers are deleted; a document also in a
    dossier that is kept stays (and is noted in the record).
    """
    from .documents import disposal_record_pdf

    _check(MANAGE_ARCHIVE, agency)
    d = _disposal(agency, did)
    if d["state"] != "approved":
        _refuse(
            _("error_archive_disposal_state", default="Disposal list ${id} is not awaiting this step."),
            409,
            id=did,
        )
    items = _dossiers_by_uid(agency, list(d["dossiers"]))
    _disposal_check(agency, items, clock)
    snapshots = [_snapshot(dossier) for dossier in items.values()]
    destroyed_uids = set(items)
    now = _now()
    kept_docs = []
    with api.env.adopt_roles(["Manager"]):
        for dossier in items.values():
            documents = dossiers.documents_of(dossier)
            dossiers.dispose_dossier(dossier, f"Hủy theo danh mục {did}")
            for _ordinal, doc in documents:
                others = set(dossiers.dossier_uids_of(doc)) - destroyed_uids
                live = [u for u in others if api.content.get_state(api.content.get(UID=u)) != "disposed"]
                if live:
                    kept_docs.append(api.content.get_uuid(doc))
                    continue
                # archived records grant "Delete objects" to nobody: the approved disposal does it
                doc.aq_parent._delObject(doc.getId())
    d["destroyed"] = PersistentList(snapshots)
    d["kept_documents"] = kept_docs
    d["record_pdf"] = _blob(disposal_record_pdf(agency, did, d, snapshots, now), f"bien-ban-huy-{did}.pdf")
    d["state"] = "executed"
    d["executed_by"], d["executed_at"] = _userid(), now.isoformat()
    return disposal_info(agency, did)


def package_bytes(dossier) -> bytes:
    """The package of ``dossier`` in memory (tests and small dossiers)."""
    out = io.BytesIO()
    export_dossier(dossier, out)
    return out.getvalue()
