"""The copy an agency receives through internal delivery: its pages and its history."""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.outgoing import delivery
from plone import api
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft


def _copy(portal, doc, path="so-noi-vu"):
    uid = api.content.get_uuid(doc)
    found = [b._unrestrictedGetObject()
             for b in api.content.find(portal_type="IncomingDocument", unrestricted=True,
                                       path="/".join(agency(portal, path).getPhysicalPath()))
             if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid]
    assert len(found) == 1
    return found[0]


def test_one_page_signed_pdf_is_one_page_on_both_sides(portal):
    doc = chain(draft(portal, file=(make_pdf(["Một trang"], pages=1), "mot-trang.pdf")))
    assert api.content.get_state(doc) == "issued"
    assert bytes(doc.file.data).count(b"%%EOF") >= 2  # signed: incremental updates
    assert doc.page_amount == 1
    assert _copy(portal, doc).page_amount == 1


def test_two_page_pdf_counts_two(portal):
    doc = chain(draft(portal, file=(make_pdf(["Hai trang"], pages=2), "hai-trang.pdf")))
    assert doc.page_amount == 2 and _copy(portal, doc).page_amount == 2


def test_history_of_the_received_copy_names_the_receiving_side(portal):
    doc = chain(draft(portal))
    copy = _copy(portal, doc)
    sender_clerk = "stttt.vanthu"
    created = copy.qlvb_trail[0]
    assert created["action"] == "create"
    assert created["actor"] != sender_clerk
    with api.env.adopt_user(username="snv.vanthu"):
        shown = handling.info(copy)["trail"]
    names = [t["fullname"] for t in shown]
    sender_name = api.user.get(username=sender_clerk).getProperty("fullname")
    assert sender_name not in names and sender_clerk not in names
    assert "Sở Thông tin" in shown[0]["comment"]
    # nobody of the sending agency owns the receiver's copy
    assert sender_clerk not in copy.listCreators()
    assert not copy.get_local_roles_for_userid(sender_clerk)
    # the receiver's clerk who registers it is the one named for the registration
    from dongthap.qlvb.incoming import api as incoming

    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register")
    assert copy.qlvb_trail[-1]["action"] == "register"
    assert copy.qlvb_trail[-1]["actor"] == api.user.get(username="snv.vanthu").getId()


def test_history_page_of_the_receiving_agency(demo_server):
    """What Sở Nội vụ's clerk sees on the received document's page."""
    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD
    from tests.outgoing.helpers import payload
    from tests.outgoing.helpers import session

    url = demo_server["url"]
    snv = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-noi-vu").json()["UID"]
    created = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=payload([snv]))
    assert created.status_code == 201, created.text[:300]
    doc_url = created.json()["url"]
    for user, transition in [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign"),
                             ("stttt.vanthu", "issue")]:
        r = session(user).post(f"{doc_url}/@workflow/{transition}", json={})
        assert r.status_code == 200, (transition, r.text[:300])
    notation = r.json()["notation"]
    clerk = session("snv.vanthu")
    waiting = clerk.get(f"{url}/so-noi-vu/@incoming").json()["waiting_registration"]
    [copy] = [d for d in waiting if d["notation"] == notation]

    def history_html():
        page = clerk.get(copy["url"], headers={"Accept": "text/html"})
        assert page.status_code == 200
        return page.text.split("qlvb-trail", 1)[1].split("</table>", 1)[0]

    sender = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/@users/stttt.vanthu").json()
    receiver = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/@users/snv.vanthu").json()
    html = history_html()
    first_row = html.split("</tr>", 1)[0]
    assert "<td>Hệ thống</td>" in first_row and "Sở Thông tin và Truyền thông" in first_row
    assert sender["fullname"] not in html and "stttt.vanthu" not in html
    assert clerk.post(f"{copy['url']}/@workflow/register", json={}).status_code == 200
    assert receiver["fullname"] in history_html()
