"""The recipients of a draft as a tree of agencies (issue 15, item 4): an agency inside another is
listed under it, the drafter's own agency is not offered, and the form keeps the chosen ones."""

from plone import api
from plone.protect.authenticator import createToken

import re


def test_recipients_are_a_tree_without_the_own_agency(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.chuyenvien"):
        view = api.content.get_view("soan-van-ban-di", agency, agency.REQUEST)
        rows = view.recipients()
        html = view()
    titles = [r["title"] for r in rows]
    assert "Sở Thông tin và Truyền thông" not in titles
    top = next(r for r in rows if r["title"] == "UBND tỉnh Đồng Tháp")
    office = next(r for r in rows if r["title"] == "Văn phòng UBND tỉnh")
    assert (top["depth"], office["depth"]) == (0, 1) and office["parents"] == top["value"]
    assert titles.index("Văn phòng UBND tỉnh") == titles.index("UBND tỉnh Đồng Tháp") + 1
    assert len(titles) == len(set(titles))
    assert 'class="qlvb-checklist"' in html and "qlvb-picker.js" in html


def test_the_chosen_recipients_are_kept_after_an_error(portal):
    agency = portal["so-tttt"]
    request = agency.REQUEST
    with api.env.adopt_user(username="stttt.chuyenvien"):
        uid = next(r["value"] for r in api.content.get_view("soan-van-ban-di", agency, request).recipients()
                   if r["title"] == "Sở Nội vụ")
        request.method = "POST"
        request.form.update({"form.submitted": "1", "_authenticator": createToken(), "title": "",
                             "internal_recipients": [uid]})
        html = api.content.get_view("soan-van-ban-di", agency, request)()
    box = re.search(rf'<input[^>]*value="{uid}"[^>]*>', html).group(0)
    assert 'checked="checked"' in box
