"""Plone's generic search leads to the Vietnamese @@tim-kiem; the incoming and outgoing lists
have a quick search box."""

from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import re

TITLE = "Ủy ban nhân dân tỉnh chỉ đạo nạo vét kênh Tháp Mười"


def _html(user):
    s = session(user)
    s.headers["Accept"] = "text/html"
    return s


def test_the_site_search_box_and_at_at_search_lead_to_tim_kiem(demo_server):
    url = demo_server["url"]
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(title=TITLE))
    assert r.status_code == 201, r.text
    s = _html("stttt.vanthu")
    home = s.get(f"{url}/so-tttt").text
    action = re.search(r'<form[^>]*id="searchGadget_form"[^>]*action="([^"]+)"', home) or \
        re.search(r'<form[^>]*action="([^"]+/@@search)"', home)
    assert action, "no search box"
    r = s.get(action.group(1), params={"SearchableText": "uy ban nao vet kenh"}, allow_redirects=False)
    assert r.status_code == 302
    assert r.headers["Location"].startswith(f"{url}/@@tim-kiem?text=uy+ban+nao+vet+kenh")
    page = s.get(r.headers["Location"])
    assert page.status_code == 200 and "Tìm kiếm nâng cao" in page.text and TITLE in page.text
    assert "Search results" not in page.text
    # another agency's clerk goes the same way and finds nothing of ours
    other = _html("snv.vanthu").get(f"{url}/@@search", params={"SearchableText": "nao vet kenh"})
    assert other.status_code == 200 and TITLE not in other.text and "Tìm kiếm nâng cao" in other.text
    # nothing typed: the empty search page
    r = s.get(f"{url}/@@search", allow_redirects=False)
    assert r.headers["Location"] == f"{url}/@@tim-kiem"


def test_quick_boxes_on_the_lists(demo_server):
    url = demo_server["url"]
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(title=TITLE))
    assert r.status_code == 201, r.text
    s = _html("stttt.vanthu")
    for kind, page in (("incoming", "van-ban-den"), ("outgoing", "van-ban-di")):
        html = s.get(f"{url}/so-tttt/@@{page}").text
        box = re.search(r'<form class="qlvb-list-search.*?</form>', html, re.S)
        assert box, page
        assert f'action="{url}/so-tttt/@@tim-kiem"' in box.group(0)
        assert f'name="kind" value="{kind}"' in box.group(0) and "Tìm" in box.group(0)
    found = s.get(f"{url}/so-tttt/@@tim-kiem", params={"kind": "incoming", "search": "1", "text": "nao vet"})
    assert TITLE in found.text
    found = s.get(f"{url}/so-tttt/@@tim-kiem", params={"kind": "outgoing", "search": "1", "text": "nao vet"})
    assert TITLE not in found.text
