"""Problems found in a package, with bilingual messages.

Each :class:`Problem` names the field by an XPath-like path such as
``MessageHeader/To[2]/OrganId`` (1-based indexes, as in XPath), a stable
machine code and the message in Vietnamese and English.  ``severity`` is
``"error"`` (the package must not be sent / cannot be registered as is) or
``"warning"`` (noticed and tolerated).
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# code -> (Vietnamese template, English template); fields: path, value
MESSAGES: dict[str, tuple[str, str]] = {
    "required": (
        "Thiếu thông tin bắt buộc: {path}.",
        "Required information is missing: {path}.",
    ),
    "duplicate-recipient": (
        "Đơn vị nhận bị trùng: {value} ({path}).",
        "Duplicate recipient: {value} ({path}).",
    ),
    "future-date": (
        "Ngày ban hành {value} ở tương lai ({path}).",
        "The promulgation date {value} is in the future ({path}).",
    ),
    "invalid-status-code": (
        "Mã trạng thái không hợp lệ: {value} ({path}).",
        "Invalid status code: {value} ({path}).",
    ),
    "invalid-priority": (
        "Độ khẩn không hợp lệ: {value}; chỉ nhận 0 đến 4 ({path}).",
        "Invalid priority: {value}; only 0 to 4 are allowed ({path}).",
    ),
    "invalid-business-type": (
        "Loại nghiệp vụ không hợp lệ: {value}; chỉ nhận 0 đến 3 ({path}).",
        "Invalid business document type: {value}; only 0 to 3 are allowed ({path}).",
    ),
    "invalid-flag": (
        "Giá trị không hợp lệ: {value}; chỉ nhận 0 hoặc 1 ({path}).",
        "Invalid value: {value}; only 0 or 1 are allowed ({path}).",
    ),
    "organ-id-format": (
        "Mã định danh {value} không theo dạng 13 ký tự DDD.DD.DD.XNN ({path}).",
        "Agency id {value} is not in the 13-character form DDD.DD.DD.XNN ({path}).",
    ),
    "invalid-date": (
        "Không đọc được ngày/giờ '{value}' ({path}).",
        "Cannot read the date/time '{value}' ({path}).",
    ),
    "invalid-number": (
        "Không đọc được số '{value}' ({path}).",
        "Cannot read the number '{value}' ({path}).",
    ),
    "duplicate-content-id": (
        "Mã tệp đính kèm bị trùng: {value} ({path}).",
        "Duplicate attachment content id: {value} ({path}).",
    ),
    "attachment-decode": (
        "Không giải mã được nội dung tệp đính kèm {value} ({path}).",
        "Cannot decode the content of attachment {value} ({path}).",
    ),
    "attachment-type-mismatch": (
        "Tệp đính kèm {value} không đúng loại đã khai báo ({path}).",
        "Attachment {value} is not of the declared type ({path}).",
    ),
    "attachment-missing": (
        "Danh mục tham chiếu tệp {value} nhưng gói tin không có tệp này ({path}).",
        "The manifest refers to {value} but the package does not contain it ({path}).",
    ),
    "attachment-unreferenced": (
        "Tệp đính kèm {value} không có trong danh mục ({path}).",
        "Attachment {value} is not listed in the manifest ({path}).",
    ),
    "xml-recovered": (
        "Gói tin không đúng cú pháp XML; chỉ đọc được một phần: {value}.",
        "The package is not well-formed XML; only part of it could be read: {value}.",
    ),
    "xml-repaired": (
        "Gói tin có lỗi định dạng XML đã được sửa tự động: {value}.",
        "A formatting slip of the XML was repaired automatically: {value}.",
    ),
    "trace-hop-incomplete": (
        "Một chặng trong lịch sử chuyển gói tin không ghi mã cơ quan; đã giữ nguyên ({path}).",
        "A hop of the trace has no agency id; kept as it is ({path}).",
    ),
    "unknown-package": (
        "Không nhận ra loại gói tin ({path}).",
        "Unrecognised package kind ({path}).",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One problem: where (``path``), what (``code``) and how bad."""

    path: str
    code: str
    message_vi: str
    message_en: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        """True for blocking problems."""
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"{self.path}: {self.message_en}"


def make(code: str, path: str, value: object = "", severity: str = ERROR) -> Problem:
    """Create a :class:`Problem` from the message catalogue."""
    vi, en = MESSAGES[code]
    value = "" if value is None else str(value)
    if len(value) > 200:
        value = value[:200] + "…"
    return Problem(
        path=path,
        code=code,
        message_vi=vi.format(path=path, value=value),
        message_en=en.format(path=path, value=value),
        severity=severity,
    )


def warning(code: str, path: str, value: object = "") -> Problem:
    """Create a warning :class:`Problem`."""
    return make(code, path, value, severity=WARNING)
