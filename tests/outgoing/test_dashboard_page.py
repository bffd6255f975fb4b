"""The page "Văn bản đi" as the clerk sees it: the issued document with its number and issue date."""

from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import queries
from plone import api
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

import re


def test_issued_list_shows_the_issue_date(portal):
    doc = chain(draft(portal, title="V/v lịch tiếp công dân tháng 12"))
    number = f"{doc.code_number}/{doc.code_notation}"
    issued = doc.issued_date.strftime("%d/%m/%Y")
    request = portal.REQUEST
    request.form.update({"list": "issued"})
    request["ACTUAL_URL"] = f"{agency(portal).absolute_url()}/@@van-ban-di"
    with api.env.adopt_user(username="stttt.vanthu"):
        html = api.content.get_view("van-ban-di", agency(portal), request)()
    section = html.split("qlvb-list-issued", 1)[1]
    assert re.search(r"sort_on=issued_date[^>]*>Ngày ban hành</a></th>", section)
    row = re.search(r"<tr[^>]*>\s*<td>" + re.escape(number) + r"</td>(.*?)</tr>", section, re.S)
    assert row and f'<td class="qlvb-date">{issued}</td>' in row.group(1)
    # "Người ký": the name of who signed, read from the catalog (qlvb_register_values)
    signer = outgoing.fullname("stttt.lanhdao")
    assert signer and signer != "stttt.lanhdao"
    assert '<th class="qlvb-col-signer">Người ký</th>' in section
    assert f'<td class="qlvb-signer">{signer}</td>' in row.group(1)


def test_the_signer_column_is_empty_before_issue(portal):
    """Before issue the catalog keeps no signer's name: the cell is empty, no document is woken."""
    doc = chain(draft(portal, title="V/v dự thảo chưa phát hành"), until="approved")
    with api.env.adopt_user(username="stttt.lanhdao"):
        rows = queries.lists_for(agency(portal), "stttt.lanhdao", only="waiting_signature")
    row = next(r for r in rows["waiting_signature"] if r["uid"] == doc.UID())
    assert row["signer_name"] == ""
