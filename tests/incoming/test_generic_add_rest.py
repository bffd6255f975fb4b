"""Plone's generic add paths for the document types, over HTTP: the user is led to the real path."""

from tests.incoming import helpers as inc
from tests.outgoing import helpers as out

import pytest


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _create_the_real_way(url, client, portal_type):
    """One document created by its own service (so the register folders exist)."""
    if portal_type == "IncomingDocument":
        created = client.post(f"{url}/so-tttt/@incoming", json=inc.payload())
    else:
        uid = client.get(f"{url}/so-noi-vu").json().get("UID")
        created = client.post(f"{url}/so-tttt/@outgoing", json=out.payload([uid] if uid else []))
    assert created.status_code == 201, created.text[:300]


@pytest.mark.parametrize("user,folder,portal_type,service", [
    ("stttt.vanthu", "so-tttt/van-ban-den", "IncomingDocument", "@incoming"),
    ("stttt.vanthu", "so-tttt", "IncomingDocument", "@incoming"),
    ("stttt.chuyenvien", "so-tttt/van-ban-di", "OutgoingDocument", "@outgoing"),
])
def test_post_with_type_is_refused_with_a_translated_message(url, user, folder, portal_type, service):
    client = inc.session(user)
    _create_the_real_way(url, client, portal_type)
    body = inc.payload() if portal_type == "IncomingDocument" else out.payload([])
    body["@type"] = portal_type
    before = client.get(f"{url}/so-tttt/@search", params={"portal_type": portal_type}).json()["items_total"]
    r = client.post(f"{url}/{folder}", json=body)
    assert r.status_code == 400, r.text[:300]
    message = r.json()["error"]["message"]
    assert service in message and inc.vi("cơ quan", "agency") in message
    after = client.get(f"{url}/so-tttt/@search", params={"portal_type": portal_type}).json()["items_total"]
    assert after == before


@pytest.mark.parametrize("user,folder,portal_type,form", [
    ("stttt.vanthu", "so-tttt/van-ban-den", "IncomingDocument", "vao-so-van-ban-den"),
    ("stttt.chuyenvien", "so-tttt/van-ban-di", "OutgoingDocument", "soan-van-ban-di"),
])
def test_generic_add_form_leads_to_the_agency_form(url, user, folder, portal_type, form):
    client = inc.session(user)
    _create_the_real_way(url, client, portal_type)
    client.headers["Accept"] = "text/html"
    r = client.get(f"{url}/{folder}/++add++{portal_type}", allow_redirects=False)
    assert r.status_code in (302, 303), r.status_code
    assert r.headers["Location"] == f"{url}/so-tttt/@@{form}"
    assert client.get(r.headers["Location"]).status_code == 200


@pytest.mark.parametrize("user,folder,portal_type,service", [
    ("stttt.vanthu", "so-tttt/van-ban-den", "IncomingDocument", "@incoming"),
    ("stttt.chuyenvien", "so-tttt/van-ban-di", "OutgoingDocument", "@outgoing"),
])
def test_tus_upload_announcing_a_document_is_refused(url, user, folder, portal_type, service):
    import base64

    client = inc.session(user)
    _create_the_real_way(url, client, portal_type)

    def b64(text):
        return base64.b64encode(text.encode()).decode()

    r = client.post(f"{url}/{folder}/@tus-upload", headers={
        "Tus-Resumable": "1.0.0", "Upload-Length": str(len(inc.PDF)),
        "Upload-Metadata": f"@type {b64(portal_type)},filename {b64('van-ban.pdf')}"})
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert service in r.json()["error"]["message"]
