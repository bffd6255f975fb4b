"""REST: @edxml-import (clerks and administrators), @edxml, @exchange-status, worker tick."""

from __future__ import annotations

import base64

import pytest
import requests
from dongthap.qlvb.exchange import edxml
from plone_support import EXTERNAL, STTTT, external_package

from tests.helpers import session


@pytest.fixture
def url(demo_server, request):
    request.getfixturevalue("av_env")
    request.getfixturevalue("clamd")
    return demo_server["url"]


def test_import_by_clerk_creates_and_edxml_returns_the_package(url):
    data = edxml.build_document(external_package(to=(STTTT,)))
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import", data=data,
                                     headers={"Content-Type": "application/xml"})
    assert r.status_code == 201, r.text
    [doc] = r.json()["documents"]
    assert doc["state"] == "received"
    # the same package again: deduplicated
    again = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import",
                                         json={"data": base64.b64encode(data).decode()})
    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    got = session("stttt.vanthu").get(f"{doc['@id']}/@edxml")
    assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/xml")
    assert edxml.parse(got.content).message_header.from_.organ_id == EXTERNAL
    status = session("stttt.vanthu").get(f"{doc['@id']}/@exchange-status").json()
    assert status["source"]["from_organ_id"] == EXTERNAL
    assert [s["code"] for s in status["statuses_sent"]] == ["01"]


@pytest.mark.parametrize("user", ["stttt.chuyenvien", "stttt.lanhdao", "snv.vanthu", None])
def test_import_forbidden_to_others(url, user):
    data = edxml.build_document(external_package(to=(STTTT,)))
    r = session(user).post(f"{url}/so-tttt/@edxml-import", data=data,
                           headers={"Content-Type": "application/xml"})
    assert r.status_code in (401, 403)


def test_import_of_a_package_for_another_agency_is_refused(url):
    data = edxml.build_document(external_package(to=("000.00.09.H20",)))
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import", data=data,
                                     headers={"Content-Type": "application/xml"})
    assert r.status_code == 400 and "Không có cơ quan nhận" in r.json()["error"]["message"]


def test_import_of_garbage_is_a_clean_400(url):
    r = session("stttt.quantri").post(f"{url}/so-tttt/@edxml-import", data=b"<x><<",
                                      headers={"Content-Type": "application/xml"})
    assert r.status_code == 400


def test_worker_tick_needs_the_token(url):
    assert requests.post(f"{url}/@@exchange-worker-tick").status_code == 403
    assert requests.post(f"{url}/@@exchange-worker-tick",
                         headers={"X-Qlvb-Worker-Token": "guess"}).status_code == 403


def test_import_over_the_limit_is_413_in_vietnamese_naming_the_limit(url):
    from dongthap.qlvb.exchange.settings import max_package_mb

    limit = max_package_mb()
    data = edxml.build_document(external_package(to=(STTTT,)))
    body = data + b" " * (limit * 1024 * 1024 + 1 - len(data))  # one byte over, still well-formed
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import", data=body,
                                     headers={"Content-Type": "application/xml"})
    assert r.status_code == 413
    message = r.json()["error"]["message"]
    assert f"{limit} MiB" in message and "Gói tin vượt quá giới hạn" in message
    assert "edXML" in message and "không đúng định dạng" not in message


def test_refused_package_is_listed_in_exchange_problems(url):
    pkg = external_package(to=("vxp.saas.03",), number="901")
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import", data=edxml.build_document(pkg),
                                     headers={"Content-Type": "application/xml"})
    assert r.status_code == 400
    reason = r.json()["error"]["message"]
    listed = session("stttt.vanthu").get(f"{url}/so-tttt/@exchange-problems")
    assert listed.status_code == 200
    [item] = [i for i in listed.json()["items"] if i["code"] == "901/VPCP-KGVX"]
    assert item["reason"] == reason and "Không có cơ quan nhận vxp.saas.03" in reason
    assert item["addressed"] == ["vxp.saas.03"] and item["answered"] and item["sender"] == EXTERNAL
    page = session("stttt.vanthu").get(f"{url}/so-tttt/@@su-co-lien-thong")
    assert page.status_code == 200 and "Sự cố liên thông" in page.text and "vxp.saas.03" in page.text
    # the province administrator sees every refusal on the site root
    everything = session("qtht").get(f"{url}/@exchange-problems")
    assert any(i["code"] == "901/VPCP-KGVX" for i in everything.json()["items"])
    for user in ("stttt.chuyenvien", None):
        assert session(user).get(f"{url}/so-tttt/@exchange-problems").status_code in (401, 403)
def test_import_of_a_forged_revoke_is_a_translated_403(url):
    from plone_support import revoke_of

    pkg = external_package(to=(STTTT,), number="77")
    clerk = session("stttt.vanthu")
    created = clerk.post(f"{url}/so-tttt/@edxml-import", data=edxml.build_document(pkg),
                         headers={"Content-Type": "application/xml"})
    assert created.status_code == 201, created.text
    forged = revoke_of(pkg)
    forged.message_header.from_ = edxml.Organization("000.00.00.G12", organ_name="Bộ khác")
    r = clerk.post(f"{url}/so-tttt/@edxml-import", data=edxml.build_document(forged),
                   headers={"Content-Type": "application/xml"})
    assert r.status_code == 403, r.text
    assert "sự cố an toàn thông tin" in r.json()["error"]["message"]
    doc = clerk.get(created.json()["documents"][0]["@id"])
    assert doc.status_code == 200
