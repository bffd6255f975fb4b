"""PAdES signing of official documents (``ETSI.CAdES.detached``).

Three entry points, one per signature of NĐ 30/2020 Phụ lục I:

* :func:`sign_person` – the competent person: position (with an authority
  prefix TM./KT./TL./TUQ./Q.), handwritten-signature image, name;
* :func:`sign_agency` – the agency: red seal image overlapping the left
  third of the person's box.  The document's number, notation and issue
  time are recorded in the signature dictionary: ``/Reason`` holds
  ``"Số: <số>/<ký hiệu>; Ban hành: <ISO 8601 time>"`` and ``/Location``
  the agency name, all covered by the agency signature;
* :func:`sign_attachment` – the agency on an attachment / electronic copy:
  top-right of page 1, no image, "Số, ký hiệu" and the signing time
  ``dd/mm/yyyy hh:mm:ss +07:00`` in Noto Serif 10 pt black.

Every function returns new bytes; the input is never modified, and any
error (see :mod:`.errors`) leaves no output.  Boxes are PDF points
``(x1, y1, x2, y2)`` from the page's lower-left corner.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

from asn1crypto import cms, core, tsp
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

from . import errors
from .signers import DocumentSigner
from .stamps import SERIF, SERIF_BOLD, BlockStampStyle, load_png, seal_with_name

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
PERSON_FIELD_PREFIX = "QLVB_CaNhan"
AGENCY_FIELD_PREFIX = "QLVB_CoQuan"
DEFAULT_PERSON_BOX = (330, 70, 540, 200)
SEAL_SIZE_PT = 102  # 36 mm, a typical round seal at real size
ATTACHMENT_SIZE = (215, 34)
ISSUE_STAMP_SIZE = (250, 34)
ISSUE_FIELD_PREFIX = "QLVB_SoKyHieu"
DEFAULT_PLACE = "Đồng Tháp"
MARGIN = 28


class TimeStampResponse(core.Sequence):
    """RFC 3161 §2.4.2 ``TimeStampResp``: the token is OPTIONAL (absent when refused).

    asn1crypto's ``tsp.TimeStampResp`` makes it mandatory and cannot read a
    refusal; this one can.
    """

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class QlvbTimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP time stamper with our errors (nothing is signed on any of them).

    * no connection, timeout, HTTP error status → :class:`~.errors.TimestampError`;
    * a status other than ``granted`` → :class:`~.errors.TimestampRejectedError`;
    * an answer that is no valid ``TimeStampResp`` (wrong content type,
      garbage, wrong nonce) → :class:`~.errors.TimestampInvalidError`.

    The exception's ``detail`` (logs only) says what the TSA answered.
    """

    async def async_request_tsa_response(self, req):
        import aiohttp

        try:
            response = await super().async_request_tsa_response(req)
        except TimestampRequestError as exc:
            cause = exc.__cause__
            if isinstance(cause, aiohttp.ContentTypeError):
                raise errors.TimestampInvalidError("content type") from exc
            raise errors.TimestampError(type(cause or exc).__name__) from exc
        try:
            answer = TimeStampResponse.load(response.dump())
            info = answer["status"]
            status = info["status"].native
        except Exception as exc:  # noqa: BLE001 - asn1crypto raises many types on garbage
            raise errors.TimestampInvalidError(type(exc).__name__) from exc
        if status != "granted":
            try:
                detail = "; ".join([status, *(info["status_string"].native or ()),
                                    *sorted(info["fail_info"].native or ())])
            except Exception:  # noqa: BLE001
                detail = str(status)
            raise errors.TimestampRejectedError(detail)
        try:  # the parts we rely on (``.native`` of the whole answer would be slow)
            signed_data = response["time_stamp_token"]["content"]
            signed_data["encap_content_info"]["content"].parsed["gen_time"].native  # noqa: B018
            len(signed_data["signer_infos"])
        except Exception as exc:  # noqa: BLE001 - e.g. granted without a token
            raise errors.TimestampInvalidError(type(exc).__name__) from exc
        return response

    async def async_timestamp(self, message_digest, md_algorithm):
        try:
            return await super().async_timestamp(message_digest, md_algorithm)
        except errors.SigningError:
            raise
        except Exception as exc:  # noqa: BLE001 - bad nonce, malformed token
            raise errors.TimestampInvalidError(str(exc) or type(exc).__name__) from exc


def timestamper(url: str | None, timeout: float = 10):
    """An RFC 3161 time stamper for ``url`` (``None`` if no TSA configured)."""
    if not url:
        return None
    return QlvbTimeStamper(url, timeout=timeout)


def open_pdf(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    """Open ``pdf_bytes`` for an incremental update, or raise an InputError."""
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview):
        raise errors.NotPdfError(type(pdf_bytes).__name__)
    data = bytes(pdf_bytes)
    if b"%PDF-" not in data[:1024]:
        raise errors.NotPdfError()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise errors.MalformedPdfError(type(exc).__name__) from exc
    if writer.prev.encrypted:
        raise errors.EncryptedPdfError()
    try:
        count = int(writer.root["/Pages"]["/Count"])
        writer.find_page_for_modification(count - 1)
    except Exception as exc:  # any broken page tree
        raise errors.MalformedPdfError(type(exc).__name__) from exc
    if count < 1:
        raise errors.MalformedPdfError("no pages")
    return writer


def page_size(writer: IncrementalPdfFileWriter, page_ix: int) -> tuple[float, float]:
    """Width and height (points) of a page, following inherited /MediaBox."""
    if page_ix < 0:
        page_ix += int(writer.root["/Pages"]["/Count"])
    node = writer.find_page_for_modification(page_ix)[0].get_object()
    while node is not None:
        if "/MediaBox" in node:
            x1, y1, x2, y2 = (float(v) for v in node["/MediaBox"])
            return abs(x2 - x1), abs(y2 - y1)
        node = node.get("/Parent")
        node = node.get_object() if node is not None else None
    return 595.0, 842.0


class _TimedPdfSigner(signers.PdfSigner):
    """PdfSigner whose CMS signing time is fixed (shown in the stamp)."""

    def __init__(self, *args, signing_time: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        if self._signing_time is not None:
            session.system_time = self._signing_time
        return session


def build_pdf_signer(pyh_signer, *, field_name, page, box, style, reason=None,
                     location=None, contact=None, tsa=None, signing_time=None):
    """A configured pyHanko PdfSigner (shared with the external flow)."""
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location, contact_info=contact)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page,
                               box=tuple(round(v) for v in box))
    return _TimedPdfSigner(meta, signer=pyh_signer, timestamper=tsa, stamp_style=style,
                           new_field_spec=spec, signing_time=signing_time)


def _sign(pdf_bytes, signer: DocumentSigner, *, signing_time=None, prepare=None,
          **kwargs) -> bytes:
    writer = open_pdf(pdf_bytes)
    if prepare is not None:
        prepare(writer)  # more changes in the revision the signature covers
    out = io.BytesIO()
    with signer.session() as pyh_signer:
        signer.check(signing_time)
        pdf_signer = build_pdf_signer(pyh_signer, signing_time=signing_time, **kwargs)
        try:
            pdf_signer.sign_pdf(writer, output=out)
        except errors.SigningError:
            raise
        except Exception as exc:  # token errors, TSA errors … – nothing returned
            if "timestamp" in type(exc).__name__.lower() or "TimeStamp" in str(exc):
                raise errors.TimestampError(type(exc).__name__) from exc
            raise errors.SigningError(type(exc).__name__) from exc
    return out.getvalue()


def _field(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def person_style(name: str, position: str, authority_prefix: str | None = None,
                 signature_image_png: bytes | None = None,
                 font_size: float = 11) -> BlockStampStyle:
    """Appearance of the person's signature (position, image, name)."""
    if authority_prefix and authority_prefix not in AUTHORITY_PREFIXES:
        raise ValueError(f"authority_prefix must be one of {AUTHORITY_PREFIXES}")
    lines = [x.strip() for x in position.splitlines() if x.strip()] or [""]
    if authority_prefix:
        lines[0] = f"{authority_prefix} {lines[0]}".strip()
    above = tuple(line for line in lines if line)
    return BlockStampStyle(lines_above=above, lines_below=(name,),
                           image=load_png(signature_image_png),
                           font_file=str(SERIF), bold_font_file=str(SERIF_BOLD),
                           font_size=font_size)


def sign_person(pdf_bytes: bytes, signer: DocumentSigner, name: str, position: str,
                authority_prefix: str | None = None, signature_image_png: bytes | None = None,
                *, page: int = -1, box=DEFAULT_PERSON_BOX, timestamper=None,
                reason: str | None = None) -> bytes:
    """Sign as the competent person with a visible stamp.

    :param position: one or more lines, e.g. ``"CHỦ TỊCH\nPHÓ CHỦ TỊCH"``.
    :param authority_prefix: ``TM.``, ``KT.``, ``TL.``, ``TUQ.`` or ``Q.``,
        prepended to the first line (``"KT. CHỦ TỊCH"``).
    :param page: page index, ``-1`` = last page.
    :param box: field rectangle in points.
    :returns: the signed PDF.
    """
    style = person_style(name, position, authority_prefix, signature_image_png)
    return _sign(pdf_bytes, signer, field_name=_field(PERSON_FIELD_PREFIX), page=page,
                 box=box, style=style, tsa=timestamper, reason=reason or "Ký duyệt văn bản",
                 location=None, contact=None)


def find_person_box(pdf_bytes: bytes) -> tuple[int, tuple[float, float, float, float]] | None:
    """Page index and rectangle of the last person signature field."""
    writer = open_pdf(pdf_bytes)
    found = None
    for name, _value, ref in fields.enumerate_sig_fields(writer.prev, filled_status=None):
        if not str(name).startswith(PERSON_FIELD_PREFIX):
            continue
        annot = ref.get_object()
        if "/Rect" not in annot or "/P" not in annot:
            continue
        page_ref = annot.raw_get("/P")
        page_ix = _page_index(writer, page_ref)
        found = (page_ix, tuple(float(v) for v in annot["/Rect"]))
    return found


def _page_index(writer, page_ref) -> int:
    count = int(writer.root["/Pages"]["/Count"])
    for ix in range(count):
        if writer.find_page_for_modification(ix)[0] == page_ref:
            return ix
    return count - 1


def seal_box_over(person_box, seal_size: float = SEAL_SIZE_PT):
    """Seal rectangle covering the left third of ``person_box``.

    The seal's right edge lies on the first third of the person's box and
    the seal is vertically centred on it.
    """
    x1, y1, x2, y2 = person_box
    right = x1 + (x2 - x1) / 3
    cy = (y1 + y2) / 2
    return (right - seal_size, cy - seal_size / 2, right, cy + seal_size / 2)


def agency_reason(code_number, code_notation: str, issued_at: dt.datetime) -> str:
    """The ``/Reason`` text recording number, notation and issue time."""
    number = f"{int(code_number):02d}" if str(code_number).isdigit() else str(code_number)
    return f"Số: {number}/{code_notation}; Ban hành: {to_vn(issued_at).isoformat()}"


def to_vn(moment: dt.datetime) -> dt.datetime:
    """Convert to Vietnam time (+07:00); naive datetimes are taken as Vietnam time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def issue_date_text(issued_at: dt.datetime, place: str = DEFAULT_PLACE) -> str:
    """``"Đồng Tháp, ngày 06 tháng 12 năm 2026"`` (NĐ 30/2020 Phụ lục I: địa danh, ngày tháng năm;
    days below 10 and months below 3 written with a leading zero)."""
    vn = to_vn(issued_at)
    return f"{place}, ngày {vn.day:02d} tháng {vn.month:02d} năm {vn.year}"


def number_text(code_number, code_notation: str) -> str:
    """``"Số: 12/UBND-VP"`` (numbers below 10 with a leading zero)."""
    number = f"{int(code_number):02d}" if str(code_number).isdigit() else str(code_number)
    return f"Số: {number}/{code_notation}"


def add_issue_stamp(writer, *, code_number, code_notation: str, issued_at: dt.datetime,
                    place: str = DEFAULT_PLACE, page: int = 0) -> None:
    """Print the number and the date of issue, visibly, in a stamp box at the top right of the
    first page (inside the margin): ``Số: 12/UBND-VP`` / ``Đồng Tháp, ngày 06 tháng 12 năm 2026``.

    The box is the appearance of a read-only, unsigned signature field added in the revision the
    agency signature covers: a new signature field with its appearance is the one change after a
    signature that PAdES readers (and pyHanko's difference analysis) accept as form filling, so
    the person's signature made before the number existed stays valid; drawing into the page's
    content would not.
    """
    from pyhanko.pdf_utils.generic import NumberObject

    width, height = page_size(writer, page)
    w, h = ISSUE_STAMP_SIZE
    box = (width - MARGIN - w, height - MARGIN - h, width - MARGIN, height - MARGIN)
    spec = fields.SigFieldSpec(sig_field_name=_field(ISSUE_FIELD_PREFIX), on_page=page,
                               box=tuple(round(v) for v in box))
    fields.append_signature_field(writer, spec)
    style = BlockStampStyle(lines_above=(number_text(code_number, code_notation),
                                         issue_date_text(issued_at, place)),
                            font_file=str(SERIF), font_size=11, align="left")
    from pyhanko.pdf_utils import layout

    stamp = style.create_stamp(writer, layout.BoxConstraints(width=round(box[2]) - round(box[0]),
                                                             height=round(box[3]) - round(box[1])),
                               {})
    for name, _value, ref in fields.enumerate_sig_fields(writer, filled_status=False):
        if name == spec.sig_field_name:
            field_dict = ref.get_object()
            field_dict[pdf_name("/Ff")] = NumberObject(1)  # read-only: nobody signs into it
            field_dict[pdf_name("/F")] = NumberObject(4 | 128)  # printed, locked
            field_dict[pdf_name("/AP")][pdf_name("/N")] = stamp.register()
            return
    raise errors.SigningError("issue stamp field")


def sign_agency(pdf_bytes: bytes, signer: DocumentSigner, agency_name: str,
                seal_image_png: bytes | None = None, *, code_number, code_notation: str,
                issued_at: dt.datetime, over_person_box=None, page: int | None = None,
                seal_size: float = SEAL_SIZE_PT, timestamper=None, stamp_number: bool = True,
                place: str = DEFAULT_PLACE) -> bytes:
    """Sign as the agency (văn thư) with the seal over the person's signature.

    :param over_person_box: ``(page, box)`` of the person's signature; by
        default the last ``QLVB_CaNhan_*`` field of the document is used,
        else the default person box on the last page.
    :param code_number: số (e.g. ``15``); :param code_notation: ký hiệu
        (e.g. ``"QĐ-UBND"``); :param issued_at: issue time.  All three go into
        ``/Reason`` (see the module docstring).
    :param stamp_number: also print number and date of issue on the first page
        (:func:`add_issue_stamp`), in the revision the agency signature covers.
    """
    if over_person_box is None:
        over_person_box = find_person_box(pdf_bytes) or (-1, DEFAULT_PERSON_BOX)
    person_page, person_box = over_person_box
    image = load_png(seal_image_png) if seal_image_png else seal_with_name(agency_name)
    style = BlockStampStyle(image=image)
    return _sign(pdf_bytes, signer, field_name=_field(AGENCY_FIELD_PREFIX),
                 page=person_page if page is None else page,
                 box=seal_box_over(person_box, seal_size), style=style, tsa=timestamper,
                 reason=agency_reason(code_number, code_notation, issued_at),
                 location=agency_name, contact=None,
                 prepare=(lambda writer: add_issue_stamp(
                     writer, code_number=code_number, code_notation=code_notation,
                     issued_at=issued_at, place=place)) if stamp_number else None)


def format_vn_time(moment: dt.datetime) -> str:
    """``dd/mm/yyyy hh:mm:ss +07:00`` (NĐ 30/2020 Phụ lục I)."""
    vn = to_vn(moment)
    return vn.strftime("%d/%m/%Y %H:%M:%S ") + vn.strftime("%z")[:3] + ":" + vn.strftime("%z")[3:]


def sign_attachment(pdf_bytes: bytes, signer: DocumentSigner, code_text: str,
                    signed_at: dt.datetime | None = None, *, timestamper=None) -> bytes:
    """Agency signature on an attachment/electronic copy (top right of page 1).

    :param code_text: "số/ký hiệu" of the main document (or the copy form
        and copying agency, e.g. ``"SY 05/SY-VP"``).
    :param signed_at: signing time shown and used as CMS signing time
        (default: now).
    """
    signed_at = to_vn(signed_at or dt.datetime.now(VN_TZ)).replace(microsecond=0)
    writer = open_pdf(pdf_bytes)
    width, height = page_size(writer, 0)
    w, h = ATTACHMENT_SIZE
    box = (width - MARGIN - w, height - MARGIN - h, width - MARGIN, height - MARGIN)
    style = BlockStampStyle(lines_above=(f"Số, ký hiệu: {code_text}",
                                         f"Thời gian ký: {format_vn_time(signed_at)}"),
                            font_file=str(SERIF), font_size=10, align="left")
    return _sign(pdf_bytes, signer, field_name=_field(AGENCY_FIELD_PREFIX), page=0, box=box,
                 style=style, tsa=timestamper, signing_time=signed_at.astimezone(dt.UTC),
                 reason=f"Số: {code_text}; Ký: {signed_at.isoformat()}", location=None,
                 contact=None)


__all__ = [
    "add_issue_stamp",
    "find_person_box",
    "format_vn_time",
    "open_pdf",
    "seal_box_over",
    "sign_agency",
    "sign_attachment",
    "sign_person",
    "timestamper",
]
