"""A phone 390 px wide (issue 15, item 8): lists and document pages fit the screen, a leader assigns.

Each page is checked for horizontal scrolling (the page is no wider than the screen) in Chromium
with a phone's viewport, touch and pixel ratio; screenshots go to var/test-screenshots/phone-*.
"""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot

import pytest

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(
        locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def overflow(page):
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def visit(page, url, name):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    screenshot(page, f"phone-{name}")
    assert overflow(page) <= 0, f"{url} is {overflow(page)} px wider than the phone"


def test_lists_and_documents_fit_a_phone(phone, demo_server):
    url = demo_server["url"]
    login(phone, url, "stttt.lanhdao", DEMO_PASSWORD)
    visit(phone, url, "home")
    visit(phone, f"{url}/so-tttt", "agency")
    visit(phone, f"{url}/so-tttt/van-ban-den", "incoming-list")
    document = phone.locator("#content a[href*='/vbd-']").first.get_attribute("href")
    visit(phone, document, "incoming-document")
    visit(phone, f"{url}/so-tttt/van-ban-di", "outgoing-list")
    drafts = phone.locator("#content a[href*='/vbdi-']")
    if drafts.count():
        visit(phone, drafts.first.get_attribute("href"), "outgoing-document")


def test_the_phone_stylesheet_turns_table_rows_into_cards(phone, demo_server):
    url = demo_server["url"]
    login(phone, url, "stttt.lanhdao", DEMO_PASSWORD)
    phone.goto(f"{url}/so-tttt/van-ban-den")
    table = phone.locator("#content table.table").first
    assert table.count()
    assert table.evaluate("t => getComputedStyle(t.querySelector('tr')).display") == "block"
    assert table.evaluate("t => t.tHead ? getComputedStyle(t.tHead).display : 'none'") == "none"


def test_a_leader_assigns_from_a_phone(phone, demo_server):
    url = demo_server["url"]
    login(phone, url, "stttt.lanhdao", DEMO_PASSWORD)
    phone.goto(f"{url}/so-tttt/van-ban-den")
    links = phone.locator("#content a[href*='/vbd-']")
    documents = sorted({links.nth(i).get_attribute("href").split("/view")[0] for i in range(links.count())})
    for document in documents:
        response = phone.goto(f"{document}/@@phan-cong")
        if response.status == 200 and phone.locator("#qlvb-assign-form").count():
            break
    else:
        pytest.fail("no document the leader may assign")
    phone.wait_for_load_state("networkidle")
    screenshot(phone, "phone-assign")
    assert overflow(phone) <= 0
    for field in ("#lead_department", "#lead_user", "#direction", "#qlvb-assign-submit"):
        box = phone.locator(field).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], field
    # a person alone leads (the department list stays on "— a person —": the first department
    # need not be the first person's, which the form rightly refuses)
    phone.select_option("#lead_department", "")
    person = phone.locator("#lead_user option:not([value=''])").first.get_attribute("value")
    phone.select_option("#lead_user", person)
    phone.fill("#direction", "Giao phòng chủ trì, báo cáo trước hạn.")
    # the tap starts a navigation (the redirect to the document, or the form again with its
    # errors): wait for it, not for an idle network the old page may still report
    with phone.expect_navigation(wait_until="load"):
        phone.locator("#qlvb-assign-submit").tap()
    screenshot(phone, "phone-assigned")
    errors = phone.locator(".qlvb-errors, .portalMessage.statusmessage-error").all_inner_texts()
    assert "/@@phan-cong" not in phone.url, errors
    assert phone.locator(".portalMessage.statusmessage-info").count()
    assert overflow(phone) <= 0
