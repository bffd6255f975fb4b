"""Browser: a specialist opens a dossier and files two documents into it (one from the
document page, one from the list of documents not yet filed); the records manager closes it."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session

import secrets


def _assigned_document(url, number, subject):
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(
        register=True, code_number=str(number), title=subject, page_amount="2"))
    assert r.status_code == 201, r.text
    doc = r.json()
    r = session("stttt.lanhdao").post(f"{doc['url']}/@assign", json={"lead": "stttt.chuyenvien"})
    assert r.status_code == 200, r.text
    return doc


def _logout(browser_page, url):
    browser_page.context.clear_cookies()
    browser_page.goto(url)


def test_specialist_files_two_documents_and_records_manager_closes(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    tag = secrets.token_hex(2).upper()
    first = _assigned_document(url, 801, f"Về việc triển khai chữ ký số {tag}")
    second = _assigned_document(url, 802, f"Về việc báo cáo chuyển đổi số {tag}")

    login(page, url, "stttt.chuyenvien", PW)
    page.goto(f"{url}/so-tttt")
    page.click(".qlvb-link-dossiers")
    page.wait_for_load_state("networkidle")
    assert "Hồ sơ của tôi đang lập" in page.content()
    page.click(".qlvb-open-dossier")
    page.fill("#title", f"Hồ sơ chuyển đổi số {tag}")
    page.fill("#notation", f"09.B{tag}")
    page.select_option("#retention", "20")
    page.select_option("#department", "cntt")
    screenshot(page, "dossier-open-form")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")
    assert "Đã mở hồ sơ 000.00.14.H20." in page.content()
    dossier_url = page.url.split("?")[0].rstrip("/")
    assert "/ho-so/" in dossier_url
    assert page.locator(".qlvb-dossier-state").inner_text().strip() == "Đang lập"

    # 1. from the document page
    page.goto(first["url"])
    assert "Hồ sơ chứa văn bản này" in page.content()
    page.click(".qlvb-file-document")
    options = page.locator("#dossier option").evaluate_all("o => o.map(x => [x.value, x.textContent])")
    chosen = next(value for value, text in options if tag in text)
    page.select_option("#dossier", chosen)
    page.click(".qlvb-file-submit")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu 1 văn bản vào hồ sơ" in page.content()
    assert page.locator(".qlvb-doc-total").inner_text().strip() == "1"

    # 2. from the list of documents not yet in a dossier
    page.goto(f"{url}/so-tttt/@@ho-so")
    assert "Văn bản chưa lập hồ sơ" in page.content()
    assert page.locator(f"#doc-{first['uid']}").count() == 0
    page.check(f"#doc-{second['uid']}")
    page.click(".qlvb-file-selected")
    page.wait_for_load_state("networkidle")
    assert second["uid"] and f"Về việc báo cáo chuyển đổi số {tag}" in page.content()
    page.select_option("#dossier", chosen)
    page.click(".qlvb-file-submit")
    page.wait_for_load_state("networkidle")
    assert page.locator(".qlvb-doc-total").inner_text().strip() == "2"
    rows = page.locator(".qlvb-dossier-items tbody tr").all_inner_texts()
    assert rows[0].startswith("1") and "chữ ký số" in rows[0]
    assert rows[1].startswith("2") and "báo cáo chuyển đổi số" in rows[1]
    screenshot(page, "dossier-two-documents")
    # the document shows its dossier
    page.goto(second["url"])
    assert f"Hồ sơ chuyển đổi số {tag}" in page.locator(".qlvb-document-dossiers").inner_text()

    # the records manager closes the dossier, after confirming
    _logout(page, url)
    login(page, url, "stttt.luutru", PW)
    page.goto(f"{url}/so-tttt/@@ho-so?state=open")
    assert f"Hồ sơ chuyển đổi số {tag}" in page.locator(".qlvb-agency-dossiers").inner_text()
    page.goto(dossier_url)
    page.click(".qlvb-close-dossier")
    page.wait_for_load_state("networkidle")
    assert "Kết thúc hồ sơ này?" in page.content()
    assert page.locator(".qlvb-dossier-state").inner_text().strip() == "Đang lập"  # not yet
    screenshot(page, "dossier-close-confirm")
    page.click(".qlvb-confirm-yes")
    page.wait_for_load_state("networkidle")
    assert "Đã kết thúc hồ sơ." in page.content()
    assert page.locator(".qlvb-dossier-state").inner_text().strip() == "Đã kết thúc"
    screenshot(page, "dossier-closed")
    got = session("stttt.luutru").get(f"{dossier_url}/@dossier").json()
    assert got["review_state"] == "closed" and got["doc_total"] == 2 and got["page_total"] == 4
    assert got["end_date"] and got["start_date"]


def test_records_manager_drafts_and_leader_approves_the_schedule(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    year = 2045
    schedule_url = f"{url}/so-tttt/@@danh-muc-ho-so?year={year}"
    login(page, url, "stttt.luutru", PW)
    page.goto(schedule_url)
    assert "Chưa có danh mục hồ sơ cho năm này." in page.content()
    # a bad retention: a Vietnamese error, the text kept, nothing saved
    page.fill("#rows", "# I | Văn phòng\n01.VP | Hồ sơ tổ chức cán bộ | 7 | vp")
    page.click(".qlvb-save-schedule")
    page.wait_for_load_state("networkidle")
    assert "Chưa lưu danh mục hồ sơ" in page.content() and "Chọn thời hạn bảo quản" in page.content()
    assert "01.VP | Hồ sơ tổ chức cán bộ | 7" in page.input_value("#rows")
    page.fill("#rows", "# I | Văn phòng\n01.VP | Hồ sơ tổ chức cán bộ | permanent | vp\n"
                       "02.VP | Hồ sơ thi đua, khen thưởng | 20 | vp | Nguyễn Văn An")
    page.click(".qlvb-save-schedule")
    page.wait_for_load_state("networkidle")
    assert "Đã lưu danh mục hồ sơ." in page.content()
    table = page.locator(".qlvb-schedule-table").inner_text()
    assert "Hồ sơ tổ chức cán bộ" in table and "Vĩnh viễn" in table and "20 năm" in table
    assert page.locator(".qlvb-approve-schedule").count() == 0  # not his to approve
    screenshot(page, "schedule-draft")

    _logout(page, url)
    login(page, url, "stttt.lanhdao", PW)
    page.goto(schedule_url)
    page.click(".qlvb-approve-schedule")
    page.wait_for_load_state("networkidle")
    assert "Phê duyệt danh mục hồ sơ này?" in page.content()
    assert "Dự thảo" in page.locator(".qlvb-schedule-state").inner_text()  # not yet
    page.click(".qlvb-confirm-yes")
    page.wait_for_load_state("networkidle")
    assert "Đã phê duyệt danh mục hồ sơ." in page.content()
    assert "Đã phê duyệt" in page.locator(".qlvb-schedule-state").inner_text()
    assert page.locator("#rows").count() == 0  # an approved schedule is not edited
    screenshot(page, "schedule-approved")

    _logout(page, url)
    login(page, url, "stttt.luutru", PW)
    page.goto(schedule_url)
    page.click(".qlvb-copy-schedule")
    page.wait_for_load_state("networkidle")
    assert f"Đã sao chép danh mục hồ sơ sang năm {year + 1}." in page.content()
    assert "Dự thảo" in page.locator(".qlvb-schedule-state").inner_text()
    assert "02.VP | Hồ sơ thi đua, khen thưởng | 20 | vp | Nguyễn Văn An" in page.input_value("#rows")


def _give_keys(demo_server, *userids):
    """Test certificates for ``userids`` on the served demo site (committed: the server sees them)."""
    from tests.archive.test_plone_archive import give_key
    from zope.component.hooks import setSite

    import transaction

    setSite(demo_server["layer"]["portal"])
    for userid in userids:
        give_key(userid)
    transaction.commit()


def _desk_count(browser_page, key):
    return int(browser_page.locator(f".qlvb-desk-{key} .qlvb-desk-count").first.inner_text().strip())


def test_records_managers_journey_with_the_leaders_approval(page, demo_server):  # noqa: F811
    """The records manager's journey: his desk counts lead to the documents not yet filed and
    the open dossiers; a specialist files two documents (one still in progress), the records
    manager closes the dossier, the responsible specialist prepares the transfer list (signing
    the handover record as bên giao), the leader approves it from his desk, the archive's records
    manager accepts it (signing as bên nhận); every document shows in its history that it was
    archived with its dossier, and offers no "Lưu vào hồ sơ" any more."""
    url = demo_server["url"]
    tag = secrets.token_hex(2).upper()
    docs = [_assigned_document(url, 811, f"Về việc nộp lưu thử {tag}"),
            _assigned_document(url, 812, f"Về việc nộp lưu thử hai {tag}")]
    _give_keys(demo_server, "stttt.chuyenvien", "stttt.luutru", "stttt.lanhdao")
    sp = session("stttt.chuyenvien")
    r = sp.post(f"{url}/so-tttt/@dossiers", json={"title": f"Hồ sơ nộp lưu {tag}", "notation": f"08.N{tag}",
                                                   "retention": "10"})
    assert r.status_code == 201, r.text
    dossier = r.json()

    # the records manager's desk: the records section with its counts, each a link to its list
    login(page, url, "stttt.luutru", PW)
    page.goto(url)
    section = page.locator(".qlvb-desk-section", has_text="Hồ sơ và lưu trữ")
    for text in ("Văn bản chưa lập hồ sơ", "Hồ sơ đang mở", "Sắp đến hạn nộp lưu (30 ngày)",
                 "Quá hạn nộp lưu", "Chờ tiếp nhận nộp lưu"):
        assert text in section.inner_text(), text
    assert _desk_count(page, "unfiled") >= 2 and _desk_count(page, "open_dossiers") >= 1
    screenshot(page, "records-desk-records-manager")
    page.click(".qlvb-desk-unfiled")
    page.wait_for_load_state("networkidle")
    assert "/@@ho-so" in page.url and "Văn bản chưa lập hồ sơ" in page.content()
    assert page.locator(f"#doc-{docs[0]['uid']}").count() == 1
    page.goto(url)
    page.click(".qlvb-desk-open_dossiers")
    page.wait_for_load_state("networkidle")
    assert f"Hồ sơ nộp lưu {tag}" in page.locator(".qlvb-agency-dossiers").inner_text()

    # the specialist files both documents from the list of documents not yet in a dossier
    _logout(page, url)
    login(page, url, "stttt.chuyenvien", PW)
    page.goto(url)
    assert _desk_count(page, "my_dossiers") >= 1
    page.goto(f"{url}/so-tttt/@@ho-so")
    for doc in docs:
        page.check(f"#doc-{doc['uid']}")
    page.click(".qlvb-file-selected")
    page.wait_for_load_state("networkidle")
    options = page.locator("#dossier option").evaluate_all("o => o.map(x => [x.value, x.textContent])")
    page.select_option("#dossier", next(value for value, text in options if tag in text))
    page.click(".qlvb-file-submit")
    page.wait_for_load_state("networkidle")
    assert page.locator(".qlvb-doc-total").inner_text().strip() == "2"
    # no "archive" button on a document: its dossier decides
    page.goto(docs[0]["url"])
    assert page.locator("text=Lưu hồ sơ").count() == 0

    # the records manager closes it
    _logout(page, url)
    login(page, url, "stttt.luutru", PW)
    page.goto(dossier["@id"])
    page.click(".qlvb-close-dossier")
    page.wait_for_load_state("networkidle")
    page.click(".qlvb-confirm-yes")
    page.wait_for_load_state("networkidle")
    assert page.locator(".qlvb-dossier-state").inner_text().strip() == "Đã kết thúc"

    # the responsible specialist prepares the transfer list, signing the handover record
    _logout(page, url)
    login(page, url, "stttt.chuyenvien", PW)
    page.goto(f"{url}/so-tttt/@@ho-so")
    page.click(".qlvb-link-archive")
    page.wait_for_load_state("networkidle")
    assert "/@@luu-tru" in page.url
    page.check(f"#d-{dossier['uid']}")
    page.fill("#note", f"Nộp lưu {tag}")
    page.click(".qlvb-archive-submit button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Đã lập danh mục nộp lưu NL-" in page.content(), page.content()
    row = page.locator(".qlvb-archive-transfers tbody tr.qlvb-transfer-proposed").last
    assert "Chờ lãnh đạo duyệt" in row.inner_text()
    tid = row.locator("td").first.inner_text().strip()
    screenshot(page, "archive-transfer-prepared")

    # the archive cannot accept it yet
    _logout(page, url)
    login(page, url, "stttt.luutru", PW)
    page.goto(f"{url}/so-tttt/@@luu-tru")
    row = page.locator(".qlvb-archive-transfers tbody tr", has_text=tid)
    assert row.locator("button[value=accept]").count() == 0
    assert row.locator("button[value=approve]").count() == 0

    # the leader: "Đợt nộp lưu chờ duyệt" on his desk leads to it; he approves
    _logout(page, url)
    login(page, url, "stttt.lanhdao", PW)
    page.goto(url)
    assert _desk_count(page, "transfers_to_approve") >= 1
    screenshot(page, "records-desk-leader")
    page.click(".qlvb-desk-transfers_to_approve")
    page.wait_for_load_state("networkidle")
    assert "state=proposed" in page.url
    row = page.locator(".qlvb-archive-transfers tbody tr", has_text=tid)
    assert "Chờ lãnh đạo duyệt" in row.inner_text()
    screenshot(page, "archive-transfer-to-approve")
    row.locator("button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-danger").count() == 0, page.content()
    assert f"Đã duyệt đợt nộp lưu {tid}" in page.content()
    assert "Đã duyệt, chờ lưu trữ tiếp nhận" in page.locator(".qlvb-archive-transfers").inner_text()

    # the archive's records manager: "Chờ tiếp nhận nộp lưu" on his desk; he signs and accepts
    _logout(page, url)
    login(page, url, "stttt.luutru", PW)
    page.goto(url)
    assert _desk_count(page, "awaiting_acceptance") >= 1
    page.click(".qlvb-desk-awaiting_acceptance")
    page.wait_for_load_state("networkidle")
    row = page.locator(".qlvb-archive-transfers tbody tr", has_text=tid)
    row.locator("button[value=accept]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".alert-danger").count() == 0, page.content()
    assert f"Đã tiếp nhận đợt nộp lưu {tid}." in page.content()
    page.goto(f"{url}/so-tttt/@@luu-tru")
    assert "Đã tiếp nhận" in page.locator(".qlvb-archive-transfers tbody tr", has_text=tid).inner_text()
    screenshot(page, "archive-accepted")
    got = session("stttt.luutru").get(f"{dossier['@id']}/@dossier").json()
    assert got["review_state"] == "transferred"
    for doc in docs:
        assert session("stttt.vanthu").get(doc["url"]).json()["review_state"] == "archived"
    # the documents say with which dossier they were archived, and cannot be filed again
    page.goto(docs[0]["url"])
    history = page.locator(".qlvb-trail").inner_text()
    assert f"Lưu trữ cùng hồ sơ {got['file_code']}" in history and tid in history
    assert page.locator(".qlvb-file-document").count() == 0
    screenshot(page, "document-archived")
    page.goto(f"{docs[0]['url']}/@@luu-vao-ho-so")
    assert "đã được lưu trữ cùng hồ sơ" in page.content()
    assert page.locator(".qlvb-file-submit").count() == 0
