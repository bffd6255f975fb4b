"""The "Liên thông văn bản" control panel page (``@@lien-thong-van-ban``) over plain HTTP."""

from __future__ import annotations

import pytest
import requests
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def browser(user, password=DEMO_PASSWORD):
    s = requests.Session()
    s.auth = (user, password)
    s.headers["Accept"] = "text/html"
    return s


@pytest.mark.parametrize("user,password", [("qtht", DEMO_PASSWORD),
                                           (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)])
def test_page_opens_and_cancel_goes_back(url, user, password):
    client = browser(user, password)
    page = client.get(f"{url}/@@lien-thong-van-ban")
    assert page.status_code == 200, page.text[-2000:]
    html = page.text
    for name in ("form.buttons.save", "form.buttons.import_directory", "form.buttons.cancel"):
        assert f'name="{name}"' in html
    assert "Nhập danh bạ cơ quan" in html or "import_directory" in html
    cancel = client.post(f"{url}/@@lien-thong-van-ban", data={"form.buttons.cancel": "Hủy"},
                         allow_redirects=False)
    assert cancel.status_code in (302, 303), cancel.status_code
    assert cancel.headers["Location"].endswith("/@@overview-controlpanel")


@pytest.mark.parametrize("user", ["stttt.vanthu", "stttt.quantri"])
def test_page_refused_to_agency_staff(url, user):
    r = browser(user).get(f"{url}/@@lien-thong-van-ban", allow_redirects=False)
    assert r.status_code in (302, 401, 403), r.status_code
