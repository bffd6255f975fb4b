"""The naming rule (docs/naming.md): catalog names of the add-on are qlvb_…; the page names before
1005 lead to today's Vietnamese pages."""

from pathlib import Path
from tests.incoming.helpers import payload
from tests.incoming.helpers import session
from xml.etree import ElementTree

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "dongthap" / "qlvb"


def test_every_catalog_index_and_column_of_the_addon_is_prefixed():
    root = ElementTree.parse(PKG / "profiles" / "default" / "catalog.xml").getroot()
    names = [i.get("name") for i in root.iter("index")] + [c.get("value") for c in root.iter("column")]
    assert len(names) > 20
    assert [n for n in names if not n.startswith("qlvb_")] == []


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def test_old_page_names_redirect_to_the_vietnamese_pages(url):
    clerk = session("stttt.vanthu")
    r = clerk.post(f"{url}/so-tttt/@incoming", json=payload(register=True))
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    for old, new in [
        (f"{url}/so-tttt/@@incoming-dashboard?tab=all", f"{url}/so-tttt/@@van-ban-den?tab=all"),
        (f"{url}/so-tttt/van-ban-den/@@incoming-dashboard", f"{url}/so-tttt/van-ban-den/@@van-ban-den"),
        (f"{url}/so-tttt/@@agency-view", f"{url}/so-tttt/@@co-quan"),
        (f"{url}/so-tttt/@@exchange-problems", f"{url}/so-tttt/@@su-co-lien-thong"),
        (f"{url}/@@qlvb-home", f"{url}/@@trang-chu"),
        (f"{doc}/@@incoming-view", f"{doc}/@@xem-van-ban-den"),
        (f"{doc}/@@signatures", f"{doc}/@@chu-ky-so"),
    ]:
        r = clerk.get(old, allow_redirects=False)
        assert (r.status_code, r.headers.get("Location")) == (301, new), old
        page = clerk.get(new, headers={"Accept": "text/html"})
        assert page.status_code == 200, (new, page.status_code)
        assert "text/html" in page.headers["Content-Type"]


def test_old_page_names_of_outgoing_documents_redirect(url):
    from tests.outgoing.helpers import payload as outgoing_payload

    drafter = session("stttt.chuyenvien")
    r = drafter.post(f"{url}/so-tttt/@outgoing", json=outgoing_payload([]))
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    r = drafter.get(f"{doc}/@@outgoing-view", allow_redirects=False)
    assert (r.status_code, r.headers.get("Location")) == (301, f"{doc}/@@xem-van-ban-di")
    assert drafter.get(f"{doc}/@@xem-van-ban-di", headers={"Accept": "text/html"}).status_code == 200
    r = drafter.get(f"{doc}/@@outgoing-version/1", allow_redirects=False)
    assert (r.status_code, r.headers.get("Location")) == (301, f"{doc}/@@phien-ban-du-thao/1")
