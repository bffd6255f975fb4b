"""The page "Văn bản đi" as the clerk sees it: the issued document with its number and issue date."""

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
