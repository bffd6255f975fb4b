"""``POST <agency>/@incoming-suggestions`` (docs/rest example) and the form's page
``@@goi-y-van-ban-den``: suggestions from the first page, nothing stored, the right needed."""

from tests.incoming.helpers import session
from tests.search import nd30_page
from tests.test_rest_docs import Recorder

import base64


def _file(data):
    return {"file": {"data": base64.b64encode(data).decode(), "encoding": "base64", "filename": "cv.pdf"}}


def test_rest_incoming_suggestions(demo_server):
    from tests import test_rest_docs

    url = demo_server["url"]
    test_rest_docs.TITLES.setdefault("incoming_suggestions",
                                     "Suggestions for registering an incoming document, read from the first "
                                     "page of its PDF: `POST <agency>/@incoming-suggestions`")
    r = Recorder(url).call("incoming_suggestions", "stttt.vanthu", "POST", "so-tttt/@incoming-suggestions",
                           _file(nd30_page.text_pdf(nd30_page.CONG_VAN)))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["suggestions"]["code_number"] == "125" and answer["ocr"] is False
    assert answer["suggestions"]["issued_date"] == "05/12/2026"
    assert answer["document_type_title"] == "Công văn" and answer["label"] == "gợi ý"
    clerk = session("stttt.vanthu")
    bad = clerk.post(f"{url}/so-tttt/@incoming-suggestions", json=_file(b"not a pdf"))
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "Tệp không phải là tài liệu PDF đọc được."
    none = clerk.post(f"{url}/so-tttt/@incoming-suggestions", json={})
    assert none.status_code == 400 and none.json()["error"]["message"] == "Chọn tệp PDF của văn bản."
    # a leader may not add incoming documents; another agency's clerk neither
    for user in ("stttt.lanhdao", "snv.vanthu"):
        r = session(user).post(f"{url}/so-tttt/@incoming-suggestions",
                               json=_file(nd30_page.text_pdf(nd30_page.CONG_VAN)))
        assert r.status_code in (401, 403), user
