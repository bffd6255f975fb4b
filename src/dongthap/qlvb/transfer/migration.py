"""Migration from an older system: a register (XLSX or CSV, NĐ 30 columns) and its PDFs.

One row of the register becomes one document, created by the kind's factory
(:func:`dongthap.qlvb.incoming.factory.new_incoming_document`,
:func:`dongthap.qlvb.outgoing.factory.new_outgoing_document`), with the number
the old register gave it, and put in the state a registered (incoming) or
issued (outgoing) document has — without running the transitions, which
would take a new number or sign again. The register counter of each year then
continues after the highest imported number. A row whose number is already in
the site is skipped (importing the same register twice adds nothing).

Columns (first row = headers, as printed by the registers of :mod:`dongthap.qlvb.registers.columns`):

* incoming: ``Ngày đến``, ``Số đến``, ``Tác giả``, ``Số, ký hiệu``, ``Ngày tháng``,
  ``Tên loại và trích yếu``, ``Ghi chú``;
* outgoing: ``Số, ký hiệu``, ``Ngày tháng``, ``Tên loại và trích yếu``, ``Người ký``,
  ``Nơi nhận``, ``Ghi chú``;
* both: ``Tệp`` (the PDF's file name in the PDF folder; required), ``Hồ sơ``
  (optional: the file code of an existing dossier of the agency to file the document into).

:func:`migrate` with ``dry_run=True`` reads everything, creates nothing and
reports what it would create and every row it cannot read (translated messages).
"""

from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from plone import api

import csv
import datetime as dt
import os
import re

INCOMING, OUTGOING = "incoming", "outgoing"

HEADERS = {
    "ngày đến": "arrival_date", "số đến": "arrival_number", "tác giả": "author",
    "số, ký hiệu": "notation", "ngày tháng": "issued_date", "tên loại và trích yếu": "subject",
    "người ký": "signer", "nơi nhận": "recipients", "ghi chú": "note", "tệp": "file",
    "hồ sơ": "dossier", "đơn vị hoặc người nhận": "recipient",
}
REQUIRED = {
    INCOMING: ("arrival_date", "arrival_number", "subject", "file"),
    OUTGOING: ("notation", "issued_date", "subject", "file"),
}
MIGRATED_ATTR = "qlvb_migrated"


class MigrationError(ValueError):
    """The register cannot be read at all (``message`` translatable)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path):
    """``[(row number, {key: value})]`` of a register file (``.xlsx`` or ``.csv``)."""
    name = path.lower()
    if name.endswith(".xlsx"):
        import openpyxl  # parses with defusedxml (entities off) when it is installed

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - any unreadable workbook
            raise MigrationError(_("error_migration_unreadable",
                                   default="The register file cannot be read: ${error}.",
                                   mapping={"error": type(error).__name__})) from error
        rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    elif name.endswith(".csv"):
        with open(path, encoding="utf-8-sig", newline="") as src:
            rows = [[_cell(v) for v in row] for row in csv.reader(src)]
    else:
        raise MigrationError(_("error_migration_format",
                               default="The register must be an .xlsx or .csv file."))
    # the header row: the first row naming at least two known columns
    header = None
    for index, row in enumerate(rows):
        keys = [HEADERS.get(str(v).strip().lower()) if isinstance(v, str) else None for v in row]
        if sum(1 for k in keys if k) >= 2:
            header = index
            break
    if header is None:
        raise MigrationError(_("error_migration_headers",
                               default="No header row with the register's columns was found."))
    out = []
    for number, row in enumerate(rows[header + 1:], start=header + 2):
        values = {k: row[i] for i, k in enumerate(keys) if k and i < len(row)}
        if any(v not in ("", None) for v in values.values()):
            out.append((number, values))
    return out


def _date(value, *, with_time=False):
    if isinstance(value, dt.datetime):
        return value if with_time else value.date()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(8, 0)) if with_time else value
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?", value or "")
    if not match:
        return None
    d, m, y, hh, mm = match.groups()
    try:
        if with_time:
            return dt.datetime(int(y), int(m), int(d), int(hh or 8), int(mm or 0))
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _document_type(subject):
    text = subject.strip().lower()
    best = None
    for key, (name, _abbr) in DOCUMENT_TYPES.items():
        if text.startswith(name.lower()) and (best is None or len(name) > len(DOCUMENT_TYPES[best][0])):
            best = key
    return best or "cong_van"


def _split_notation(value):
    number, sep, notation = (value or "").partition("/")
    number = number.strip()
    if not sep or not number.isdigit() or not notation.strip():
        return None, None
    return number, notation.strip()


def parse_row(kind, values, pdf_dir):
    """``(fields, problems)`` of one row; ``problems`` are translatable messages."""
    problems = []
    for key in REQUIRED[kind]:
        if values.get(key) in (None, ""):
            problems.append(_("error_migration_missing", default="Column \"${column}\" is empty.",
                              mapping={"column": _column_title(key)}))
    if problems:
        return None, problems
    fields = {"title": str(values["subject"])[:500], "document_type": _document_type(str(values["subject"])),
              "note": str(values.get("note") or ""), "dossier": str(values.get("dossier") or "")}
    if kind == INCOMING:
        try:
            fields["arrival_number"] = int(str(values["arrival_number"]).strip())
            if fields["arrival_number"] <= 0:
                raise ValueError
        except ValueError:
            problems.append(_("error_migration_number", default="\"${value}\" is not an arrival number.",
                              mapping={"value": values["arrival_number"]}))
        arrival = _date(values["arrival_date"], with_time=True)
        if arrival is None:
            problems.append(_("error_migration_date", default="\"${value}\" is not a date (dd/mm/yyyy).",
                              mapping={"value": values["arrival_date"]}))
        else:
            fields["arrival"] = arrival.replace(tzinfo=counter.VIETNAM_OFFSET)
        fields["issuing_agency_name"] = str(values.get("author") or "")[:500]
        number, notation = _split_notation(str(values.get("notation") or ""))
        if values.get("notation") and number is None:
            problems.append(_("error_migration_notation",
                              default="\"${value}\" is not a number and notation (e.g. 15/UBND-VX).",
                              mapping={"value": values["notation"]}))
        fields["code_number"], fields["code_notation"] = number, notation
        if values.get("issued_date"):
            issued = _date(values["issued_date"])
            if issued is None:
                problems.append(_("error_migration_date", default="\"${value}\" is not a date (dd/mm/yyyy).",
                                  mapping={"value": values["issued_date"]}))
            fields["issued_date"] = issued
    else:
        number, notation = _split_notation(str(values["notation"]))
        if number is None:
            problems.append(_("error_migration_notation",
                              default="\"${value}\" is not a number and notation (e.g. 15/UBND-VX).",
                              mapping={"value": values["notation"]}))
        fields["code_number"], fields["code_notation"] = number, notation
        issued = _date(values["issued_date"])
        if issued is None:
            problems.append(_("error_migration_date", default="\"${value}\" is not a date (dd/mm/yyyy).",
                              mapping={"value": values["issued_date"]}))
        fields["issued_date"] = issued
        fields["signer_name"] = str(values.get("signer") or "")[:200]
        fields["recipients_text"] = str(values.get("recipients") or "")
    filename = os.path.basename(str(values["file"]))
    path = os.path.join(pdf_dir, filename)
    if not os.path.isfile(path):
        problems.append(_("error_migration_no_pdf", default="The PDF \"${name}\" is not in the folder.",
                          mapping={"name": filename}))
    else:
        with open(path, "rb") as src:
            data = src.read()
        if not data.startswith(b"%PDF-"):
            problems.append(_("error_migration_not_pdf", default="\"${name}\" is not a PDF file.",
                              mapping={"name": filename}))
        fields["file"] = (data, filename)
    return fields, problems


def _column_title(key):
    for title, k in HEADERS.items():
        if k == key:
            return title[:1].upper() + title[1:]
    return key


def _existing_numbers(agency, kind):
    """``{(year, number)}`` already in the agency (incoming: arrival numbers; outgoing: code numbers)."""
    catalog = api.portal.get_tool("portal_catalog")
    found = set()
    portal_type = "IncomingDocument" if kind == INCOMING else "OutgoingDocument"
    for brain in catalog.unrestrictedSearchResults(portal_type=portal_type,
                                                   path="/".join(agency.getPhysicalPath())):
        doc = brain._unrestrictedGetObject()
        if kind == INCOMING and getattr(doc, "arrival_number", None):
            found.add((getattr(doc, "arrival_year", None), int(doc.arrival_number)))
        elif kind == OUTGOING and getattr(doc, "code_number", None) and getattr(doc, "issued_date", None):
            found.add((doc.issued_date.year, doc.document_type, str(doc.code_number)))
    return found


def _key(kind, fields):
    if kind == INCOMING:
        return (fields["arrival"].year, fields["arrival_number"])
    return (fields["issued_date"].year, fields["document_type"], fields["code_number"])


def _set_state(doc, state_id, comment):
    """Put ``doc`` in ``state_id`` as migrated (a history entry, no transition run)."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    (workflow,) = workflow_tool.getWorkflowsFor(doc)
    workflow_tool.setStatusOf(workflow.getId(), doc, {
        "action": "migrate", "review_state": state_id, "actor": api.user.get_current().getId(),
        "comments": comment, "time": __import__("DateTime").DateTime()})
    workflow.updateRoleMappingsFor(doc)
    doc.reindexObject()
    doc.reindexObjectSecurity()


def _create(agency, kind, fields, source):
    from dongthap.qlvb.incoming.api import PendingFile

    comment = "Chuyển từ hệ thống cũ"
    data, filename = fields["file"]
    if kind == INCOMING:
        from dongthap.qlvb.incoming.factory import new_incoming_document

        values = {"title": fields["title"], "document_type": fields["document_type"],
                  "issuing_agency_name": fields["issuing_agency_name"] or None,
                  "code_number": fields["code_number"], "code_notation": fields["code_notation"],
                  "issued_date": fields.get("issued_date"),
                  "file": PendingFile(data, filename)}
        when = fields["arrival"]
        doc = new_incoming_document(agency, values, when=when, comment=comment, attributes={
            "arrival_number": fields["arrival_number"], "arrival_year": when.year,
            "registered_at": when, MIGRATED_ATTR: source})
        _set_state(doc, "registered", comment)
        register, year, number = counter.INCOMING, when.year, fields["arrival_number"]
    else:
        from dongthap.qlvb.outgoing import settings as outgoing_settings
        from dongthap.qlvb.outgoing.factory import new_outgoing_document

        issued = fields["issued_date"]
        when = dt.datetime.combine(issued, dt.time(8, 0), tzinfo=counter.VIETNAM_OFFSET)
        values = {"title": fields["title"], "document_type": fields["document_type"],
                  "file": (data, filename)}
        doc = new_outgoing_document(agency, values, comment=comment, when=when)
        doc.code_number = fields["code_number"]
        doc.code_notation = fields["code_notation"]
        doc.issued_date = issued
        doc.issued_at = when
        doc.issued_year = issued.year
        if fields.get("signer_name"):
            doc.signer_name = fields["signer_name"]
        setattr(doc, MIGRATED_ATTR, source)
        _set_state(doc, "issued", comment)
        register = outgoing_settings.series_of(agency, fields["document_type"])
        year, number = issued.year, int(fields["code_number"])
    counters = counter._counters(agency, create=True)
    entry = counters.get((register, year))
    if entry is None:
        entry = counters[(register, year)] = counter.RegisterCounter(register, year)
    if entry.last < number:
        entry.last = number
        entry.updated = counter.vietnam_now().isoformat()
    return doc


def migrate(agency, register_path, pdf_dir, *, kind, dry_run=True):
    """Read the register and create its documents in ``agency`` (unless ``dry_run``).

    Returns ``{"created": [...], "skipped": [...], "problems": [{"row", "messages"}], "dry_run"}``;
    nothing is created when any row has a problem (fix the register, run again).
    """
    if kind not in (INCOMING, OUTGOING):
        raise MigrationError(_("error_migration_kind", default="Unknown register kind: ${kind}.",
                               mapping={"kind": kind}))
    if not os.path.isfile(register_path or ""):
        raise MigrationError(_("error_migration_no_register",
                               default="The register file ${path} does not exist.",
                               mapping={"path": register_path}))
    if not os.path.isdir(pdf_dir or ""):
        raise MigrationError(_("error_migration_no_folder", default="The PDF folder ${path} does not exist.",
                               mapping={"path": pdf_dir}))
    rows = read_rows(register_path)
    existing = _existing_numbers(agency, kind)
    from dongthap.qlvb.dossiers import api as dossiers

    planned, problems, skipped, seen = [], [], [], set()
    for number, values in rows:
        fields, messages = parse_row(kind, values, pdf_dir)
        if not messages:
            key = _key(kind, fields)
            if key in existing:
                skipped.append({"row": number, "title": fields["title"], "reason": "exists"})
                continue
            if key in seen:
                messages.append(_("error_migration_duplicate",
                                  default="The same number appears twice in the register."))
            seen.add(key)
            if fields["dossier"] and not dossiers._find_by_code(agency, fields["dossier"]):
                messages.append(_("error_migration_dossier", default="No dossier with file code ${code}.",
                                  mapping={"code": fields["dossier"]}))
        if messages:
            problems.append({"row": number, "messages": messages})
            continue
        planned.append((number, fields))
    result = {"dry_run": dry_run or bool(problems), "skipped": skipped, "problems": problems,
              "created": [{"row": n, "title": f["title"], "number": f.get("arrival_number") or
                           f"{f['code_number']}/{f['code_notation']}", "dossier": f["dossier"]}
                          for n, f in planned]}
    if dry_run or problems:
        return result
    for number, fields in planned:
        doc = _create(agency, kind, fields, {"register": os.path.basename(register_path), "row": number})
        if fields["dossier"]:
            (brain,) = dossiers._find_by_code(agency, fields["dossier"])[:1]
            dossiers.file_documents(brain.getObject(), [api.content.get_uuid(doc)])
    return result


def messages_text(result, request=None):
    """The report with every message translated (Vietnamese by default)."""
    from zope.i18n import translate

    def tr(message):
        return translate(message, context=request, target_language=None if request else "vi")

    return dict(result, problems=[{"row": p["row"], "messages": [tr(m) for m in p["messages"]]}
                                  for p in result["problems"]])
