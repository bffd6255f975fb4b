"""The register of the migration as offices keep it, and registers that must be refused clearly.

Pure functions of :mod:`dongthap.qlvb.transfer.migration` (no site, no instance): an XLSX as a
Vietnamese clerk keeps it (title rows, headers over two merged rows, a row numbering the columns,
an "STT" column, dates as Excel dates, as serial numbers and as text, empty rows at the end) is
read; CSVs in UTF-8 with BOM, UTF-16 and Windows-1258, separated by commas, semicolons or tabs,
are read; every refusal is a Vietnamese message naming the row and the column, and zip bombs,
macros, empty, huge and endless registers are refused before they are read.
"""

from dongthap.qlvb.transfer import migration
from tests.antivirus import samples
from zope.i18n import translate

import datetime as dt
import openpyxl
import pytest
import unicodedata
import zipfile

YEAR = dt.date.today().year - 1
TITLE = "Công văn về việc triển khai chữ ký số"
HEADERS = ["STT", "Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu",
           "Ghi chú", "Tệp"]


def vi(message):
    return translate(message, target_language="vi")


@pytest.fixture(scope="module", autouse=True)
def vietnamese(tmp_path_factory):
    """The add-on's Vietnamese catalog, unless a Plone layer of this session registered it."""
    from pathlib import Path
    from pythongettext.msgfmt import Msgfmt
    from zope.component import getGlobalSiteManager
    from zope.component import queryUtility
    from zope.i18n.gettextmessagecatalog import GettextMessageCatalog
    from zope.i18n.interfaces import ITranslationDomain
    from zope.i18n.translationdomain import TranslationDomain

    if queryUtility(ITranslationDomain, "dongthap.qlvb") is not None:
        yield
        return
    po = Path(migration.__file__).parents[1] / "locales" / "vi" / "LC_MESSAGES" / "dongthap.qlvb.po"
    mo = tmp_path_factory.mktemp("i18n") / "dongthap.qlvb.mo"
    mo.write_bytes(Msgfmt(str(po), name="dongthap.qlvb").get())
    domain = TranslationDomain("dongthap.qlvb")
    domain.addCatalog(GettextMessageCatalog("vi", "dongthap.qlvb", str(mo)))
    registry = getGlobalSiteManager()
    registry.registerUtility(domain, ITranslationDomain, "dongthap.qlvb")
    yield
    registry.unregisterUtility(domain, ITranslationDomain, "dongthap.qlvb")


@pytest.fixture
def pdfs(tmp_path):
    folder = tmp_path / "pdf"
    folder.mkdir()
    for n in (1, 2, 3):
        (folder / f"den-{n}.pdf").write_bytes(samples.clean_pdf(f"Van ban den {n}"))
    return folder


def office_register(path):
    """The register as a clerk keeps it in Excel."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["UBND TỈNH ĐỒNG THÁP"])
    sheet.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM " + str(YEAR)])
    sheet.merge_cells("A2:I2")
    sheet.append([])
    # headers over two rows: "Văn bản đến" merged over "Số, ký hiệu" and "Ngày tháng"
    sheet.append(["STT", "Ngày\nđến", "Số  đến", "Tác giả", "Văn bản đến", None, "Tên loại và trích yếu",
                  "Ghi chú:", "Tệp"])
    sheet.append([None, None, None, None, "Số, ký hiệu", "Ngày tháng", None, None, None])
    for col in "ABCDGHI":
        sheet.merge_cells(f"{col}4:{col}5")
    sheet.merge_cells("E4:F4")
    sheet.append([f"({n})" for n in range(1, 10)])
    sheet.append([1, dt.datetime(YEAR, 1, 2, 8, 30), 1, "UBND tỉnh", "15/UBND-VX", dt.date(YEAR - 1, 12, 30),
                  TITLE, "", "den-1.pdf"])
    sheet.append([2, f"03/01/{YEAR}", "2", "Sở Nội vụ", "7/SNV-TCBC", f"2/1/{YEAR}",
                  "Quyết định về việc điều động\ncán bộ", "", "den-2.pdf"])
    serial = (dt.date(YEAR, 1, 4) - dt.date(1899, 12, 30)).days
    sheet.append([3, serial, 3, "Sở Tài chính", "", "", "Thông báo lịch họp", "", "den-3.pdf"])
    sheet.cell(row=sheet.max_row, column=2).number_format = "General"  # a date kept as a number
    for n in range(4, 9):
        sheet.append([n])  # numbered in advance, never filled
    sheet.append([None] * 9)
    book.save(path)


def test_an_office_xlsx_register_is_read(tmp_path, pdfs):
    path = tmp_path / "so-den.xlsx"
    office_register(path)
    rows = migration.read_rows(str(path))
    assert [n for n, _v in rows] == [7, 8, 9]  # the sheet's own row numbers
    parsed = [migration.parse_row(migration.INCOMING, values, str(pdfs)) for _n, values in rows]
    assert [[vi(m) for m in problems] for _f, problems in parsed] == [[], [], []]
    first, second, third = (fields for fields, _p in parsed)
    assert first["arrival"].replace(tzinfo=None) == dt.datetime(YEAR, 1, 2, 8, 30)
    assert (first["code_number"], first["code_notation"]) == ("15", "UBND-VX")
    assert first["issued_date"] == dt.date(YEAR - 1, 12, 30) and first["title"] == TITLE
    assert second["issued_date"] == dt.date(YEAR, 1, 2) and second["arrival_number"] == 2
    assert second["title"] == "Quyết định về việc điều động cán bộ"  # one line
    assert third["arrival"].date() == dt.date(YEAR, 1, 4)


def cp1258(text):
    """``text`` as Windows-1258 (Vietnamese ANSI): tone marks as combining characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for quality in ("\u0302", "\u0306", "\u031b"):  # â ê ô ă ơ ư are single letters
            if quality in marks:
                base = unicodedata.normalize("NFC", base + quality)
                marks.remove(quality)
        out.append((base + "".join(marks)).encode("cp1258"))
    return b"".join(out)


CSV_TEXT = ("Ngày đến,Số đến,Tác giả,\"Số, ký hiệu\",Ngày tháng,Tên loại và trích yếu,Ghi chú,Tệp\n"
            f"02/01/{YEAR},1,Ủy ban nhân dân tỉnh,15/UBND-VX,30/12/{YEAR - 1},{TITLE},,den-1.pdf\n")
CSVS = [
    ("utf-8", CSV_TEXT.encode("utf-8")),
    ("utf-8-bom", b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8")),
    ("utf-16-tabs", CSV_TEXT.replace(",", "\t").replace('"Số\t ký hiệu"', "Số, ký hiệu").encode("utf-16")),
    ("windows-1258", cp1258(CSV_TEXT)),
    ("semicolons", CSV_TEXT.replace(",", ";").replace('"Số; ký hiệu"', "Số, ký hiệu").encode("utf-8")),
    ("utf-8-nfd", unicodedata.normalize("NFD", CSV_TEXT).encode("utf-8")),
]


@pytest.mark.parametrize("name, data", CSVS, ids=[n for n, _d in CSVS])
def test_csv_in_every_encoding_offices_save(tmp_path, pdfs, name, data):
    path = tmp_path / "so-den.csv"
    path.write_bytes(data)
    [(number, values)] = migration.read_rows(str(path))
    assert number == 2
    fields, problems = migration.parse_row(migration.INCOMING, values, str(pdfs))
    assert [vi(p) for p in problems] == []
    assert fields["title"] == TITLE and fields["issuing_agency_name"] == "Ủy ban nhân dân tỉnh"
    assert fields["code_notation"] == "UBND-VX"


#: (case, (column, bad value), what the Vietnamese message must say)
BAD_CELLS = [
    ("date-31-02", ("Ngày đến", "31/02/2026"), 'Cột "Ngày đến": "31/02/2026" không phải là ngày'),
    ("date-month-13", ("Ngày đến", "2026-13-01"), 'Cột "Ngày đến": "2026-13-01" không phải là ngày'),
    ("date-text", ("Ngày tháng", "hôm qua"), 'Cột "Ngày tháng": "hôm qua" không phải là ngày'),
    ("date-1900", ("Ngày đến", "01/01/1900"), 'Cột "Ngày đến": 01/01/1900 không nằm trong'),
    ("date-future", ("Ngày tháng", "01/01/2999"), 'Cột "Ngày tháng": 01/01/2999 không nằm trong'),
    ("number-negative", ("Số đến", "-5"), 'Cột "Số đến": "-5" không phải là số đến'),
    ("number-huge", ("Số đến", "9" * 40), "không phải là số đến"),
    ("number-text", ("Số đến", "mười"), 'Cột "Số đến": "mười" không phải là số đến'),
    ("notation", ("Số, ký hiệu", "UBND-VX"), 'Cột "Số, ký hiệu": "UBND-VX" không phải là số, ký hiệu'),
    ("subject-empty", ("Tên loại và trích yếu", ""), 'Cột "Tên loại và trích yếu" để trống'),
    ("file-missing", ("Tệp", "khong-co.pdf"), '"khong-co.pdf" không có trong thư mục'),
    ("file-traversal", ("Tệp", "../../etc/passwd"), '"passwd" không có trong thư mục'),
    ("file-not-pdf", ("Tệp", "gia.pdf"), '"gia.pdf" không phải là tệp PDF'),
    ("file-long-name", ("Tệp", "x" * 5000 + ".pdf"), "không có trong thư mục"),
]


@pytest.mark.parametrize("case, cell, expected", BAD_CELLS, ids=[c for c, _x, _e in BAD_CELLS])
def test_bad_cells_are_named_by_row_and_column(tmp_path, pdfs, case, cell, expected):
    (pdfs / "gia.pdf").write_bytes(b"%PDF-1.7\n<html><script>alert(1)</script></html>")
    column, value = cell
    row = [f"02/01/{YEAR}", "1", "UBND tỉnh", "15/UBND-VX", f"30/12/{YEAR - 1}", TITLE, "", "den-1.pdf"]
    row[HEADERS[1:].index(column)] = value
    book = openpyxl.Workbook()
    book.active.append(HEADERS[1:])
    book.active.append(row)
    path = tmp_path / "so.xlsx"
    book.save(path)
    [(number, values)] = migration.read_rows(str(path))
    assert number == 2
    _fields, problems = migration.parse_row(migration.INCOMING, values, str(pdfs))
    text = " ".join(vi(p) for p in problems)
    assert expected in text, text
    assert len(text) < 300, "the message echoes a long value"


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _workbook_parts(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    book.save(tmp_path / "base.xlsx")
    with zipfile.ZipFile(tmp_path / "base.xlsx") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_refused_registers_say_why(tmp_path, monkeypatch):
    def refusal(name, data):
        path = tmp_path / name
        if isinstance(data, dict):
            _zip(path, data)
        else:
            path.write_bytes(data)
        with pytest.raises(migration.MigrationError) as refused:
            migration.read_rows(str(path))
        return vi(refused.value.message)

    parts = _workbook_parts(tmp_path)
    assert "trống" in refusal("rong.xlsx", b"")
    assert "trống" in refusal("rong.csv", b"")
    assert ".xlsx hoặc .csv" in refusal("so-cu.xls", b"\xd0\xcf\x11\xe0 old Excel")
    assert "Excel" in refusal("hong.xlsx", b"PK\x03\x04 not really a zip")
    assert "Excel" in refusal("html.xlsx", b"<html><script>alert(1)</script></html>")
    assert "macro" in refusal("macro.xlsx", dict(parts, **{"xl/vbaProject.bin": b"\x00" * 100}))
    bomb = dict(parts, **{"xl/worksheets/sheet1.xml": parts["xl/worksheets/sheet1.xml"] + b" " * 3_000_000})
    assert "giải nén" in refusal("bom.xlsx", bomb)
    assert "tiêu đề" in refusal("khong-tieu-de.csv", b"a,b,c\n1,2,3\n")
    monkeypatch.setattr(migration, "MAX_REGISTER_BYTES", 1024)
    assert "1 KB" in refusal("lon.csv", b"x" * 2048)
    monkeypatch.setattr(migration, "MAX_REGISTER_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(migration, "MAX_ROWS", 5)
    assert "5 dòng" in refusal("dai.csv", ("Ngày đến,Số đến\n" + "01/01/2026,1\n" * 10).encode())


def test_formulas_are_read_as_their_values_never_run(tmp_path, pdfs):
    """A workbook saved by Excel keeps each formula's value: that value is read. A formula
    without a value (written by a program) is an empty cell, named as such."""
    book = openpyxl.Workbook()
    book.active.append(HEADERS[1:])
    book.active.append([f"02/01/{YEAR}", "=1+1", "UBND", "15/UBND-VX", "", '=HYPERLINK("http://x","y")',
                        "", "den-1.pdf"])
    path = tmp_path / "cong-thuc.xlsx"
    book.save(path)
    [(_n, values)] = migration.read_rows(str(path))
    _fields, problems = migration.parse_row(migration.INCOMING, values, str(pdfs))
    text = " ".join(vi(p) for p in problems)
    assert 'Cột "Số đến" để trống' in text and 'Cột "Tên loại và trích yếu" để trống' in text


DATES = [
    ("06/12/2025", dt.datetime(2025, 12, 6, 8, 0)),
    ("6/12/2025 14:30", dt.datetime(2025, 12, 6, 14, 30)),
    ("06-12-2025", dt.datetime(2025, 12, 6, 8, 0)),
    ("06.12.2025 14h30", dt.datetime(2025, 12, 6, 14, 30)),
    ("2025-12-06", dt.datetime(2025, 12, 6, 8, 0)),
    ("46000", dt.datetime(2025, 12, 9, 8, 0)),  # an Excel date cell kept as a number
    ("46000.5", dt.datetime(2025, 12, 9, 12, 0)),
    (dt.date(2025, 12, 6), dt.datetime(2025, 12, 6, 8, 0)),
    ("06/12/25", None),  # two-digit year: which century?
    ("12345", None),  # a number, not a date of 1945–2099
]


@pytest.mark.parametrize("typed, expected", DATES, ids=[str(d) for d, _e in DATES])
def test_dates_as_offices_type_them(typed, expected):
    assert migration._date(typed, with_time=True) == expected
