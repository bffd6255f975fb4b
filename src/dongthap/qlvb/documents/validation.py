"""One validation of document input for the REST services and the forms, driven by the schemas.

``incoming.api.clean`` and ``outgoing.api.clean`` (called by the forms and by the REST
services) turn raw values — strings of a form, any JSON value of a REST body — into field
values here:

* :func:`field_value` checks the JSON/form *type* strictly (a list is no title, ``"no"`` is no
  flag, ``True`` is no number), then lets the schema field validate the value
  (``field.bind(context).validate``: length, one line, min/max, constraints such as the
  plausible dates below).
* :func:`upload` checks a file: its shape (bytes and a one-line file name), its size against
  the upload limit (the antivirus scanning limit: a file that cannot be scanned cannot be
  stored) and its content (a PDF must open in a PDF reader).

Every problem is a ``{"field", "message"}`` dict whose message is translatable, names the field
by its (Vietnamese) title and echoes at most :data:`ECHO` characters of a bad value. A problem
of an oversized file carries ``"status": 413``; :func:`status_of` picks the answer's status.
"""

from dongthap.qlvb.i18n import _
from zope import schema
from zope.schema import interfaces as zi

import datetime
import io
import re
import zipfile

#: Characters of a bad value echoed in a message.
ECHO = 30
#: Issue dates before this are not plausible (the first documents of the state).
EARLIEST = datetime.date(1945, 1, 1)
#: Deadlines at most this many years from today.
DEADLINE_YEARS = 5
#: Upload limit when the antivirus settings cannot be read.
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
MAX_FILENAME = 200

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_INT = re.compile(r"^\s*[+-]?\d{1,12}\s*$")


def short(value):
    """At most :data:`ECHO` characters of ``value`` (for messages)."""
    text = value if isinstance(value, str) else repr(value)
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= ECHO else text[:ECHO] + "…"


def today():
    from zoneinfo import ZoneInfo

    return datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


# ---------------------------------------------------------------- plausible dates (schema constraints)


class ImplausibleIssueDate(schema.ValidationError):
    __doc__ = _("error_issued_implausible", default="The date cannot be before 01/01/1945.")


class ImplausibleDeadline(schema.ValidationError):
    __doc__ = _("error_deadline_implausible",
                default="The date must be between 01/01/1945 and five years from today.")


def plausible_issue_date(value):
    """Constraint of issue dates: not before 1945 (the future is an invariant of the document)."""
    if value is not None and value < EARLIEST:
        raise ImplausibleIssueDate(value)
    return True


def plausible_deadline(value):
    """Constraint of due dates: not before 1945, at most :data:`DEADLINE_YEARS` years ahead."""
    if value is None:
        return True
    now = today()
    try:
        latest = now.replace(year=now.year + DEADLINE_YEARS)
    except ValueError:  # 29 February
        latest = now.replace(year=now.year + DEADLINE_YEARS, day=28)
    if not (EARLIEST <= value <= latest):
        raise ImplausibleDeadline(value)
    return True


# ---------------------------------------------------------------- files in the schema (constraints)


class NotReadablePdf(schema.ValidationError):
    __doc__ = _("error_not_readable_pdf", default="The file is not a readable PDF document.")


class NotPdfOrDocx(schema.ValidationError):
    __doc__ = _("error_not_pdf_or_docx", default="The file is neither a readable PDF nor a .docx document.")


class FileTooLarge(schema.ValidationError):
    __doc__ = _("error_file_over_limit", default="The file is larger than the upload limit.")


def _named_data(value):
    data = getattr(value, "data", value)
    return bytes(data) if data else b""


def _check_named(value, kinds, error):
    if value is None:
        return True
    size = getattr(value, "getSize", None)
    if size is not None and size() > max_upload_bytes():
        raise FileTooLarge()
    data = _named_data(value)
    if not any((pdf_problem(data) if kind == "pdf" else docx_problem(data)) is None for kind in kinds):
        raise error()
    return True


class NotAPdf(schema.ValidationError):
    __doc__ = _(
        "error_not_pdf",
        default="The file is not a PDF document (its content does not start like a PDF).",
    )


PDF_MAGIC = b"%PDF-"


def read_head(value, size=1024):
    """The first ``size`` bytes of a named file without loading a whole blob."""
    if value is None:
        return b""
    opener = getattr(value, "open", None)
    if opener is not None:
        try:
            with opener() as handle:
                return handle.read(size)
        except (OSError, AttributeError, TypeError):
            pass
    data = getattr(value, "data", value)
    return bytes(data[:size]) if data else b""


def is_pdf(head):
    """A PDF starts with ``%PDF-`` within its first 1024 bytes (ISO 32000)."""
    return PDF_MAGIC in (head or b"")[:1024]


def check_pdf(value):
    """Constraint of PDF files: a PDF that a PDF reader opens (not only the magic), within the limit."""
    if not is_pdf(read_head(value)):
        raise NotAPdf()
    return readable_pdf(value)


def check_pdf_list(values):
    for value in values or ():
        check_pdf(value)
    return True


def readable_pdf(value):
    """Constraint of PDF file fields: opens in a PDF reader, within the upload limit."""
    return _check_named(value, ("pdf",), NotReadablePdf)


def readable_pdf_or_docx(value):
    """Constraint of the draft file of an outgoing document: a readable PDF or .docx."""
    return _check_named(value, ("pdf", "docx"), NotPdfOrDocx)


# ---------------------------------------------------------------- messages


def problem(field_name, field, message, **mapping):
    """A ``{"field", "message"}`` naming the field by its title (``${field}`` in ``message``)."""
    mapping["field"] = field.title if field is not None else field_name
    return {"field": field_name, "message": _(message, default=message.default, mapping=mapping)}


def bad_value(name, field):
    return problem(name, field, _("error_bad_value", default="${field}: the value is not valid."))


def required(name, field):
    return problem(name, field, _("error_field_required", default="${field} is required."))


def _validation_problem(name, field, error, value):
    """The message of a zope.schema ``ValidationError`` raised by ``field``."""
    if isinstance(error, zi.TooLong):
        return problem(name, field, _("error_too_long",
                default="${field}: at most ${max} characters (${length} were sent)."),
                       max=str(field.max_length), length=str(len(value)))
    if isinstance(error, zi.TooShort):
        return problem(name, field, _("error_too_short", default="${field}: at least ${min} characters."),
                       min=str(field.min_length))
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return problem(name, field, _("error_one_line", default="${field} must be a single line."))
    if isinstance(error, (zi.TooSmall, zi.TooBig)) and isinstance(value, int):
        return problem(name, field, _("error_number_range",
                default="${field} must be a number from ${min} to ${max}."),
                       min=str(field.min), max=str(field.max))
    if isinstance(error, (ImplausibleIssueDate, ImplausibleDeadline)):
        return {"field": name, "message": _(
            "error_field_problem", default="${field}: ${problem}",
            mapping={"field": field.title, "problem": error.doc()})}
    if isinstance(error, zi.InvalidValue) and isinstance(field, schema.ASCIILine):
        return problem(name, field, _("error_not_ascii",
                default="${field} may contain only letters without accents, digits and signs."))
    doc = getattr(type(error), "__doc__", None)
    if getattr(doc, "domain", None) == "dongthap.qlvb":  # our own, translated, errors
        return {"field": name, "message": _(
            "error_field_problem", default="${field}: ${problem}",
            mapping={"field": field.title, "problem": doc})}
    return bad_value(name, field)


# ---------------------------------------------------------------- values


def parse_date(value):
    """A date from ``dd/mm/yyyy`` (forms) or ISO ``yyyy-mm-dd`` (REST); ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    match = _ISO.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(value)


def _typed(field, raw):
    """``raw`` as the Python type of ``field``; ValueError when it has another JSON type."""
    if isinstance(field, schema.Bool):
        if isinstance(raw, bool):
            return raw
        raise ValueError(raw)
    if isinstance(field, schema.Int):
        if isinstance(raw, bool):
            raise ValueError(raw)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str) and _INT.match(raw):
            return int(raw)
        raise ValueError(raw)
    if isinstance(field, schema.Date):
        return parse_date(raw)
    if isinstance(field, (schema.TextLine, schema.Text, schema.ASCIILine, schema.Choice)):
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise ValueError(raw)
        return str(raw).strip()
    if isinstance(field, schema.List):
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ValueError(raw)
        return [v.strip() for v in raw]
    return raw


def field_value(iface, name, raw, *, context=None, validate=True):
    """``(value, problem)`` of the raw input ``raw`` for field ``name`` of ``iface``.

    ``problem`` is None when the value is good. Empty input gives ``(None, problem-if-required)``.
    With ``validate=False`` only the type is checked (for fields whose values the caller checks
    against its own choices, e.g. the signers of the agency).
    """
    field = iface[name]
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "" or raw == []:
        return None, (required(name, field) if field.required else None)
    try:
        value = _typed(field, raw)
    except (ValueError, TypeError, OverflowError):
        if isinstance(field, schema.Date):
            return None, problem(name, field, _("error_bad_date",
                    default="${field}: enter a date as dd/mm/yyyy."))
        if isinstance(field, schema.Int):
            return None, problem(name, field, _("error_not_a_number",
                    default="${field} must be a whole number."))
        if isinstance(field, (schema.TextLine, schema.Text, schema.ASCIILine)):
            return None, problem(name, field, _("error_not_text", default="${field} must be text."))
        return None, bad_value(name, field)
    if value == "" and field.required:
        return None, required(name, field)
    if validate and not isinstance(field, schema.Choice):
        try:
            field.bind(context).validate(value)
        except zi.ValidationError as error:
            return None, _validation_problem(name, field, error, value)
    return value, None


def flag(data, name, label):
    """A yes/no option of a REST body (``true``/``false``, absent = False): ``(value, problem)``."""
    raw = data.get(name)
    if raw is None or isinstance(raw, bool):
        return bool(raw), None
    return False, {"field": name, "message": _(
        "error_not_a_flag", default="${field} must be true or false.", mapping={"field": label})}


#: Labels of the free texts of the REST bodies (for :func:`text`).
REASON_LABEL = _("label_reason", default="Reason")
COMMENT_LABEL = _("label_comment", default="Comment")


def text(data, name, label, max_length=2000):
    """A free text of a REST body (e.g. the comment): ``(value, problem)``."""
    raw = data.get(name)
    if raw is None:
        return "", None
    if not isinstance(raw, str):
        return "", {"field": name, "message": _("error_not_text", default="${field} must be text.",
                                                 mapping={"field": label})}
    if len(raw) > max_length:
        return "", {"field": name, "message": _(
            "error_too_long", default="${field}: at most ${max} characters (${length} were sent).",
            mapping={"field": label, "max": str(max_length), "length": str(len(raw))})}
    return raw, None


def status_of(problems, default=400):
    """413 when a file was too large, else ``default``."""
    return 413 if any(p.get("status") == 413 for p in problems) else default


def strip_status(problems):
    return [{k: v for k, v in p.items() if k != "status"} for p in problems]


# ---------------------------------------------------------------- files


def max_upload_bytes():
    """The largest file accepted: the antivirus scanning limit (a file must be scanned)."""
    try:
        from dongthap.qlvb.antivirus.settings import settings_values

        return int(settings_values()["max_stream_size"])
    except Exception:  # noqa: BLE001 - no registry (tests of the library): the default
        return DEFAULT_MAX_UPLOAD


def format_size(size):
    mb = 1024 * 1024
    return f"{size / mb:.0f} MB" if size >= mb else f"{max(1, size // 1024)} KB"


def antivirus_status(refusal):
    """The HTTP status of an antivirus refusal: 400 infected, 413 too large to scan, 503 scanner down."""
    if type(refusal).__name__ == "VirusFound":
        return 400
    if getattr(getattr(refusal, "result", None), "reason", None) == "oversize":
        return 413
    return 503


_STARTXREF = re.compile(rb"startxref\s+(\d{1,12})")
_XREF_AT = re.compile(rb"\s*(?:xref|\d{1,10}\s+\d{1,5}\s+obj)")


def _open_pdf(data):
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return int(reader.root["/Pages"]["/Count"])


def pdf_problem(data):
    """None when ``data`` opens in a PDF reader (pyHanko) with a page tree; else the reason.

    Like PDF viewers, a comment or junk between the last ``startxref`` and ``%%EOF`` is
    tolerated (the tail is rebuilt once); a file that only starts like a PDF is not.
    """
    if not data or b"%PDF-" not in bytes(data[:1024]):
        return "no PDF header"
    data = bytes(data)
    found = list(_STARTXREF.finditer(data, max(0, len(data) - 4096)))
    if not found or b"%%EOF" not in data[-4096:]:  # truncated, or no PDF after the header
        return "no trailer"
    # The cross-reference must be where the trailer says (checked before the reader, whose
    # recovery from a wrong offset takes minutes on a crafted file of tens of MB).
    offset = int(found[-1].group(1))
    if offset >= len(data) or not _XREF_AT.match(data, offset):
        return "no cross-reference table at startxref"
    try:
        count = _open_pdf(data)
    except Exception as error:  # noqa: BLE001 - any reader error means "not a PDF" (after one repair)
        repaired = data[:found[-1].start()] + b"startxref\n%d\n%%%%EOF\n" % offset
        if repaired == data:
            return type(error).__name__
        try:
            count = _open_pdf(repaired)
        except Exception as again:  # noqa: BLE001
            return type(again).__name__
    return None if count >= 1 else "no pages"


def docx_problem(data):
    """None when ``data`` is a .docx package (a ZIP with a Word document part)."""
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "not a ZIP"
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        return "no Word document"
    return None


def filename_problem(name, field, filename):
    if not isinstance(filename, str):
        return problem(name, field, _("error_bad_filename", default="${field}: the file name is not valid."))
    if _CONTROL.search(filename):
        return problem(name, field, _("error_filename_control",
                default="${field}: the file name must not contain line breaks or control characters."))
    if len(filename) > MAX_FILENAME:
        return problem(name, field, _("error_filename_long",
                default="${field}: the file name is longer than ${max} characters."),
                       max=str(MAX_FILENAME))
    return None


def upload(name, field, value, *, kinds=("pdf",), default_filename="van-ban.pdf"):
    """``((bytes, filename), problem)`` of an upload given as ``(bytes, filename)``.

    ``kinds``: accepted contents, ``"pdf"`` and/or ``"docx"``, checked with a reader.
    """
    if not isinstance(value, tuple) or len(value) != 2 or not isinstance(value[0], bytes):
        return None, problem(name, field, _("error_bad_file_field",
                default="${field}: send the file as {data, encoding: base64, filename}."))
    data, filename = value
    if filename is None or filename == "":
        filename = default_filename
    bad = filename_problem(name, field, filename)
    if bad:
        return None, bad
    filename = filename.replace("\\", "/").rsplit("/", 1)[-1] or default_filename
    if not data:
        return None, required(name, field)
    limit = max_upload_bytes()
    if len(data) > limit:
        found = problem(name, field, _("error_file_too_large",
                default="${field}: the file ${filename} (${size}) is larger than the limit of ${limit}."),
                        filename=short(filename), size=format_size(len(data)), limit=format_size(limit))
        found["status"] = 413
        return None, found
    reasons = []
    for kind in kinds:
        reason = pdf_problem(data) if kind == "pdf" else docx_problem(data)
        if reason is None:
            return (data, filename), None
        reasons.append(reason)
    if kinds == ("pdf",):
        return None, problem(name, field, _("error_file_not_pdf",
                default="${field}: the file ${filename} is not a readable PDF document."),
                             filename=short(filename))
    return None, problem(name, field, _("error_file_not_pdf_or_docx",
            default="${field}: the file ${filename} is neither a readable PDF nor a .docx document."),
                         filename=short(filename))


def uploads(name, field, values, **kwargs):
    """``([(bytes, filename)…], problems)`` of a list of uploads."""
    if values is None:
        return [], []
    if not isinstance(values, list):
        return [], [problem(name, field, _("error_not_a_list", default="${field} must be a list of files."))]
    good, problems = [], []
    for value in values:
        item, bad = upload(name, field, value, **kwargs)
        if bad:
            problems.append(bad)
        else:
            good.append(item)
    return good, problems


def document_files(data, fields, *, partial=False, kinds=("pdf",), default_filename="van-ban.pdf",
                   attachment_filename="van-ban.pdf"):
    """``(values, problems)`` of the ``file`` and ``attachments`` of raw input.

    ``fields``: the fields of the document type (their titles name them in messages).
    ``values["file"]`` is ``(bytes, filename)``, ``values["attachments"]`` a list of them;
    with ``partial`` (a change) only what ``data`` holds is checked.
    """
    values, problems = {}, []
    if not partial or "file" in data:
        primary = data.get("file")
        if primary is None:
            problems.append(required("file", fields["file"]))
        else:
            item, bad = upload("file", fields["file"], primary, kinds=kinds,
                               default_filename=default_filename)
            if bad:
                problems.append(bad)
            else:
                values["file"] = item
    if not partial or "attachments" in data:
        good, bad = uploads("attachments", fields["attachments"], data.get("attachments"),
                            default_filename=attachment_filename)
        problems.extend(bad)
        values["attachments"] = good
    return values, problems
