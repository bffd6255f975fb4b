"""The pages our users meet speak Vietnamese: no English leftovers from Plone or from us."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot

import pytest
import re

# English words and phrases that Plone shows when a translation is missing.
ENGLISH = [
    r"\bSave\b", r"\bCancel\b", r"Powered by Plone", r"Trouble logging in", r"\bEdit\b", r"\bAdd\b",
    r"\bActive\b", r"\bLog in\b", r"Personal Information", r"\bRequired\b", r"\bState:",
    r"\bAgency\b", r"\bDepartment\b", r"\bStaff\b", r"\bRoles?\b", r"Plone Foundation and friends",
]

PAGES = [
    ("stttt.quantri", ""),
    ("stttt.quantri", "/so-tttt"),
    ("stttt.quantri", "/so-tttt/@@can-bo"),
    ("stttt.quantri", "/so-tttt/edit"),
    ("stttt.quantri", "/so-tttt/++add++Department"),
    ("stttt.quantri", "/so-tttt/vp"),
    ("qtht", "/++add++Agency"),
]


def english_leftovers(text):
    return sorted({m.group(0) for pattern in ENGLISH for m in re.finditer(pattern, text)})


def test_login_page_is_vietnamese(page, demo_server):
    page.goto(f"{demo_server['url']}/login")
    text = page.locator("body").inner_text()
    assert "Tên đăng nhập" in text and "Mật khẩu" in text
    assert english_leftovers(text) == []


@pytest.mark.parametrize(("user", "path"), PAGES)
def test_page_is_vietnamese(page, demo_server, user, path):
    url = demo_server["url"]
    login(page, url, user, DEMO_PASSWORD)
    response = page.goto(f"{url}{path}")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    screenshot(page, f"vi{path.replace('/', '_').replace('+', '').replace('@', '') or '_home'}")
    text = page.locator("body").inner_text()
    assert english_leftovers(text) == [], path
