"""Migration of an old register (XLSX, NĐ 30 columns) with its PDFs into an agency.

The dry run lists what would be created and every unreadable row (in Vietnamese)
and creates nothing; the real run creates the documents with their old numbers,
in the registered/issued state, and the counters continue after them.
"""

from pathlib import Path

import json

YEAR = 2026


def _pdf(text):
    from tests.antivirus import samples

    return samples.clean_pdf(text)


def _register(path, rows, headers):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)


INCOMING_HEADERS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu",
                    "Ghi chú", "Tệp"]


def _state(instance, agency="so-tttt"):
    done = instance.zconsole(Path(__file__).with_name("counters.py"), agency)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_dry_run_reports_bad_rows_then_migration_continues_the_counter(demo_instance, tmp_path):
    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    for n in (901, 902, 903):
        (pdfs / f"den-{n}.pdf").write_bytes(_pdf(f"Van ban den so {n}"))
    (pdfs / "khong-phai-pdf.pdf").write_bytes(b"PK\x03\x04 not a pdf")
    good = [
        [f"02/01/{YEAR} 08:30", 901, "UBND tỉnh Đồng Tháp", "15/UBND-VX", f"30/12/{YEAR - 1}",
         "Công văn về việc chuyển đổi số", "", "den-901.pdf"],
        [f"03/01/{YEAR}", 902, "Sở Nội vụ", "7/SNV-TCBC", f"02/01/{YEAR}",
         "Quyết định về việc điều động", "", "den-902.pdf"],
        [f"04/01/{YEAR}", 903, "Sở Tài chính", "", "", "Thông báo lịch họp", "", "den-903.pdf"],
    ]
    bad = [
        ["31/02/2026", 904, "Sở Y tế", "1/SYT", "", "Công văn ngày sai", "", "den-901.pdf"],
        [f"05/01/{YEAR}", "abc", "Sở Y tế", "2/SYT", "", "Công văn số đến sai", "", "den-901.pdf"],
        [f"05/01/{YEAR}", 905, "Sở Y tế", "3/SYT", "", "Công văn thiếu tệp", "", "khong-co.pdf"],
        [f"05/01/{YEAR}", 906, "Sở Y tế", "4/SYT", "", "Công văn tệp hỏng", "", "khong-phai-pdf.pdf"],
        [f"05/01/{YEAR}", 907, "Sở Y tế", "4/SYT", "", "", "", "den-901.pdf"],
    ]
    register = tmp_path / "so-den.xlsx"
    _register(register, good + bad, INCOMING_HEADERS)
    before = _state(demo_instance)

    dry = demo_instance.transfer("migrate", "--agency", "so-tttt", "--kind", "incoming",
                                 "--register", register, "--pdfs", pdfs, check=False)
    assert dry.returncode == 1, dry.stderr[-2000:]
    report = json.loads(dry.stdout[dry.stdout.index("{"):])
    assert report["dry_run"] is True
    assert [r["row"] for r in report["created"]] == [3, 4, 5]
    problems = {p["row"]: " ".join(p["messages"]) for p in report["problems"]}
    assert sorted(problems) == [6, 7, 8, 9, 10]
    assert "không phải là ngày" in problems[6]
    assert "không phải là số đến" in problems[7]
    assert "khong-co.pdf" in problems[8] and "không có trong thư mục" in problems[8]
    assert "không phải là tệp PDF" in problems[9]
    assert "Tên loại và trích yếu" in problems[10]
    assert _state(demo_instance) == before  # nothing created

    _register(register, good, INCOMING_HEADERS)
    done = demo_instance.transfer("migrate", "--agency", "so-tttt", "--kind", "incoming", "--register",
                                  register, "--pdfs", pdfs, "--create")
    report = json.loads(done.stdout[done.stdout.index("{"):])
    assert report["dry_run"] is False and len(report["created"]) == 3
    after = _state(demo_instance)
    assert sorted(d["arrival_number"] for d in after["migrated"]) == [901, 902, 903]
    assert {d["state"] for d in after["migrated"]} == {"registered"}
    assert all(d["checksums"].get("file") for d in after["migrated"])
    assert after["counters"][f"incoming|{YEAR}"] == 903

    # the same register again: nothing new
    again = demo_instance.transfer("migrate", "--agency", "so-tttt", "--kind", "incoming", "--register",
                                   register, "--pdfs", pdfs, "--create")
    report = json.loads(again.stdout[again.stdout.index("{"):])
    assert report["created"] == [] and len(report["skipped"]) == 3
    assert len(_state(demo_instance)["migrated"]) == 3


def test_outgoing_register_from_csv(demo_instance, tmp_path):
    pdfs = tmp_path / "pdf"
    pdfs.mkdir()
    (pdfs / "di-40.pdf").write_bytes(_pdf("Van ban di so 40"))
    register = tmp_path / "so-di.csv"
    register.write_text(
        '"Số, ký hiệu",Ngày tháng,Tên loại và trích yếu,Người ký,Nơi nhận,Ghi chú,Tệp\n'
        f"40/STTTT-VP,10/03/{YEAR},Công văn về việc báo cáo,Nguyễn Văn A,UBND tỉnh,,di-40.pdf\n",
        encoding="utf-8")
    done = demo_instance.transfer("migrate", "--agency", "so-tttt", "--kind", "outgoing", "--register",
                                  register, "--pdfs", pdfs, "--create")
    report = json.loads(done.stdout[done.stdout.index("{"):])
    assert len(report["created"]) == 1
    after = _state(demo_instance)
    outgoing = [d for d in after["migrated"] if d["type"] == "OutgoingDocument"]
    assert outgoing and outgoing[0]["state"] == "issued" and outgoing[0]["code_number"] == "40"
    assert after["counters"][f"outgoing|{YEAR}"] >= 40
