"""The column sets of the six registers and lists (Phụ lục VI "six outputs").

The Vietnamese headers are *data*: they are the column names prescribed by
Nghị định 30/2020/NĐ-CP (registers, Phụ lục IV) and by the archival rules for
dossiers, printed as-is whatever the user-interface language.  Only the
:attr:`Register.label` (shown in menus) is a translatable UI string.

Each register is an ordered tuple of :class:`Column`; a row passed to the
renderers is a mapping from column keys to values.

Basis of each set (see ``docs/domain.md`` §2 and §3):

* ``incoming`` – Sổ đăng ký văn bản đến [law];
* ``incoming_tracking`` – Sổ theo dõi giải quyết văn bản đến [law]; it is the
  output Phụ lục VI calls "Báo cáo tình hình giải quyết văn bản đến";
* ``outgoing`` – Sổ đăng ký văn bản đi, 10 columns [law];
* ``outgoing_report`` – Báo cáo tình hình giải quyết văn bản đi [practice]:
  the law names the output but prescribes no columns; ours mirror the
  incoming tracking register (number, date, subject, recipients, reply
  deadline, status, note);
* ``dossier_documents`` – Mục lục văn bản trong hồ sơ [law];
* ``dossiers`` – Mục lục hồ sơ, i.e. the transfer list (nộp lưu) [law];
* ``copies`` – Sổ đăng ký bản sao [practice]: NĐ 30 numbers copies in one yearly
  series (SY, SL, TrS) but prescribes no register form; ours lists number, date,
  form, the original, the pages of an excerpt, the medium, the signer, recipients.
"""

from __future__ import annotations

from dataclasses import dataclass

from dongthap.qlvb.i18n import _

from .errors import UnknownRegisterError

LEFT = "LEFT"
CENTER = "CENTER"


@dataclass(frozen=True)
class Column:
    """One column: stable key, legal header, relative width, alignment."""

    key: str
    header: str
    width: float
    align: str = LEFT


@dataclass(frozen=True)
class Register:
    """A printable register: its key, printed title, columns and basis."""

    key: str
    title: str
    sheet_name: str
    columns: tuple[Column, ...]
    basis: str
    label: str  # translatable UI label (a zope.i18nmessageid Message)

    @property
    def keys(self) -> tuple[str, ...]:
        """The column keys, in order."""
        return tuple(c.key for c in self.columns)

    @property
    def headers(self) -> tuple[str, ...]:
        """The Vietnamese column headers, in order."""
        return tuple(c.header for c in self.columns)


def _cols(*specs) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


INCOMING = Register(
    key="incoming",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    sheet_name="Sổ đăng ký văn bản đến",
    basis="law",
    label=_("registers_label_incoming", default="Incoming documents register"),
    columns=_cols(
        ("arrival_date", "Ngày đến", 19, CENTER),
        ("arrival_number", "Số đến", 13, CENTER),
        ("author", "Tác giả", 32),
        ("notation", "Số, ký hiệu", 26),
        ("issued_date", "Ngày tháng", 19, CENTER),
        ("subject", "Tên loại và trích yếu", 66),
        ("recipient", "Đơn vị hoặc người nhận", 32),
        ("transfer_date", "Ngày chuyển", 19, CENTER),
        ("receipt_signature", "Ký nhận", 18),
        ("note", "Ghi chú", 23),
    ),
)

INCOMING_TRACKING = Register(
    key="incoming_tracking",
    title="SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
    sheet_name="Theo dõi giải quyết VB đến",
    basis="law",
    label=_("registers_label_incoming_tracking", default="Incoming documents processing register"),
    columns=_cols(
        ("arrival_number", "Số đến", 14, CENTER),
        ("document", "Tên loại, số, ký hiệu, ngày, cơ quan ban hành", 72),
        ("recipient", "Đơn vị hoặc người nhận", 38),
        ("due_date", "Thời hạn giải quyết", 22, CENTER),
        ("progress", "Tiến độ giải quyết", 50),
        ("reply_notation", "Số, ký hiệu văn bản trả lời", 38),
        ("note", "Ghi chú", 33),
    ),
)

OUTGOING = Register(
    key="outgoing",
    title="SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    sheet_name="Sổ đăng ký văn bản đi",
    basis="law",
    label=_("registers_label_outgoing", default="Outgoing documents register"),
    columns=_cols(
        ("notation", "Số, ký hiệu", 26),
        ("issued_date", "Ngày tháng", 19, CENTER),
        ("subject", "Tên loại và trích yếu", 62),
        ("signer", "Người ký", 26),
        ("recipients", "Nơi nhận", 36),
        ("copy_holder", "Đơn vị, người nhận bản lưu", 28),
        ("copies", "Số lượng bản", 14, CENTER),
        ("transfer_date", "Ngày chuyển", 19, CENTER),
        ("receipt_signature", "Ký nhận", 17),
        ("note", "Ghi chú", 20),
    ),
)

OUTGOING_REPORT = Register(
    key="outgoing_report",
    title="BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI",
    sheet_name="Tình hình giải quyết VB đi",
    basis="practice",
    label=_("registers_label_outgoing_report", default="Outgoing documents processing report"),
    columns=_cols(
        ("notation", "Số, ký hiệu", 28),
        ("issued_date", "Ngày tháng", 20, CENTER),
        ("subject", "Trích yếu", 80),
        ("recipients", "Nơi nhận", 48),
        ("due_date", "Hạn trả lời", 20, CENTER),
        ("status", "Tình trạng", 40),
        ("note", "Ghi chú", 31),
    ),
)

DOSSIER_DOCUMENTS = Register(
    key="dossier_documents",
    title="MỤC LỤC VĂN BẢN TRONG HỒ SƠ",
    sheet_name="Mục lục văn bản trong hồ sơ",
    basis="law",
    label=_("registers_label_dossier_documents", default="List of documents in a dossier"),
    columns=_cols(
        ("ordinal", "STT", 11, CENTER),
        ("notation", "Số, ký hiệu", 32),
        ("issued_date", "Ngày", 20, CENTER),
        ("subject", "Tên loại và trích yếu", 100),
        ("author", "Tác giả", 52),
        ("pages", "Tờ/Trang", 17, CENTER),
        ("note", "Ghi chú", 35),
    ),
)

DOSSIERS = Register(
    key="dossiers",
    title="MỤC LỤC HỒ SƠ",
    sheet_name="Mục lục hồ sơ",
    basis="law",
    label=_("registers_label_dossiers", default="List of dossiers (transfer list)"),
    columns=_cols(
        ("ordinal", "Số TT", 12, CENTER),
        ("file_notation", "Số, ký hiệu hồ sơ", 28),
        ("title", "Tiêu đề", 105),
        ("period", "Thời gian tài liệu", 32, CENTER),
        ("retention", "Thời hạn bảo quản", 27, CENTER),
        ("pages", "Số tờ/trang", 22, CENTER),
        ("note", "Ghi chú", 41),
    ),
)

#: All registers by key, in the order of Phụ lục VI's six outputs.
COPIES = Register(
    key="copies",
    title="SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN",
    sheet_name="Sổ đăng ký bản sao",
    basis="practice",
    label=_("registers_label_copies", default="Register of copies"),
    columns=_cols(
        ("notation", "Số, ký hiệu bản sao", 24),
        ("date", "Ngày sao", 19, CENTER),
        ("form", "Hình thức sao", 18, CENTER),
        ("original", "Văn bản được sao (số, ký hiệu, cơ quan ban hành, trích yếu)", 70),
        ("pages", "Trang trích sao", 18, CENTER),
        ("medium", "Loại bản sao", 24),
        ("signer", "Người ký", 32),
        ("recipients", "Nơi nhận", 32),
        ("note", "Ghi chú", 20),
    ),
)

REGISTERS: dict[str, Register] = {
    r.key: r for r in (INCOMING, INCOMING_TRACKING, OUTGOING, OUTGOING_REPORT, DOSSIER_DOCUMENTS, DOSSIERS,
                       COPIES)
}


def get_register(key: str) -> Register:
    """The register called *key*; :class:`UnknownRegisterError` (a ValueError) if none."""
    try:
        return REGISTERS[key]
    except (KeyError, TypeError):
        raise UnknownRegisterError(key=key, known=", ".join(REGISTERS)) from None
