"""The desk per role, the top navigation, REST paging, and no dead ends on an incoming document."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session


def _count(browser_page, key):
    return int(browser_page.locator(f".qlvb-desk-{key} .qlvb-desk-count").first.inner_text())


def test_desk_per_role_and_rest_paging(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    clerk = session("stttt.vanthu")
    for number in ("901", "902"):
        body = payload(code_number=number, title=f"Chờ vào sổ {number}")
        assert clerk.post(f"{url}/so-tttt/@incoming", json=body).status_code == 201
    assert clerk.post(f"{url}/so-tttt/@incoming", json=payload(code_number="903", register=True,
                                                                title="Chờ phân công 903")).status_code == 201
    # REST: one row per page, the rest reachable, bad numbers refused
    r = clerk.get(f"{url}/so-tttt/@incoming", params={"list": "waiting_registration", "b_size": 1})
    body = r.json()
    assert r.status_code == 200 and len(body["waiting_registration"]) == 1
    batching = body["batching"]["waiting_registration"]
    assert batching["total"] >= 2 and batching["next"] == 1
    second = clerk.get(f"{url}/so-tttt/@incoming",
                       params={"list": "waiting_registration", "b_size": 1, "b_start": 1}).json()
    assert second["waiting_registration"][0]["uid"] != body["waiting_registration"][0]["uid"]
    bad = clerk.get(f"{url}/so-tttt/@incoming", params={"b_size": "abc"})
    assert bad.status_code == 400 and "b_size" in bad.json()["error"]["message"]
    outgoing = clerk.get(f"{url}/so-tttt/@outgoing", params={"b_size": 2}).json()
    assert outgoing["batching"]["issued"]["b_size"] == 2

    # the clerk: chờ vào sổ with its count; the tabs of the top navigation; the link opens the list
    login(page, url, "stttt.vanthu", PW)
    page.goto(url)
    screenshot(page, "desk-clerk")
    assert "Bàn làm việc" in page.locator("h1").inner_text()
    waiting = _count(page, "waiting_registration")
    assert waiting >= 2
    assert page.locator(".qlvb-desk-waiting_assignment").count() == 0
    nav = page.locator("#portal-globalnav")
    assert nav.locator("a", has_text="Văn bản đến").count() == 1
    assert nav.locator("a", has_text="Văn bản đi").count() == 1
    assert nav.locator("a", has_text="Sổ/báo cáo").count() == 1
    page.click(".qlvb-desk-waiting_registration")
    page.wait_for_load_state("networkidle")
    assert "list=waiting_registration" in page.url
    assert int(page.locator(".qlvb-list-waiting_registration .qlvb-list-total").inner_text()) == waiting
    assert "Chờ vào sổ 901" in page.locator("#content").inner_text()
    # quick search from the desk, without accents
    page.goto(url)
    page.fill(".qlvb-quick-search input[name=q]", "cho vao so 902")
    page.click(".qlvb-quick-search button")
    page.wait_for_load_state("networkidle")
    assert "Chờ vào sổ 902" in page.locator(".qlvb-search-results").inner_text()

    # the leader: chờ phân công, no chờ vào sổ
    page.context.clear_cookies()
    login(page, url, "stttt.lanhdao", PW)
    page.goto(url)
    screenshot(page, "desk-leader")
    # at 1024 px, Plone's toolbar open: the leader's tabs on one line, no sideways scrolling
    page.set_viewport_size({"width": 1024, "height": 900})
    nav, tab, wider = page.evaluate("""() => [document.querySelector('#portal-globalnav').offsetHeight,
        document.querySelector('#portal-globalnav > li').offsetHeight,
        document.documentElement.scrollWidth - document.documentElement.clientWidth]""")
    assert page.locator("#portal-globalnav > li").count() >= 8 and nav < 1.5 * tab and wider <= 0
    page.set_viewport_size({"width": 1280, "height": 900})
    assert _count(page, "waiting_assignment") >= 1
    assert page.locator(".qlvb-desk-waiting_registration").count() == 0
    page.click(".qlvb-desk-waiting_assignment")
    page.wait_for_load_state("networkidle")
    assert "Chờ phân công 903" in page.locator(".qlvb-list-waiting_assignment").inner_text()


def test_specialist_has_no_dead_end(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    title = "Về việc báo cáo số liệu chuyển đổi số quý IV"
    created = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming",
                                           json=payload(code_number="950", register=True, title=title)).json()
    doc_url = created["url"]
    r = session("stttt.lanhdao").post(f"{doc_url}/@assign", json={"lead": {"user": "stttt.chuyenvien"}})
    assert r.status_code == 200, r.text

    login(page, url, "stttt.chuyenvien", PW)
    page.goto(url)
    assert _count(page, "my_work") >= 1
    page.click(".qlvb-desk-my_work")
    page.wait_for_load_state("networkidle")
    page.click(f"text={title}")
    page.wait_for_load_state("networkidle")
    # no button he cannot use
    assert page.locator(".qlvb-assign-link").count() == 0
    assert page.locator("button", has_text="Kết thúc").count() == 0
    # one button drafts the reply, linked back to the document
    page.click(".qlvb-reply-link")
    page.wait_for_load_state("networkidle")
    assert title in page.locator(".qlvb-reply-to").inner_text()
    assert page.locator("input[name=in_reply_to]").get_attribute("value") == created["uid"]
    page.goto(doc_url)
    page.fill(".qlvb-progress-form textarea[name=text]", "Đã dự thảo báo cáo")
    page.fill(".qlvb-progress-form input[name=reply_notation]", "120/STTTT-VP")
    page.check(".qlvb-progress-form input[name=result]")
    page.click(".qlvb-progress-form button")
    page.wait_for_load_state("networkidle")
    content = page.locator("#content").inner_text()
    assert "Đã ghi kết quả giải quyết" in page.content()
    progress = page.locator(".qlvb-progress").inner_text()
    assert "là kết quả giải quyết" in progress and "120/STTTT-VP" in progress
    import re

    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", progress)
    assert "120/STTTT-VP" in content  # the reply's number among the fields
    screenshot(page, "specialist-result")
    page.click(".qlvb-action-complete button")
    page.wait_for_load_state("networkidle")
    screenshot(page, "specialist-completed")
    assert "Không đủ quyền" not in page.content()
    assert "Đã hoàn thành" in page.content() and title in page.content()
    assert "Đã thực hiện." not in page.content()


def test_a_leader_gives_a_task_and_the_lead_sees_it_counted_on_his_desk(page, chromium, demo_server):  # noqa: F811
    import datetime

    url = demo_server["url"]
    before = len(session("snv.chuyenvien").get(f"{url}/so-noi-vu/@tasks").json()["mine"])
    login(page, url, "snv.lanhdao", PW)
    # a leader's eight tabs (with "Công việc" and "Lịch công tác") stay on one line at 1280 px
    tops = page.evaluate("[...document.querySelectorAll('#portal-globalnav > li')]"
                         ".map(li => Math.round(li.getBoundingClientRect().top))")
    assert len(tops) >= 8 and len(set(tops)) == 1, f"the top navigation wraps: {tops}"
    page.locator("#portal-globalnav a", has_text="Công việc").first.click()  # from the desk
    page.wait_for_load_state("networkidle")
    page.click(".qlvb-task-add")
    page.click("#qlvb-task-form button[type=submit]")  # nothing filled in: Vietnamese errors, no task
    page.wait_for_load_state("networkidle")
    assert "Nhập tên công việc." in page.locator("#qlvb-task-form").inner_text()
    assert "Chọn người hoặc phòng chủ trì." in page.locator("#qlvb-task-form").inner_text()
    page.fill("#t-title", "Chuẩn bị hội nghị tổng kết năm")
    page.select_option("#t-lead", "snv.chuyenvien")
    page.fill("#t-deadline", (datetime.date.today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y"))
    page.click("#qlvb-task-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "task-given")
    assert page.locator(".qlvb-task-state").inner_text() == "Đã giao"
    assert "Chuẩn bị hội nghị tổng kết năm" in page.locator("h1").inner_text()

    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    lead = context.new_page()
    try:
        login(lead, url, "snv.chuyenvien", PW)
        lead.goto(url)
        assert _count(lead, "tasks_mine") == before + 1
        lead.click(".qlvb-desk-tasks_mine")
        lead.wait_for_load_state("networkidle")
        assert "list=mine" in lead.url
        assert "Chuẩn bị hội nghị tổng kết năm" in lead.locator(".qlvb-tasks-table").inner_text()
    finally:
        context.close()

    # from an incoming document: "Giao việc" opens the form with the document linked (number, title);
    # the task shows it; who gave it changes the task and the change is in its history
    doc = session("snv.vanthu").post(f"{url}/so-noi-vu/@incoming", json=payload(
        code_number="77", code_notation="SNV-TH", title="Về việc tổng kết năm", register=True)).json()
    page.goto(doc["@id"], wait_until="networkidle")  # the PDF preview has settled: the link stays put
    with page.expect_navigation(wait_until="load"):  # the click starts the navigation a moment later
        page.click(".qlvb-give-task-link")
    assert "77/SNV-TH — Về việc tổng kết năm" in page.locator(".qlvb-task-related").inner_text()
    page.fill("#t-title", "Tổng hợp báo cáo tổng kết")
    page.select_option("#t-lead", "snv.chuyenvien")
    page.fill("#t-deadline", (datetime.date.today() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"))
    page.click("#qlvb-task-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "77/SNV-TH" in page.locator(".qlvb-task-related").inner_text()
    page.click(".qlvb-task-edit")
    page.wait_for_load_state("networkidle")
    page.fill("#t-title", "Tổng hợp báo cáo tổng kết năm")
    page.click("#qlvb-task-edit button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Tổng hợp báo cáo tổng kết năm" in page.locator("h1").inner_text()
    assert "Đã sửa công việc (Tên công việc)" in page.locator(".qlvb-task-history").inner_text()
