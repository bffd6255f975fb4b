"""The printed form of each report (:class:`.export.Report`) from the answers of :mod:`.api`."""

from dongthap.qlvb.reports import charts
from dongthap.qlvb.reports.export import Report
from dongthap.qlvb.reports.export import Table
from dongthap.qlvb.reports.stats import EDOC_KEYS
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY

#: printed titles (Vietnamese: part of the document, like the registers' legal headers)
EDOC_TITLE = "BÁO CÁO TÌNH HÌNH GỬI, NHẬN VĂN BẢN ĐIỆN TỬ"
PROCESSING_TITLES = {"incoming": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN",
                     "outgoing": "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI"}
DASHBOARD_TITLE = "TÌNH HÌNH XỬ LÝ CÔNG VIỆC"
EDOC_HEADERS = {
    "total": "Tổng số",
    "electronic": "Văn bản điện tử",
    "legal": "Ký số, giá trị pháp lý",
    "reference": "Giá trị tham khảo",
    "paper": "Văn bản giấy",
    "axis": "Qua trục liên thông quốc gia",
    "internal": "Nội bộ hệ thống",
    "email": "Thư điện tử",
}
DIRECTION_HEADERS = {"received": "Văn bản đến", "sent": "Văn bản đi"}
BUCKET_HEADERS = {"total": "Tổng số", "on_time": "Đã giải quyết đúng hạn", "late": "Đã giải quyết trễ hạn",
                  "overdue": "Chưa giải quyết, quá hạn", "in_progress": "Đang giải quyết trong hạn"}
BUCKETS = tuple(BUCKET_HEADERS)
URGENCY_NAMES = {"hoa_toc": "Hỏa tốc", "thuong_khan": "Thượng khẩn", "khan": "Khẩn", "thuong": "Thường"}


def month_label(day):
    return f"{day.month:02d}/{day.year}"


def edoc(data, heading):
    """QĐ 595: one row per agency and the totals; then the totals by type and by urgency."""
    n = len(EDOC_KEYS)
    header = [[("STT", 1), ("Cơ quan, đơn vị", 1), ("Mã định danh", 1),
               (DIRECTION_HEADERS["received"], n), (DIRECTION_HEADERS["sent"], n)],
              [("", 1), ("", 1), ("", 1)] + [(EDOC_HEADERS[k], 1) for k in EDOC_KEYS] * 2]
    rows = []
    for i, row in enumerate(data["rows"], 1):
        rows.append([i, row["agency_name"], row["agency_code"],
                     *(row[d][k] for d in ("received", "sent") for k in EDOC_KEYS)])
    totals = data["totals"]
    rows.append(["", "Tổng cộng", "", *(totals[d][k] for d in ("received", "sent") for k in EDOC_KEYS)])
    main = Table(header=header, rows=rows, widths=[4, 22, 13] + [7] * (2 * n), bold_last=True)
    types = sorted({*totals["received"]["by_type"], *totals["sent"]["by_type"]},
                   key=lambda t: list(DOCUMENT_TYPES).index(t) if t in DOCUMENT_TYPES else 99)
    by_type = Table(title="Theo loại văn bản",
                    header=[[("Loại văn bản", 1), ("Văn bản đến", 1), ("Văn bản đi", 1)]],
                    rows=[[DOCUMENT_TYPES.get(t, (t, ""))[0], totals["received"]["by_type"].get(t, 0),
                           totals["sent"]["by_type"].get(t, 0)] for t in types],
                    widths=[30, 12, 12])
    by_urgency = Table(title="Theo độ khẩn", header=[[("Độ khẩn", 1), ("Văn bản đến", 1), ("Văn bản đi", 1)]],
                       rows=[[URGENCY_NAMES[u], totals["received"]["by_urgency"].get(u, 0),
                              totals["sent"]["by_urgency"].get(u, 0)] for u, _t in URGENCY],
                       widths=[30, 12, 12])
    return Report(title=EDOC_TITLE, heading=heading, tables=[main, by_type, by_urgency], landscape=True,
                  sheet="Văn bản điện tử")


def processing(data, heading, department_title=""):
    counts = data["counts"]
    tables = [Table(title=f"Đơn vị: {department_title}" if department_title else "",
                    header=[[(BUCKET_HEADERS[b], 1) for b in BUCKETS]],
                    rows=[[counts[b] for b in BUCKETS]], widths=[10] * len(BUCKETS))]
    for bucket in BUCKETS[1:]:
        items = (data.get("lists") or {}).get(bucket, {}).get("items") or []
        if not items:
            continue
        tables.append(Table(title=BUCKET_HEADERS[bucket],
                            header=[[("STT", 1), ("Số, ký hiệu", 1), ("Ngày", 1), ("Trích yếu", 1)]],
                            rows=[[i, it["notation"], it["day"], it["title"]]
                                  for i, it in enumerate(items, 1)],
                            widths=[5, 16, 11, 50]))
    return Report(title=PROCESSING_TITLES[data["kind"]], heading=heading, tables=tables,
                  sheet="Tình hình giải quyết")


def dashboard(data, heading):
    depts = Table(title="Theo phòng, ban",
                  header=[[("Phòng, ban", 1), ("Đang giải quyết", 1), ("Quá hạn", 1)]],
                  rows=[[d["title"], d["open"], d["overdue"]] for d in data["departments"]],
                  widths=[30, 12, 12])
    people = Table(title="Theo cán bộ", header=[[("Cán bộ", 1), ("Đang giải quyết", 1), ("Quá hạn", 1)]],
                   rows=[[p["name"], p["open"], p["overdue"]] for p in data["people"]], widths=[30, 12, 12])
    trend = Table(title="Theo tháng",
                  header=[[("Tháng", 1), ("Văn bản đến", 1), ("Đã giải quyết", 1), ("Trễ hạn", 1),
                           ("Văn bản đi", 1)]],
                  rows=[[month_label(t["month"]), t["received"], t["completed"], t["late"], t["issued"]]
                        for t in data["trend"]], widths=[14, 12, 12, 12, 12])
    return Report(title=DASHBOARD_TITLE, heading=heading, tables=[depts, people, trend],
                  charts=list(charts.dashboard_charts(data, month_label)), sheet="Tình hình xử lý")
