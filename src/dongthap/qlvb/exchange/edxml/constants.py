"""Codes and formats of QCVN 102:2016 edXML packages.

Labels are Vietnamese as shown to văn thư users; English glosses are in the
comments and in :data:`STATUS_LABELS_EN` / :data:`PRIORITY_LABELS_EN`.
"""

import datetime

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
XLINK_NS = "http://www.w3.org/1999/xlink"

#: Packages carry local Vietnamese time (UTC+7) without a zone.
VN_TZ = datetime.timezone(datetime.timedelta(hours=7), "ICT")

DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"

# -- Priority (OtherInfo/Priority) ----------------------------------------
PRIORITY_NORMAL = 0  # thường
PRIORITY_URGENT = 1  # khẩn
PRIORITY_VERY_URGENT = 2  # thượng khẩn
PRIORITY_EXPRESS = 3  # hỏa tốc
PRIORITY_EXPRESS_TIMED = 4  # hỏa tốc hẹn giờ

PRIORITY_LABELS = {
    PRIORITY_NORMAL: "Thường",
    PRIORITY_URGENT: "Khẩn",
    PRIORITY_VERY_URGENT: "Thượng khẩn",
    PRIORITY_EXPRESS: "Hỏa tốc",
    PRIORITY_EXPRESS_TIMED: "Hỏa tốc hẹn giờ",
}
PRIORITY_LABELS_EN = {
    PRIORITY_NORMAL: "Normal",
    PRIORITY_URGENT: "Urgent",
    PRIORITY_VERY_URGENT: "Very urgent",
    PRIORITY_EXPRESS: "Express",
    PRIORITY_EXPRESS_TIMED: "Express, timed",
}

# -- Status codes (status package StatusCode) -----------------------------
STATUS_ARRIVED = "01"  # arrived, not yet handled by the văn thư
STATUS_REFUSED = "02"
STATUS_ACCEPTED = "03"  # accepted and registered
STATUS_ASSIGNED = "04"  # assigned by the leader
STATUS_IN_PROGRESS = "05"
STATUS_COMPLETED = "06"
STATUS_TAKE_BACK_REQUEST = "13"  # request to take back (with a reason)
STATUS_CHANGE_AGREED = "15"  # update / take-back agreed
STATUS_CHANGE_REFUSED = "16"  # update / take-back refused

STATUS_LABELS = {
    STATUS_ARRIVED: "Đã đến (văn thư chưa xử lý)",
    STATUS_REFUSED: "Từ chối tiếp nhận",
    STATUS_ACCEPTED: "Đã tiếp nhận, vào sổ",
    STATUS_ASSIGNED: "Lãnh đạo đã phân công",
    STATUS_IN_PROGRESS: "Đang xử lý",
    STATUS_COMPLETED: "Hoàn thành",
    STATUS_TAKE_BACK_REQUEST: "Đề nghị lấy lại văn bản",
    STATUS_CHANGE_AGREED: "Đồng ý cập nhật/lấy lại",
    STATUS_CHANGE_REFUSED: "Từ chối cập nhật/lấy lại",
}
STATUS_LABELS_EN = {
    STATUS_ARRIVED: "Arrived (not yet handled)",
    STATUS_REFUSED: "Refused",
    STATUS_ACCEPTED: "Accepted and registered",
    STATUS_ASSIGNED: "Assigned by the leader",
    STATUS_IN_PROGRESS: "In progress",
    STATUS_COMPLETED: "Completed",
    STATUS_TAKE_BACK_REQUEST: "Request to take back",
    STATUS_CHANGE_AGREED: "Update/take-back agreed",
    STATUS_CHANGE_REFUSED: "Update/take-back refused",
}
STATUS_CODES = frozenset(STATUS_LABELS)

# -- Business document type (TraceHeaderList/Bussiness/BussinessDocType) --
DOCTYPE_NEW = 0
DOCTYPE_REVOKE = 1  # thu hồi
DOCTYPE_UPDATE = 2
DOCTYPE_REPLACE = 3

BUSINESS_DOC_TYPE_LABELS = {
    DOCTYPE_NEW: "Văn bản mới",
    DOCTYPE_REVOKE: "Thu hồi văn bản",
    DOCTYPE_UPDATE: "Cập nhật văn bản",
    DOCTYPE_REPLACE: "Thay thế văn bản",
}

# -- ReceiverList/Receiver/ReceiverType ------------------------------------
RECEIVER_REMOVED = 0
RECEIVER_ADDED = 1

# -- Axis acknowledgement (transport level, not a business status) -------
AXIS_DONE = "done"
AXIS_FAIL = "fail"
AXIS_PROCESSING = "processing"
AXIS_STATUSES = frozenset({AXIS_DONE, AXIS_FAIL, AXIS_PROCESSING})

# -- Limits used by the safe parser ---------------------------------------
DEFAULT_MAX_SIZE = 30 * 1024 * 1024
DEFAULT_MAX_DEPTH = 64
DEFAULT_MAX_ELEMENTS = 200_000
