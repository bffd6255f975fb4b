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
import io
import os
import re
import unicodedata
import zipfile

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

#: Other names clerks give the columns (the key after :func:`_header_key`).
ALIASES = {
    "số ký hiệu": "notation", "số và ký hiệu": "notation", "số, ký hiệu văn bản": "notation",
    "số ký hiệu văn bản": "notation", "ngày tháng văn bản": "issued_date", "ngày văn bản": "issued_date",
    "ngày, tháng văn bản": "issued_date", "ngày ban hành": "issued_date", "trích yếu": "subject",
    "trích yếu nội dung": "subject", "tên loại và trích yếu nội dung": "subject",
    "tên loại và trích yếu nội dung văn bản": "subject", "cơ quan ban hành": "author",
    "nơi gửi": "author", "tác giả (cơ quan ban hành)": "author", "ngày đến văn bản": "arrival_date",
    "tệp đính kèm": "file", "tên tệp": "file", "tệp pdf": "file",
}
#: A register larger than this (bytes) is refused before it is read.
MAX_REGISTER_BYTES = 20 * 1024 * 1024
#: What the parts of an XLSX may unpack to, in all and relative to their compressed size (zip bombs).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
#: Rows of a register read at most (the page and the command are for registers, not data dumps).
MAX_ROWS = 50_000
#: Echoed cell values are cut to this many characters.
ECHO = 40
EARLIEST = dt.date(1945, 1, 1)
#: Serial numbers of Excel dates between 01/01/1945 and 31/12/2099 (a date cell kept as a number).
_SERIALS = (16438, 73415)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
#: A row under the headers numbering the columns: "1", "(2)", "3" …
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")


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
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = unicodedata.normalize("NFC", str(value))
    return _CONTROL.sub("", text).strip()


def _header_key(value):
    """The column a header cell names (None: not one of ours): case, spaces, line breaks inside the
    cell, a trailing ``:`` or ``*`` do not matter."""
    if not isinstance(value, str):
        return None
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip(" :*.").lower()
    return HEADERS.get(text) or ALIASES.get(text)


def short(value, limit=ECHO):
    """At most ``limit`` characters of a cell (or a path), for the messages."""
    text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
    text = _SPACES.sub(" ", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _too_large():
    from dongthap.qlvb.documents.validation import format_size

    return MigrationError(_("error_migration_too_large",
                            default="The register file is larger than ${size}: split it.",
                            mapping={"size": format_size(MAX_REGISTER_BYTES)}))


def _too_many_rows():
    return MigrationError(_("error_migration_too_many_rows",
                            default="The register has more than ${rows} rows: split it.",
                            mapping={"rows": str(MAX_ROWS)}))


def _unreadable(reason):
    return MigrationError(_("error_migration_unreadable",
                            default="The register file cannot be read: ${error}.", mapping={"error": reason}))


def _xlsx_rows(path):
    """The rows of the first sheet that has the register's headers (else the first sheet)."""
    import openpyxl  # parses with defusedxml (entities off) when it is installed

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable(_("migration_reason_not_xlsx",
                            default="it is not an Excel workbook (.xlsx)")) from None
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED_BYTES or any(
            m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > 1024 * 1024
            for m in members):
        raise _unreadable(_("migration_reason_bomb",
                            default="its contents unpack to far more than the file "
                                    "(a damaged or forged workbook)"))
    if any(m.filename.lower().endswith("vbaproject.bin") for m in members):
        raise _unreadable(_("migration_reason_macros",
                            default="it contains macros: save it as an .xlsx workbook without macros"))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook
        raise _unreadable(_("migration_reason_not_xlsx",
                            default="it is not an Excel workbook (.xlsx)")) from None
    try:
        chosen = None
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows()
                rows.append([_cell(v) for v in row])
            if chosen is None:
                chosen = rows
            if _find_header(rows) is not None:
                return rows
        return chosen or []
    except MigrationError:
        raise
    except Exception:  # noqa: BLE001 - a damaged part of the workbook
        raise _unreadable(_("migration_reason_not_xlsx",
                            default="it is not an Excel workbook (.xlsx)")) from None
    finally:
        book.close()


def decode_text(raw):
    """The text of a CSV as offices save it: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode
    text", with BOM), else Windows-1258 (Vietnamese ANSI); always NFC."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            if raw.count(b"\x00") > len(raw) // 4:  # UTF-16 without its BOM
                text = raw.decode("utf-16-le", errors="replace")
            else:
                text = raw.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def _csv_rows(path):
    with open(path, "rb") as src:
        text = decode_text(src.read())
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append([_cell(v) for v in row])
    except csv.Error:
        raise _unreadable(_("migration_reason_not_csv", default="it is not a CSV table")) from None
    return rows


def _find_header(rows):
    """``(index, keys)`` of the header row: the first row naming at least two known columns."""
    for index, row in enumerate(rows[:50]):
        keys = [_header_key(v) for v in row]
        if sum(1 for k in keys if k) >= 2:
            return index, keys
    return None


def read_rows(path):
    """``[(row number, {key: value})]`` of a register file (``.xlsx`` or ``.csv``).

    Office shapes are accepted: title rows above the headers, headers over two rows (merged
    cells), a row numbering the columns under them, an "STT" column, dates as Excel dates, as
    Excel serial numbers or as text dd/mm/yyyy, empty rows; a CSV in UTF-8, UTF-16 or
    Windows-1258, separated by commas, semicolons or tabs.
    """
    name = path.lower()
    if not (name.endswith(".xlsx") or name.endswith(".csv")):
        raise MigrationError(_("error_migration_format",
                               default="The register must be an .xlsx or .csv file."))
    size = os.path.getsize(path)
    if size == 0:
        raise MigrationError(_("error_migration_empty", default="The register file is empty."))
    if size > MAX_REGISTER_BYTES:
        raise _too_large()
    rows = _xlsx_rows(path) if name.endswith(".xlsx") else _csv_rows(path)
    found = _find_header(rows)
    if found is None:
        raise MigrationError(_("error_migration_headers",
                               default="No header row with the register's columns was found."))
    header, keys = found
    first = header + 1
    # headers over two rows (a merged "Văn bản" above "Số, ký hiệu" and "Ngày tháng" …)
    if first < len(rows):
        below = [_header_key(v) for v in rows[first]]
        if any(below):
            keys = [k or (below[i] if i < len(below) else None) for i, k in enumerate(keys)]
            keys += below[len(keys):]
            first += 1
    # a row numbering the columns: (1) (2) (3) …
    if first < len(rows):
        filled = [v for v in rows[first] if v not in ("", None)]
        if len(filled) >= 2 and all(isinstance(v, str) and _COLUMN_NUMBER.match(v) for v in filled):
            first += 1
    out = []
    for number, row in enumerate(rows[first:], start=first + 1):
        values = {k: row[i] for i, k in enumerate(keys) if k and i < len(row)}
        if any(v not in ("", None) for v in values.values()):
            out.append((number, values))
    return out


_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::\d{2})?)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::\d{2})?)?")


def _date(value, *, with_time=False):
    """A date (or datetime) of a cell: an Excel date, an Excel serial number, dd/mm/yyyy (also with
    ``-`` or ``.``, and a time hh:mm), yyyy-mm-dd; None when it is none."""
    if isinstance(value, dt.datetime):
        return value if with_time else value.date()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(8, 0)) if with_time else value
    text = (value or "").strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text) and _SERIALS[0] <= float(text) <= _SERIALS[1]:
        moment = dt.datetime(1899, 12, 30) + dt.timedelta(days=float(text))  # Excel's day 0
        moment = moment.replace(second=0, microsecond=0) if moment.hour or moment.minute else moment
        return _date(moment if moment.hour or moment.minute else moment.date(), with_time=with_time)
    match = _DATE.fullmatch(text)
    if match:
        d, m, y, hh, mm = match.groups()
    else:
        match = _ISO_DATE.fullmatch(text)
        if not match:
            return None
        y, m, d, hh, mm = match.groups()
    try:
        if with_time:
            return dt.datetime(int(y), int(m), int(d), int(hh or 8), int(mm or 0))
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _today():
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _checked_date(key, raw, problems, *, with_time=False):
    """The date of the column ``key`` or None, with a message naming the column when it is none or
    not between 01/01/1945 and today."""
    value = _date(raw, with_time=with_time)
    if value is None:
        problems.append(_("error_migration_cell_date",
                          default="Column \"${column}\": \"${value}\" is not a date (dd/mm/yyyy).",
                          mapping={"column": _column_title(key), "value": short(raw)}))
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= _today():
        problems.append(_("error_migration_cell_date_range",
                          default="Column \"${column}\": ${value} is not between 01/01/1945 and today.",
                          mapping={"column": _column_title(key), "value": day.strftime("%d/%m/%Y")}))
        return None
    return value


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


def _one_line(value, limit):
    return _SPACES.sub(" ", str(value or "")).strip()[:limit]


def parse_row(kind, values, pdf_dir):
    """``(fields, problems)`` of one row; ``problems`` are translatable messages naming the column."""
    from dongthap.qlvb.documents.validation import pdf_problem

    problems = []
    for key in REQUIRED[kind]:
        if values.get(key) in (None, ""):
            problems.append(_("error_migration_missing", default="Column \"${column}\" is empty.",
                              mapping={"column": _column_title(key)}))
    if problems:
        return None, problems
    subject = _one_line(values["subject"], 500)
    fields = {"title": subject, "document_type": _document_type(subject),
              "note": str(values.get("note") or "")[:2000], "dossier": _one_line(values.get("dossier"), 100)}

    def bad_notation(raw):
        problems.append(_("error_migration_cell_notation",
                          default="Column \"${column}\": \"${value}\" is not a number and notation "
                                  "(e.g. 15/UBND-VX).",
                          mapping={"column": _column_title("notation"), "value": short(raw)}))

    if kind == INCOMING:
        raw = str(values["arrival_number"]).strip()
        if raw.isdigit() and 0 < int(raw) < 10**9:
            fields["arrival_number"] = int(raw)
        else:
            problems.append(_("error_migration_cell_number",
                              default="Column \"${column}\": \"${value}\" is not an arrival number.",
                              mapping={"column": _column_title("arrival_number"), "value": short(raw)}))
        arrival = _checked_date("arrival_date", values["arrival_date"], problems, with_time=True)
        if arrival is not None:
            fields["arrival"] = arrival.replace(tzinfo=counter.VIETNAM_OFFSET)
        fields["issuing_agency_name"] = _one_line(values.get("author"), 500)
        number, notation = _split_notation(str(values.get("notation") or ""))
        if values.get("notation") and number is None:
            bad_notation(values["notation"])
        fields["code_number"], fields["code_notation"] = number, notation
        fields["issued_date"] = None
        if values.get("issued_date"):
            fields["issued_date"] = _checked_date("issued_date", values["issued_date"], problems)
    else:
        number, notation = _split_notation(str(values["notation"]))
        if number is None:
            bad_notation(values["notation"])
        fields["code_number"], fields["code_notation"] = number, notation
        fields["issued_date"] = _checked_date("issued_date", values["issued_date"], problems)
        fields["signer_name"] = _one_line(values.get("signer"), 200)
        fields["recipients_text"] = str(values.get("recipients") or "")[:2000]
    filename = os.path.basename(str(values["file"]).replace("\\", "/"))
    path = os.path.join(pdf_dir, filename)
    if not filename or not os.path.isfile(path):
        problems.append(_("error_migration_no_pdf", default="The PDF \"${name}\" is not in the folder.",
                          mapping={"name": short(filename)}))
    elif os.path.getsize(path) > _max_pdf_bytes():
        problems.append(_("error_migration_pdf_too_large",
                          default="\"${name}\" is larger than the upload limit (${limit}).",
                          mapping={"name": short(filename), "limit": _max_pdf_text()}))
    else:
        with open(path, "rb") as src:
            data = src.read()
        if not data.startswith(b"%PDF-") or pdf_problem(data) is not None:
            problems.append(_("error_migration_not_pdf", default="\"${name}\" is not a PDF file.",
                              mapping={"name": short(filename)}))
        fields["file"] = (data, filename)
    return fields, problems


def _max_pdf_bytes():
    from dongthap.qlvb.documents.validation import max_upload_bytes

    return max_upload_bytes()


def _max_pdf_text():
    from dongthap.qlvb.documents.validation import format_size

    return format_size(_max_pdf_bytes())


def _scan(agency, fields):
    """The antivirus's refusal of the row's PDF (a translatable message), None when it is clean."""
    from dongthap.qlvb.antivirus import api as antivirus

    data, filename = fields["file"]
    refused = antivirus.check_uploads([("file", data, filename)], path_of_entry="migration", agency=agency)
    return refused[0][2].message if refused else None


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
                               mapping={"kind": short(kind)}))
    if not os.path.isfile(register_path or ""):
        raise MigrationError(_("error_migration_no_register",
                               default="The register file ${path} does not exist.",
                               mapping={"path": short(register_path, 300)}))
    if not os.path.isdir(pdf_dir or ""):
        raise MigrationError(_("error_migration_no_folder", default="The PDF folder ${path} does not exist.",
                               mapping={"path": short(pdf_dir, 300)}))
    rows = read_rows(register_path)
    existing = _existing_numbers(agency, kind)
    from dongthap.qlvb.dossiers import api as dossiers

    planned, problems, skipped, seen = [], [], [], set()
    for number, values in rows:
        fields, messages = parse_row(kind, values, pdf_dir)
        if fields and fields.get("file") and not messages:
            refusal = _scan(agency, fields)
            if refusal is not None:
                messages.append(refusal)
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
                                  mapping={"code": short(fields["dossier"])}))
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
