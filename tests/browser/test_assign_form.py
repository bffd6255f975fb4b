"""The phiếu giải quyết in Chromium (issue 15, items 3 and 4): a leader finds people by a name typed
without diacritics, chooses several without Ctrl, gets his input back after an error and assigns a
department alone as lead."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session
from tests.incoming.helpers import today

import datetime


def _shown(page, select):  # noqa: F811
    return page.eval_on_selector(select, "s => [...s.options].filter(o => !o.hidden).map(o => o.value)")


def _chosen(page, select):  # noqa: F811
    return page.eval_on_selector(select, "s => [...s.selectedOptions].map(o => o.value)")


def test_leader_assigns_a_department_alone_with_searchable_pickers(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(
        title="Về việc phân công cho phòng", code_number="88", register=True,
        due_date=(today() + datetime.timedelta(days=8)).isoformat()))
    assert r.status_code == 201, r.text
    doc = r.json()["@id"]
    login(page, url, "stttt.lanhdao", PW)
    page.goto(f"{doc}/@@phan-cong")
    due = (today() + datetime.timedelta(days=8)).strftime("%d/%m/%Y")
    assert page.input_value("#lead_deadline") == due  # from the document's hạn giải quyết
    assert page.inner_text("#qlvb-assign-submit").strip() == "Phân công"
    # search without diacritics; one click chooses, another click adds, no Ctrl
    fyi_search = page.locator("#fyi").locator("xpath=preceding-sibling::input[1]")
    fyi_search.fill("dang thi hanh")
    assert _shown(page, "#fyi") == ["stttt.luutru"]
    page.locator("#fyi option[value='stttt.luutru']").click()
    coordinator_search = page.locator("#coordinators").locator("xpath=preceding-sibling::input[1]")
    coordinator_search.fill("vo quoc")
    assert _shown(page, "#coordinators") == ["stttt.chuyenvien"]
    page.locator("#coordinators option[value='stttt.chuyenvien']").click()
    coordinator_search.fill("")
    page.locator("#coordinators option[value='stttt.truongphong']").click()
    assert sorted(_chosen(page, "#coordinators")) == ["stttt.chuyenvien", "stttt.truongphong"]
    page.locator("#coordinators option[value='stttt.truongphong']").click()  # and un-chooses
    assert _chosen(page, "#coordinators") == ["stttt.chuyenvien"]
    assert "Võ Quốc Dũng" in page.inner_text(".qlvb-picker-chosen >> nth=0")

    # a department alone, with a wrong deadline: refused, and everything is still there
    page.select_option("#lead_department", "cntt")
    page.fill("#lead_deadline", "31/02/2099")
    page.fill("#direction", "Giao Phòng CNTT chủ trì")
    page.click("#qlvb-assign-submit")
    page.wait_for_load_state("networkidle")
    assert page.locator(".qlvb-errors").is_visible()
    assert "Chọn đơn vị hoặc cá nhân chủ trì" not in page.inner_text(".qlvb-errors")
    assert page.input_value("#lead_department") == "cntt"
    assert page.input_value("#lead_deadline") == "31/02/2099"
    assert _chosen(page, "#coordinators") == ["stttt.chuyenvien"]
    assert _chosen(page, "#fyi") == ["stttt.luutru"]
    assert page.input_value("#direction") == "Giao Phòng CNTT chủ trì"
    screenshot(page, "assign-kept-after-error")

    page.fill("#lead_deadline", due)
    page.click("#qlvb-assign-submit")
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].rstrip("/") == doc
    table = page.inner_text(".qlvb-assignment")
    assert "Phòng Công nghệ thông tin" in table and "Phạm Thị Bình" in table
    screenshot(page, "assign-department-alone")
