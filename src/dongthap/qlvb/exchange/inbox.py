"""The inbox: turn one received edXML package into incoming documents or status updates.

:func:`process_package` is the single path of every package that enters
from outside — the worker polling the axis or a drop folder, and a clerk's
``@edxml-import``.  It runs inside the caller's transaction (the worker
commits the decision together with its record of the axis DocId) and never
raises on hostile input: it returns an :class:`~.engine.Outcome`.

For a **document package** (BussinessDocType 0 new / 3 replace):

1. parse safely (the edXML library: no DTD/entities, depth limits, the one
   size limit ``QLVB_EXCHANGE_MAX_PACKAGE_MB``); a formatting slip (bytes
   before ``<?xml``, an undeclared ``xlink:`` prefix) is read in tolerant mode
   and noted (:mod:`.acceptance`); validate — warnings (e.g. a trace hop
   without OrganId) go to the import report; unreadable or invalid → refused;
2. refused when it is marked secret (MẬT / TỐI MẬT / TUYỆT MẬT: state
   secrets never enter the system, QĐ 595);
3. find the addressed agencies of this site by OrganId (``To``); none → refused;
4. deduplicate per agency on DocumentId (persistent index): a package seen
   before is acknowledged and ignored;
5. scan every attachment with clamd (``antivirus.api.check_file``, path
   ``exchange``; ZIPs are scanned as bytes, never extracted by us); infected
   → refused; scanner unreachable → :class:`~.engine.RetryLater` (nothing is
   acknowledged, the package is processed again later);
6. create an ``IncomingDocument`` in state ``received`` in each addressed
   agency (first PDF = the document, other PDFs = attachments, other files
   kept aside unopened; without a bare PDF: the only PDF of a ZIP, else the
   Word file as sent, marked ``reference`` — :mod:`.edxml.mainfile`), verify
   its signatures (``signing.api.verify``), keep the package, and queue
   status **01** to the sender.

Refusals are acknowledged ``fail``, answered with status **02** and a
Vietnamese reason (when the sender can be identified) in the name of one of
our agencies (never of a foreign code the sender wrote), and recorded for the
"exchange problems" list (:mod:`.refusals`).  A **revoke** (1)
recalls the earlier document per NĐ 30 (not yet registered: destroyed and
answered with **15**; registered: frozen until the clerk destroys it, then
answered with **15** carrying the destruction record; both logged);
an **update** (2) corrects the earlier document (or recalls it for an agency
removed from the receivers); a **replace** (3) creates the new document and
freezes the replaced one, linking both.  A **status package** updates the
recipient status of the matching outgoing entry.
"""

from __future__ import annotations

import datetime
import hashlib
import logging

from dongthap.qlvb.content.agency import find_agency_by_code
from dongthap.qlvb.utils import secrecy
from dongthap.qlvb.utils.text import fold
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from persistent.mapping import PersistentMapping
from plone import api
from ZODB.blob import Blob
from zope.event import notify
from zope.interface import alsoProvides

from . import authority, edxml, takeback
from .acceptance import read_package, report_warnings, too_large_reason
from .edxml import mainfile
from .edxml.rules import errors as blocking
from .edxml.rules import replaced_document_ids, target_document_id
from .engine import Outcome, RetryLater
from .events import RecipientStatusChanged
from .outbox import queue_status
from .queue import document_key
from .storage import IExchangedDocument, get_store

logger = logging.getLogger("dongthap.qlvb.exchange")

VN_TZ = edxml.constants.VN_TZ
URGENCY_OF_PRIORITY = {0: "thuong", 1: "khan", 2: "thuong_khan", 3: "hoa_toc", 4: "hoa_toc"}
EXCHANGE_ATTR = "qlvb_exchange"
RECALL_ATTR = "qlvb_recalled"
MAX_REASON = 900


_norm = fold


_TYPE_BY_NAME = {_norm(name): key for key, (name, _abbr) in DOCUMENT_TYPES.items()}
_TYPE_BY_ABBR = {abbr.upper(): key for key, (_name, abbr) in DOCUMENT_TYPES.items() if abbr}


def document_type_of(header) -> str:
    """Our document type id from TypeName, else from the notation's prefix; công văn by default."""
    by_name = _TYPE_BY_NAME.get(_norm(header.document_type.type_name))
    if by_name:
        return by_name
    prefix = (header.code.code_notation or "").split("-", 1)[0].strip().upper()
    return _TYPE_BY_ABBR.get(prefix, "cong_van")


def secret_marking(pkg) -> str:
    """The secrecy marking found in the package ("" when none).

    Markings are the capitalised words of NĐ 30 (MẬT, TỐI MẬT, TUYỆT MẬT) in
    the fields where senders put them, in any Unicode form (NFC or NFD);
    "bí mật"/"BÍ MẬT" in a subject is a topic, not a marking
    (:mod:`dongthap.qlvb.utils.secrecy`).
    """
    mh = pkg.message_header
    fields = [mh.other_info.sphere_of_promulgation, mh.steering_type, mh.document_type.type_name,
              mh.document_type.type_detail, mh.subject, mh.other_info.typer_notation,
              *mh.other_info.appendixes, *mh.to_places]
    return secrecy.secret_marking(texts=fields)


def _cut(text, size):
    return (text or "").strip()[:size]


def _ascii(text, size):
    text = (text or "").strip()
    return text[:size] if text.isascii() else ""


def _agency(code):
    brain = find_agency_by_code(code) if code else None
    return brain._unrestrictedGetObject() if brain is not None else None


def _response_for(pkg) -> edxml.ResponseFor:
    mh = pkg.message_header
    code = f"{mh.code.code_number}/{mh.code.code_notation}" if mh.code.code_notation else mh.code.code_number
    return edxml.ResponseFor(mh.from_.organ_id, code, mh.promulgation_info.promulgation_date, mh.document_id)


def _our_org(agency=None, organ_id=""):
    if agency is not None:
        from .outbox import organization_of

        return organization_of(agency)
    return edxml.Organization(organ_id=organ_id)


def reply(pkg_or_none, *, code, description, agency=None, organ_id="", to="", document_id="",
          document_uid="", site=None):
    """Queue a status package answering a received package (or an unreadable one)."""
    if pkg_or_none is not None:
        response_for = _response_for(pkg_or_none)
    else:
        response_for = edxml.ResponseFor(to, "", None, document_id)
    if not response_for.organ_id or not response_for.document_id:
        return None
    sender = _our_org(agency, organ_id)
    if not sender.organ_id:
        return None
    return queue_status(site=site, sender=sender, recipient=response_for.organ_id,
                        response_for=response_for, code=code, description=description[:MAX_REASON],
                        document_uid=document_uid)


class Inbox:
    """Process packages for one site (see the module docstring)."""

    def __init__(self, site, *, source="axis", import_agency=None):
        self.site = site
        self.source = source
        self.import_agency = import_agency
        self._prepared = None  # see prepare()

    @property
    def store(self):
        """The site's exchange store, looked up anew on every use (never kept across transactions).

        The worker builds the inbox before the engine's transactions begin.
        On a site that never exchanged, ``get_store`` creates the store in that
        outer transaction, which the engine's ``begin()`` then aborts: a kept
        reference would be an orphan, so the dedup index (``documents``) and
        the log of the first package received would silently be lost (and a
        later recall of that document would find nothing).
        """
        return get_store(self.site)

    # -- entry points ----------------------------------------------------------
    def __call__(self, data, item=None):
        return self.process(data, source_id=getattr(item, "doc_id", "") or "",
                            sender_hint=getattr(item, "sender", "") or "")

    def refuse_unhandled(self, data, item, reason):
        """Called by the engine when a package failed again and again."""
        try:
            pkg = edxml.parse(data)
        except Exception:  # noqa: BLE001
            pkg = None
        self._refuse(pkg if isinstance(pkg, edxml.DocumentPackage) else None, reason,
                     source_id=getattr(item, "doc_id", ""), sender_hint=getattr(item, "sender", ""))

    def prepare(self, data) -> None:
        """The slow, read-only work on ``data``, done once before the transaction of :meth:`process`.

        Parses the package, scans its attachments (the antivirus records its incidents
        itself) and verifies the signatures of its PDFs. :meth:`process` (retried on
        conflicts, in a small transaction) then reuses these results for the same
        ``data`` instead of doing the work again inside the transaction. Raises
        :class:`~.engine.RetryLater` when the scanner cannot be reached. Anything else
        that goes wrong here is left for :meth:`process` to find and answer as before.
        Packages that :meth:`process` answers without scanning (a recall, a secret or
        already received package, one addressed to none of ours) are only parsed.

        Both the hand import (``@edxml-import``) and the exchange engine (worker: axis,
        drop folder) call it before their transaction.
        """
        prepared = {"data": data, "pkg": None, "scans": None, "reports": {}}
        self._prepared = prepared
        try:
            pkg = read_package(data)
        except Exception:  # noqa: BLE001 - process() parses again and refuses
            return
        prepared["pkg"] = pkg
        if not isinstance(pkg, edxml.DocumentPackage) or blocking(edxml.validate(pkg)):
            return
        if pkg.business_doc_type == edxml.DOCTYPE_REVOKE or secret_marking(pkg):
            return  # a recall creates nothing, a secret package is refused: nothing to scan or verify
        targets = self._targets(pkg)
        if pkg.business_doc_type != edxml.DOCTYPE_UPDATE:
            targets = [a for a in targets if self._is_new(pkg, a, data)]
            if not targets:
                return  # received before (or for none of ours): process() answers without scanning
        try:
            self._prepare_files(prepared, pkg, targets[0] if targets else self.import_agency)
        except BaseException:
            self._prepared = None  # never half the results: process() does all the work itself
            raise

    def _prepare_files(self, prepared, pkg, agency):
        prepared["scans"] = self._scan_now(pkg, agency)
        from dongthap.qlvb.signing import api as signing
        from dongthap.qlvb.signing.verify import ATTACHMENT, DOCUMENT

        choice = mainfile.choose(pkg.attachments)
        files = [(choice.main_data, DOCUMENT)] if choice.verifiable and choice.main is not None else []
        files += [(att.data, ATTACHMENT) for att in choice.pdf_attachments]
        for content, rule in files:
            key = (signing.sha256(content), rule)
            if key not in prepared["reports"]:
                prepared["reports"][key] = signing.verify_bytes(content, rule=rule)

    def _ready_pkg(self, pkg):
        prepared = self._prepared
        return prepared if prepared is not None and prepared["pkg"] is pkg else None

    def process(self, data, *, source_id="", sender_hint="") -> Outcome:
        try:
            prepared = self._prepared
            if prepared is not None and prepared["data"] is data and prepared["pkg"] is not None:
                pkg = prepared["pkg"]
            else:
                pkg = read_package(data)
        except edxml.PackageTooLargeError:
            return self._refuse(None, too_large_reason(), source_id=source_id, sender_hint=sender_hint)
        except edxml.EdXMLError as exc:
            return self._refuse(None, f"Gói tin không đọc được (không đúng định dạng edXML): {exc}",
                                source_id=source_id, sender_hint=sender_hint)
        except Exception as exc:  # noqa: BLE001 - the parser must never take the inbox down
            logger.exception("exchange: parser failure")
            return self._refuse(None, f"Gói tin không đọc được: {type(exc).__name__}",
                                source_id=source_id, sender_hint=sender_hint)
        if isinstance(pkg, edxml.StatusPackage):
            return self._status(pkg, source_id)
        return self._document(pkg, source_id, sender_hint, data)

    # -- refusals --------------------------------------------------------------
    def _refuse(self, pkg, reason, *, source_id="", sender_hint="", agency=None):
        mh = pkg.message_header if pkg is not None else None
        organ_id = ""
        addressed = [o.organ_id.strip() for o in mh.to if o.organ_id.strip()] if mh is not None else []
        ours = [a for a in (_agency(code) for code in addressed) if a is not None]
        if agency is None and ours:
            agency = ours[0]
        if agency is None and self.import_agency is not None:
            agency = self.import_agency
        if agency is None:
            # Never answer in the name of the foreign code the sender wrote: answer as this site.
            organ_id = self._default_organ()
        entry = reply(pkg, code=edxml.constants.STATUS_REFUSED, description=reason, agency=agency,
                      organ_id=organ_id, to=sender_hint, document_id=source_id, site=self.site)
        code = ""
        if mh is not None and mh.code.code_number:
            code = "/".join(x for x in (mh.code.code_number, mh.code.code_notation) if x)
        self.store.record("refused", reason=reason[:MAX_REASON], source=self.source, source_id=source_id,
                          sender=(mh.from_.organ_id if mh else sender_hint),
                          sender_name=(mh.from_.organ_name if mh else ""),
                          document_id=(mh.document_id if mh else ""), code=code,
                          subject=_cut(mh.subject if mh else "", 300), addressed=addressed,
                          ours=bool(ours) or self.import_agency is not None,
                          agency=agency.agency_code if agency is not None else organ_id,
                          answered=entry.id if entry is not None else "",
                          answered_by=entry.sender if entry is not None else "")
        logger.warning("exchange: package %s refused: %s", source_id or "(import)", reason)
        return Outcome(ack="fail", result="refused", reason=reason)

    def _forged(self, reason, source_id, *, sender, document_id, agency=None):
        """A package changing what its sender may not change: refused, logged, an incident."""
        authority.report_forgery(self.site, reason=reason, agency=agency or self.import_agency,
                                 source=self.source, source_id=source_id, sender=sender,
                                 document_id=document_id, store=self.store)
        return Outcome(ack="fail", result=authority.FORBIDDEN, reason=reason)

    def _default_organ(self):
        """OrganId answering for packages that name none of our agencies: the first agency."""
        brains = api.content.find(portal_type="Agency", unrestricted=True, sort_on="path", sort_limit=1)
        return brains[0].qlvb_agency_code if brains else ""

    # -- status packages -------------------------------------------------------
    def _status(self, pkg, source_id):
        problems = blocking(edxml.validate(pkg))
        mh = pkg.message_header
        if problems:
            reason = "; ".join(p.message_vi for p in problems)
            self.store.record("status-invalid", reason=reason[:MAX_REASON], source_id=source_id)
            return Outcome(ack="fail", result="refused", reason=reason)  # never answer a status
        if mh.status_code == edxml.constants.STATUS_TAKE_BACK_REQUEST:  # the sender asks it back
            outcome = takeback.take_back_request(self, pkg, source_id)
            if outcome is not None:
                return outcome
        entries, forged = authority.status_entries(self.store, mh, self.import_agency)
        if forged:
            return self._forged(forged, source_id, sender=mh.from_.organ_id,
                                document_id=mh.response_for.document_id)
        stamp = mh.timestamp.isoformat() if mh.timestamp else ""
        key = f"{mh.response_for.document_id}|{mh.from_.organ_id}|{mh.status_code}|{stamp}"
        if key in self.store.statuses_seen:
            return Outcome(result="duplicate")
        self.store.statuses_seen.insert(key)
        if not entries:
            self.store.record("status-orphan", code=mh.status_code, sender=mh.from_.organ_id,
                              document_id=mh.response_for.document_id, source_id=source_id)
            return Outcome(result="ignored", reason="no matching outgoing document")
        staff = " ".join(x for x in (mh.staff_info.staff, mh.staff_info.department) if x)
        for entry in entries:
            entry.add_business_status(mh.status_code, mh.description, stamp, staff, key)
            notify(RecipientStatusChanged(entry.document_uid, entry.recipient, mh.status_code,
                                          mh.description))
        return Outcome(result="status")

    # -- document packages -----------------------------------------------------
    def _document(self, pkg, source_id, sender_hint, data):
        mh = pkg.message_header
        checked = edxml.validate(pkg)
        pkg.warnings = report_warnings(pkg, checked)
        problems = blocking(checked)
        if problems:
            reason = "Gói tin không hợp lệ: " + "; ".join(p.message_vi for p in problems[:8])
            return self._refuse(pkg, reason, source_id=source_id, sender_hint=sender_hint)
        marking = secret_marking(pkg)
        if marking:
            return self._refuse(pkg, f"Văn bản có độ mật \"{marking}\": văn bản mật không được gửi, "
                                     "nhận qua hệ thống (Quyết định 595/QĐ-UBND).",
                                source_id=source_id, sender_hint=sender_hint)
        targets = self._targets(pkg)
        if not targets:
            addressed = ", ".join(o.organ_id for o in mh.to)
            return self._refuse(pkg, f"Không có cơ quan nhận {addressed} trong hệ thống.",
                                source_id=source_id, sender_hint=sender_hint)
        forged = authority.business_change_forgery(pkg, targets, self._earlier)
        if forged:
            return self._forged(forged, source_id, sender=mh.from_.organ_id, document_id=mh.document_id,
                                agency=targets[0])
        kind = pkg.business_doc_type
        if kind == edxml.DOCTYPE_REVOKE:
            outcome = self._revoke(pkg, targets, source_id)
        elif kind == edxml.DOCTYPE_UPDATE:
            outcome = self._update(pkg, targets, source_id, data)
        else:
            outcome = self._create_all(pkg, targets, source_id, data)
        if not outcome.warnings:
            outcome.warnings = _texts(pkg.warnings)
        return outcome

    def _targets(self, pkg):
        wanted = [o.organ_id.strip() for o in pkg.message_header.to if o.organ_id.strip()]
        if self.import_agency is not None:
            code = self.import_agency.agency_code
            return [self.import_agency] if code in wanted else []
        found = []
        for organ_id in dict.fromkeys(wanted):
            agency = _agency(organ_id)
            if agency is not None:
                found.append(agency)
        return found

    def _scan(self, pkg, agency):
        prepared = self._ready_pkg(pkg)
        if prepared is not None and prepared["scans"] is not None:
            return prepared["scans"]["reason"]
        return self._scan_now(pkg, agency)["reason"]

    def _scan_now(self, pkg, agency):
        """Scan every attachment: ``{"reason": refusal or "", sha256: clean ScanResult}``."""
        from dongthap.qlvb.antivirus.api import check_file
        from dongthap.qlvb.antivirus.scanner import CLEAN, ScanFailed, VirusFound

        results = {"reason": ""}
        for att in pkg.attachments:
            name = att.attachment_name or att.content_id or "(không tên)"
            try:
                result = check_file(att.data, name, path_of_entry="exchange", agency=agency)
            except VirusFound as exc:
                signature = getattr(exc.result, "signature", "") or ""
                return {"reason": f"Tệp đính kèm \"{name}\" nhiễm mã độc ({signature})."}
            except ScanFailed as exc:
                raise RetryLater(f"the attachment {name} could not be scanned") from exc
            if result.status == CLEAN and result.sha256:
                results[result.sha256] = result
        return results

    def _create_all(self, pkg, targets, source_id, data):
        fresh = [a for a in targets if self._is_new(pkg, a, data)]
        for agency in targets:
            if agency not in fresh:
                self._dropped(pkg, agency, source_id)
        if not fresh:
            return Outcome(result="duplicate", reason="already received", warnings=_texts(pkg.warnings))
        reason = self._scan(pkg, fresh[0])
        if reason:
            return self._refuse(pkg, reason, source_id=source_id, agency=fresh[0])
        choice = mainfile.choose(pkg.attachments)
        if choice.main is None:
            return self._refuse(pkg, "Gói tin không có tệp văn bản.", source_id=source_id,
                                agency=fresh[0])
        if not choice.verifiable:
            pkg.warnings.append(_received_as_sent(choice))
        paths = []
        for agency in fresh:
            replaced = self._replaced(pkg, agency)  # before the new one takes over a shared id
            doc = self._create(pkg, agency, choice, source_id, data)
            paths.append("/".join(doc.getPhysicalPath()))
            if pkg.business_doc_type == edxml.DOCTYPE_REPLACE:
                self._replace_old(pkg, agency, doc, replaced)
                key = document_key(pkg.message_header.document_id, agency.agency_code)
                self.store.statuses_seen.insert(_replace_seen(key, data))
        return Outcome(result="created", documents=paths, warnings=_texts(pkg.warnings))

    def _dropped(self, pkg, agency, source_id):
        """A package already received by ``agency``: dropped, but listed for its clerk with the reason."""
        from dongthap.qlvb.incoming.duplicates import DROPPED_REASON

        mh = pkg.message_header
        earlier = self.store.documents.get(document_key(mh.document_id, agency.agency_code), "")
        code = "/".join(x for x in (mh.code.code_number, mh.code.code_notation) if x)
        self.store.record("duplicate", reason=DROPPED_REASON, source=self.source, source_id=source_id,
                          sender=mh.from_.organ_id, sender_name=mh.from_.organ_name or "",
                          document_id=mh.document_id, code=code, subject=_cut(mh.subject, 300),
                          addressed=[agency.agency_code], ours=True, agency=agency.agency_code,
                          earlier=earlier if earlier and not earlier.startswith("!") else "")

    def _is_new(self, pkg, agency, data):
        """Not yet received by ``agency`` — a replacement sent under the id it replaces included."""
        key = document_key(pkg.message_header.document_id, agency.agency_code)
        if key not in self.store.documents:
            return True
        if pkg.business_doc_type != edxml.DOCTYPE_REPLACE:
            return False
        if pkg.message_header.document_id not in replaced_document_ids(pkg):
            return False
        return _replace_seen(key, data) not in self.store.statuses_seen

    def _create(self, pkg, agency, choice, source_id, data):
        from dongthap.qlvb.incoming import api as incoming
        from dongthap.qlvb.incoming.factory import new_incoming_document
        from dongthap.qlvb.numbering import counter

        mh = pkg.message_header
        when = counter.vietnam_now()
        sender_name = mh.from_.organ_name or mh.from_.organization_in_charge or mh.from_.organ_id
        issued = mh.promulgation_info.promulgation_date or when.date()
        values = {
            "title": _cut(mh.subject, 500),
            "document_type": document_type_of(mh),
            "code_number": _cut(mh.code.code_number, 11),
            "code_notation": _cut(mh.code.code_notation, 30) or None,
            "issued_date": issued,
            "issuing_agency_name": _cut(sender_name, 200),
            "issuing_agency_code": _ascii(mh.from_.organ_id, 13) or None,
            "signer_name": _cut(mh.signer_info.full_name, 50) or None,
            "signer_position": _cut(mh.signer_info.position, 100) or None,
            "urgency": URGENCY_OF_PRIORITY.get(mh.other_info.priority or 0, "thuong"),
            "due_date": mh.due_date,
            "page_amount": mh.other_info.page_amount or None,
            "source": "axis",
            "file": incoming.make_file(choice.main_data, choice.main_name),
            "attachments": [incoming.make_file(a.data, a.attachment_name) for a in choice.pdf_attachments],
        }
        # Pending files become real blobs here (never store the placeholder itself).
        values = incoming.materialize(values)
        if choice.main_type != mainfile.PDF:  # stored as sent, with its real type
            values["file"].contentType = choice.main_type
        origin = "trục liên thông" if self.source == "axis" else "gói tin nhập tay"
        prepared = {}  # what prepare() found, put on the document before it is added
        doc = new_incoming_document(agency, values, when=when,
                                    comment=f"Nhận qua {origin} từ {sender_name} ({mh.from_.organ_id}).",
                                    prepare=lambda new: prepared.update(self._use_prepared(pkg, new)))
        package = Blob()
        with package.open("w") as fh:
            fh.write(data)
        info = PersistentMapping(
            source=self.source, axis_doc_id=source_id, document_id=mh.document_id,
            from_organ_id=mh.from_.organ_id, from_name=sender_name,
            received_at=when.isoformat(), business_type=pkg.business_doc_type,
            warnings=[p.message_vi for p in pkg.warnings][:20],
            response_for=[r.document_id for r in mh.response_for],
            other_files=[], received_as=choice.mode,
        )
        doc.qlvb_exchange = info
        doc.qlvb_exchange_package = package
        if info["response_for"]:  # a reply to one of our documents: linked to it (reply deadlines)
            try:
                from dongthap.qlvb.outgoing.replies import link_axis_arrival

                link_axis_arrival(doc, agency, info["response_for"], mh.from_.organ_id)
            except Exception:  # noqa: BLE001 - linking never blocks receiving
                logger.exception("exchange: linking the reply %s failed", doc.getId())
        kept = []
        for att in choice.kept:
            blob = Blob()
            with blob.open("w") as fh:
                fh.write(att.data)
            kept.append({"name": att.attachment_name, "content_type": att.content_type,
                         "detected_type": att.detected_type or "", "size": att.size, "blob": blob})
        info["other_files"] = kept
        alsoProvides(doc, IExchangedDocument)
        try:
            from dongthap.qlvb.signing import api as signing

            report = prepared.get("report") or signing.verify(document=doc, reindex=False)
            info["legal_validity"] = report.get("legal_validity", "")
        except Exception:  # noqa: BLE001 - verification never blocks receiving
            logger.exception("exchange: verifying %s failed", doc.getId())
            info["legal_validity"] = ""
        if not choice.verifiable:
            _mark_reference(doc, info)
        doc.reindexObject()
        uid = api.content.get_uuid(doc)
        self.store.documents[document_key(mh.document_id, agency.agency_code)] = uid
        reply(pkg, code=edxml.constants.STATUS_ARRIVED, description=edxml.STATUS_LABELS["01"],
              agency=agency, document_uid=uid, site=self.site)
        self.store.record("received", document_uid=uid, document_id=mh.document_id,
                          agency=agency.agency_code, sender=mh.from_.organ_id, source=self.source,
                          source_id=source_id)
        return doc

    def _use_prepared(self, pkg, doc):
        """Put what :meth:`prepare` found on the new ``doc``: scan markers and reports.

        The subscribers that scan and verify every added document then have
        nothing left to do inside the transaction. Returns ``{"report": main
        report}``, or ``{}`` without prepared results.
        """
        prepared = self._ready_pkg(pkg)
        if prepared is None:
            return {}
        from dongthap.qlvb.antivirus.api import mark_verified
        from dongthap.qlvb.signing import api as signing
        from dongthap.qlvb.signing.verify import ATTACHMENT, DOCUMENT

        scans = prepared["scans"] or {}
        for named in [doc.file, *(doc.attachments or ())]:
            result = scans.get(signing.sha256(bytes(named.data))) if named is not None else None
            if result is not None:
                mark_verified(named, result)
        report = prepared["reports"].get((signing.sha256(bytes(doc.file.data)), DOCUMENT))
        reports = [prepared["reports"].get((signing.sha256(bytes(a.data)), ATTACHMENT))
                   for a in doc.attachments or ()]
        signing.store_verification(
            doc, report=report,
            attachment_reports=reports if all(r is not None for r in reports) else None)
        return {"report": report} if report is not None else {}

    # -- recall, update, replace -----------------------------------------------
    def _earlier(self, document_id, agency):
        uid = self.store.documents.get(document_key(document_id, agency.agency_code))
        if not uid or uid.startswith("!"):
            return None
        return api.content.get(UID=uid)

    def _replaced(self, pkg, agency):
        """``[(DocumentId, document)]`` a replacement replaces for ``agency`` (none for other packages)."""
        if pkg.business_doc_type != edxml.DOCTYPE_REPLACE or pkg.trace_header_list.bussiness is None:
            return []
        found = [(i, self._earlier(i, agency)) for i in replaced_document_ids(pkg)]
        return [(i, doc) for i, doc in found if doc is not None]

    def _replace_old(self, pkg, agency, new_doc, olds):
        new_uid = api.content.get_uuid(new_doc)
        replaced = []
        for document_id, old in olds:
            recall_document(old, reason=f"Bị thay thế bởi văn bản {pkg.message_header.code.code_number}/"
                                        f"{pkg.message_header.code.code_notation}.",
                            sender=pkg.message_header.from_.organ_id, store=self.store,
                            document_id=document_id, replaced_by=new_uid)
            replaced.append(api.content.get_uuid(old))
        new_doc.qlvb_exchange["replaces"] = replaced

    def _revoke(self, pkg, targets, source_id):
        mh = pkg.message_header
        business = pkg.trace_header_list.bussiness
        document_id = target_document_id(pkg)
        reason = (business.bussiness_doc_reason if business else "") or "Cơ quan gửi thu hồi văn bản."
        done = []
        for agency in targets:
            key = document_key(document_id, agency.agency_code)
            if self.store.documents.get(key, "").startswith("!"):
                continue  # already recalled (duplicate revoke)
            old = self._earlier(document_id, agency)
            if old is None:
                self.store.documents[key] = "!revoked"  # a late original will be ignored
                self.store.record("recall-before-arrival", document_id=document_id,
                                  agency=agency.agency_code, reason=reason)
                continue
            # recalled and answered 15, or refused (archived) and answered 16
            done.append(takeback.answer(self, pkg, agency=agency, doc=old, document_id=document_id,
                                        reason=reason, sender=mh.from_.organ_id))
        return Outcome(result="recalled" if any(d != "refused" for d in done) else "ignored")

    def _update(self, pkg, targets, source_id, data):
        mh = pkg.message_header
        business = pkg.trace_header_list.bussiness
        document_id = target_document_id(pkg)
        stamp = ""
        hops = pkg.trace_header_list.trace_headers
        if hops and hops[-1].timestamp:
            stamp = hops[-1].timestamp.isoformat()
        removed, added = set(), []
        if business and business.document_info:
            removed = {r.organ_id for r in business.document_info.receiver_list if r.receiver_type == 0}
            added = [r.organ_id for r in business.document_info.receiver_list if r.receiver_type == 1]
        updated = []
        for agency in targets:
            seen = f"update|{document_key(document_id, agency.agency_code)}|{stamp}"
            if seen in self.store.statuses_seen:
                continue
            self.store.statuses_seen.insert(seen)
            old = self._earlier(document_id, agency)
            if old is None:
                continue
            uid = api.content.get_uuid(old)
            if agency.agency_code in removed:
                outcome = recall_document(old, reason="Cơ quan gửi bỏ cơ quan khỏi danh sách nhận.",
                                          sender=mh.from_.organ_id, store=self.store, document_id=document_id)
                self.store.documents[document_key(document_id, agency.agency_code)] = f"!{outcome}:{uid}"
            elif (business is None or business.document_info is None
                  or business.document_info.document_info != "0"):
                reason = self._scan(pkg, agency)
                if reason:
                    return self._refuse(pkg, reason, source_id=source_id, agency=agency)
                self._apply_update(old, pkg)
            if added and agency.agency_code not in removed:  # "gửi bổ sung": the copy notes who else got it
                from dongthap.qlvb.incoming import api as incoming

                incoming.add_trail(old, "exchange_update",
                                   "Cơ quan gửi bổ sung nơi nhận: " + ", ".join(added))
            updated.append(uid)
            reply(pkg, code=edxml.constants.STATUS_CHANGE_AGREED, description="Đã cập nhật văn bản.",
                  agency=agency, document_uid=uid, site=self.site)
        return Outcome(result="updated" if updated else "ignored")

    def _apply_update(self, doc, pkg):
        from dongthap.qlvb.incoming import api as incoming

        mh = pkg.message_header
        changes = {
            "title": _cut(mh.subject, 500), "due_date": mh.due_date,
            "signer_name": _cut(mh.signer_info.full_name, 50) or None,
            "signer_position": _cut(mh.signer_info.position, 100) or None,
            "urgency": URGENCY_OF_PRIORITY.get(mh.other_info.priority or 0, "thuong"),
        }
        pdfs = [a for a in pkg.attachments if a.detected_type == "application/pdf"]
        if pdfs:
            changes["file"] = incoming.make_file(pdfs[0].data, pdfs[0].attachment_name).make()
            changes["attachments"] = [incoming.make_file(a.data, a.attachment_name).make() for a in pdfs[1:]]
        for name, value in changes.items():
            if value not in (None, ""):
                setattr(doc, name, value)
        doc.reindexObject()
        incoming.add_trail(doc, "exchange_update", "Cập nhật theo gói tin của cơ quan gửi.")
        self.store.record("updated", document_uid=api.content.get_uuid(doc), document_id=mh.document_id)


def _replace_seen(key, data):
    """Dedup key of a replacement received under the id it replaces (the package's hash)."""
    return f"replace|{key}|{hashlib.sha256(data).hexdigest()}"


def _texts(problems):
    return [p.message_vi for p in problems][:20]


class _ReceivedProblem:
    """A note of the import report (same shape as the edXML problems' ``message_vi``)."""

    is_error = False

    def __init__(self, message_vi):
        self.message_vi = message_vi


def _received_as_sent(choice):
    if choice.mode == "zip-pdf":
        text = (f"Văn bản không gửi dưới dạng tệp PDF riêng: đã lấy tệp PDF duy nhất trong tệp nén "
                f"({choice.note}); chữ ký số không kiểm tra được, văn thư xem xét.")
    else:
        text = (f"Văn bản không có tệp PDF: đã nhận nguyên tệp gửi kèm ({choice.note}); "
                "chữ ký số không kiểm tra được, văn thư xem xét.")
    return _ReceivedProblem(text)


def _mark_reference(doc, info):
    """Not sent as a bare PDF: no verifiable signature ("reference"); the clerk decides."""
    from dongthap.qlvb.signing.behaviors import REFERENCE

    info["legal_validity"] = REFERENCE
    doc.legal_validity = REFERENCE


def recall_document(doc, *, reason, sender, store, document_id, replaced_by=None) -> str:
    """Recall (thu hồi) a received document per NĐ 30; returns ``removed`` or ``frozen``.

    Not yet registered (``received``): the copy and its metadata are destroyed
    at once by the system, with a destruction record (:mod:`dongthap.qlvb.recall.api`).
    Registered: the document is frozen — no further processing — until its
    clerk destroys it (then status 15 with the record goes to the sender,
    :func:`.takeback.destroyed`). A replaced document is frozen for good
    (it stays, linked to its replacement). Everything is written to the
    exchange log (which survives the removal).
    """
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.recall import api as recall_api

    state = api.content.get_state(doc, default="")
    uid = api.content.get_uuid(doc)
    entry = {"document_uid": uid, "document_id": document_id, "title": doc.Title(),
             "code": f"{getattr(doc, 'code_number', '')}/{getattr(doc, 'code_notation', '') or ''}",
             "path": "/".join(doc.getPhysicalPath()), "state": state, "reason": reason,
             "sender": sender, "replaced_by": replaced_by}
    info = getattr(doc, EXCHANGE_ATTR, None) or {}
    sender_name = info.get("from_name", "") if hasattr(info, "get") else ""
    if state == "received" and not replaced_by and recall_api.blocking_reason(doc) is None:
        record = recall_api.destroy(doc, reason=reason, system=True, notify_sender=False, notice={
            "sender": sender, "sender_name": sender_name or sender, "origin": "axis", "reason": reason})
        entry["destruction"] = {"at": record["at"], "by": record["by"],
                                "files": [f["sha256"] for f in record["files"]]}
        store.record("recall-removed", **entry)
        doc._v_qlvb_destruction = record  # read by takeback.answer for the 15 it sends
        return "removed"
    if not replaced_by:
        recall_api.freeze(doc, reason=reason, sender=sender, sender_name=sender_name, origin="axis",
                          document_id=document_id)
        store.record("recall-frozen", **entry)
        return "frozen"
    notice = PersistentMapping(at=datetime.datetime.now(VN_TZ).isoformat(timespec="seconds"),
                               reason=reason, sender=sender, document_id=document_id,
                               replaced_by=replaced_by or "")
    setattr(doc, RECALL_ATTR, notice)
    if info is not None and replaced_by and hasattr(info, "get"):
        info["replaced_by"] = replaced_by
    incoming.add_trail(doc, "exchange_recall", reason)
    doc.reindexObject()
    store.record("recall-frozen", **entry)
    return "frozen"


def is_recalled(doc) -> bool:
    return getattr(doc, RECALL_ATTR, None) is not None


def process_package(site, data, *, source="axis", source_id="", sender_hint="", agency=None) -> Outcome:
    """Process one package (see the module docstring); ``agency`` restricts it to one agency (import)."""
    return Inbox(site, source=source, import_agency=agency).process(
        data, source_id=source_id, sender_hint=sender_hint)
