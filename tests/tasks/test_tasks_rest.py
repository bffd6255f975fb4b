"""Tasks through REST against the shared demo server: the lifecycle, who may see and do what
(permission matrix), bad input (translated 4xx, nothing stored). Writes docs/rest/tasks_*.md."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.helpers import session
from tests.test_rest_docs import DOCS
from tests.test_rest_docs import Recorder

import base64
import datetime
import re
import requests

AGENCY = "so-tai-chinh"  # no other test gives tasks here
TITLES = {
    "tasks_create": "Give a task (leader): `POST <agency>/@tasks`",
    "tasks_progress": "Report progress (lead): `POST <agency>/@tasks/<id>/progress`",
    "tasks_extension": "Ask for an extension (lead): `POST <agency>/@tasks/<id>/extension`",
    "tasks_extension_decision":
        "Grant it (who gave the task): `POST <agency>/@tasks/<id>/extension-decision`",
    "tasks_complete": "Report completion (lead): `POST <agency>/@tasks/<id>/complete`",
    "tasks_evaluate": "Evaluate it (who gave the task): `POST <agency>/@tasks/<id>/evaluate`",
    "tasks_read": "The task with its progress history: `GET <agency>/@tasks/<id>`",
    "tasks_list": "My lists (của tôi, tôi giao, quá hạn): `GET <agency>/@tasks`",
    "tasks_bad_input": "Bad input: a translated error, nothing created",
    "tasks_edit": "Change a task (who gave it, or a leader): `POST <agency>/@tasks/<id>/edit`",
}
EXTRA = [(re.compile(r"\bcv-[a-z0-9]{10}"), "cv-xxxxxxxxxx")]


def _day(days):
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def _body(**overrides):
    body = {"title": "Rà soát dự toán ngân sách năm 2027", "text": "Tổng hợp số liệu các phòng.",
            "deadline": _day(10), "lead": {"user": "stc.chuyenvien"}, "coordinators": ["stc.truongphong"],
            "informed": ["stc.luutru"]}
    body.update(overrides)
    return body


def _assigned_count(url, user="stc.lanhdao"):
    return len(session(user).get(f"{url}/{AGENCY}/@tasks", params={"list": "assigned"}).json()["assigned"])


def test_task_lifecycle_with_extension_and_evaluation(demo_server):
    url = demo_server["url"]
    rec = Recorder(url, TITLES, EXTRA)
    note = {"data": base64.b64encode(b"Ke hoach ra soat du toan").decode(), "encoding": "base64",
            "filename": "ke-hoach.txt"}
    r = rec.call("tasks_create", "stc.lanhdao", "POST", f"{AGENCY}/@tasks", _body(attachments=[note]))
    assert r.status_code == 201, r.text
    task = r.json()
    tid = task["id"]
    assert task["state"] == "assigned" and task["state_title"] == "Đã giao"
    assert task["lead"]["user"] and task["attachments"][0]["filename"] == "ke-hoach.txt"
    lead = session("stc.chuyenvien")
    attachment = lead.get(task["attachments"][0]["@id"])
    assert attachment.status_code == 200 and attachment.content == b"Ke hoach ra soat du toan"
    # the lead sees it in "của tôi" with a notification
    mine = lead.get(f"{url}/{AGENCY}/@tasks").json()
    assert tid in [t["id"] for t in mine["mine"]]
    kinds = [n["kind"] for n in lead.get(f"{url}/@notifications").json()["items"]]
    assert "task_lead" in kinds
    r = rec.call("tasks_progress", "stc.chuyenvien", "POST", f"{AGENCY}/@tasks/{tid}/progress",
                 {"percent": 40, "text": "Đã tổng hợp số liệu 2 phòng"})
    assert r.status_code == 200 and r.json()["state"] == "in_progress" and r.json()["percent"] == 40
    r = rec.call("tasks_extension", "stc.chuyenvien", "POST", f"{AGENCY}/@tasks/{tid}/extension",
                 {"deadline": _day(20), "reason": "Chờ số liệu của Phòng Ngân sách"})
    assert r.status_code == 200 and r.json()["state"] == "extension_requested"
    r = rec.call("tasks_extension_decision", "stc.lanhdao", "POST",
                 f"{AGENCY}/@tasks/{tid}/extension-decision", {"decision": "grant", "comment": "Đồng ý"})
    assert r.status_code == 200 and r.json()["deadline"] == _day(20) and r.json()["state"] == "in_progress"
    r = rec.call("tasks_complete", "stc.chuyenvien", "POST", f"{AGENCY}/@tasks/{tid}/complete",
                 {"comment": "Đã gửi báo cáo"})
    done = r.json()
    assert r.status_code == 200 and done["state"] == "done" and done["late"] is False
    assert done["completed_on"] == _day(0)
    r = rec.call("tasks_evaluate", "stc.lanhdao", "POST", f"{AGENCY}/@tasks/{tid}/evaluate",
                 {"result": "dat", "comment": "Hoàn thành tốt"})
    assert r.status_code == 200 and r.json()["state"] == "evaluated"
    r = rec.call("tasks_read", "stc.lanhdao", "GET", f"{AGENCY}/@tasks/{tid}")
    info = r.json()
    assert info["evaluation"]["result"] == "dat" and info["evaluation"]["result_title"] == "Đạt"
    assert [p["percent"] for p in info["progress"]] == [40]
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d$", info["progress"][0]["at"])
    assert [h["action"] for h in info["history"]] == [
        "create", "start", "progress", "request_extension", "grant_extension", "complete", "evaluate"]
    assert info["actions"] == []
    r = rec.call("tasks_list", "stc.lanhdao", "GET", f"{AGENCY}/@tasks")
    assert tid in [t["id"] for t in r.json()["assigned"]]
    # a sub-task of a finished task is refused; a refused extension keeps the deadline
    second = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks", json=_body(title="Báo cáo nhanh")).json()
    sub = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks", json=_body(
        title="Phần việc của Văn phòng", parent=second["uid"], deadline=_day(5)))
    assert sub.status_code == 201 and sub.json()["parent"]["uid"] == second["uid"]
    closed = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks", json=_body(parent=task["uid"]))
    assert closed.status_code == 400 and closed.json()["error"]["errors"][0]["field"] == "parent"
    assert lead.post(f"{url}/{AGENCY}/@tasks/{second['id']}/extension",
                     json={"deadline": _day(30), "reason": "Thiếu người"}).status_code == 200
    refused = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks/{second['id']}/extension-decision",
                                     json={"decision": "refuse"}).json()
    assert refused["deadline"] == _day(10) and refused["state"] == "in_progress"
    assert [t["title"] for t in refused["subtasks"]] == ["Phần việc của Văn phòng"]
    cancelled = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks/{second['id']}/cancel",
                                       json={"comment": "Không còn cần"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"


def test_who_sees_and_does_what(demo_server):
    url = demo_server["url"]
    task = session("stc.lanhdao").post(f"{url}/{AGENCY}/@tasks", json=_body(title="Ma trận quyền")).json()
    path = f"{url}/{AGENCY}/@tasks/{task['id']}"
    # the department head gives a task in his department: the agency's leader sees it too
    by_head = session("stc.truongphong").post(f"{url}/{AGENCY}/@tasks", json=_body(
        title="Việc của trưởng phòng", coordinators=[], informed=[]))
    assert by_head.status_code == 201, by_head.text
    assert session("stc.lanhdao").get(f"{url}/{AGENCY}/@tasks/{by_head.json()['id']}").status_code == 200
    seeing = {"stc.lanhdao": 200, "stc.chuyenvien": 200, "stc.truongphong": 200, "stc.luutru": 200,
              "stc.vanthu": 404, "stc.quantri": 404, "stc.antt": 404}
    for user, status in seeing.items():
        assert session(user).get(path).status_code == status, user
    for user in ("snv.lanhdao", "ubnd.lanhdao", "qtht"):  # another agency, the province, its admin
        assert session(user).get(path).status_code in (401, 403, 404), user
        r = session(user).post(f"{path}/progress", json={"percent": 5, "text": "x"})
        assert r.status_code in (401, 403, 404), user
    # who may give a task: leaders and department heads, not a specialist or the clerk
    for user in ("stc.chuyenvien", "stc.vanthu"):
        r = session(user).post(f"{url}/{AGENCY}/@tasks", json=_body(title="Không được giao"))
        assert r.status_code in (401, 403), user
    # actions: progress by lead and coordinator only; completion by the lead; decisions by the giver
    assert session("stc.luutru").post(f"{path}/progress", json={"percent": 5, "text": "x"}).status_code == 403
    r = session("stc.truongphong").post(f"{path}/progress", json={"percent": 10, "text": "Phối hợp"})
    assert r.status_code == 200
    assert session("stc.truongphong").post(f"{path}/complete", json={}).status_code == 403
    assert session("stc.chuyenvien").post(f"{path}/cancel", json={"comment": "Không làm"}).status_code == 403
    assert session("stc.chuyenvien").post(f"{path}/evaluate", json={"result": "dat"}).status_code == 409
    assert session("stc.chuyenvien").post(f"{path}/complete", json={}).status_code == 200
    assert session("stc.chuyenvien").post(f"{path}/evaluate", json={"result": "dat"}).status_code == 403
    r = session("stc.lanhdao").post(f"{path}/evaluate",
                                    json={"result": "khong_dat", "comment": "Thiếu số liệu"})
    assert r.status_code == 200 and r.json()["evaluation"]["result_title"] == "Không đạt"
    # Plone's own workflow service runs no transition of a task
    assert session("stc.lanhdao").post(f"{url}/{AGENCY}/cong-viec/{by_head.json()['id']}/@workflow/cancel",
                                  json={}).status_code >= 400
    again = session("stc.lanhdao").get(f"{url}/{AGENCY}/@tasks/{by_head.json()['id']}").json()
    assert again["state"] == "assigned"


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_stored(demo_server):
    url = demo_server["url"]
    rec = Recorder(url, TITLES, EXTRA)
    before = _assigned_count(url)
    r = rec.call("tasks_bad_input", "stc.lanhdao", "POST", f"{AGENCY}/@tasks",
                 _body(title=" ", deadline="31/02/2027", lead={"user": "khong.ton.tai"}))
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["message"] == "Công việc chưa được lưu: vui lòng sửa các lỗi."
    fields = {e["field"]: e["message"] for e in error["errors"]}
    assert fields["title"] == "Nhập tên công việc."
    assert fields["deadline"] == "Nhập hạn xử lý theo dạng dd/mm/yyyy."
    assert fields["lead"] == "Người dùng không tồn tại: khong.ton.tai."
    cases = [
        (_body(deadline=_day(-1)), "deadline", "Hạn xử lý không được trước ngày"),
        (_body(coordinators=["snv.chuyenvien"]), "coordinators", "không phải cán bộ"),
        (_body(lead={}), "lead", "Chọn người hoặc phòng chủ trì."),
        (_body(related=["0" * 32]), "related", "Văn bản hoặc hồ sơ không tồn tại"),
        (_body(attachments=[{"data": 5}]), "attachments", "Gửi mỗi tệp"),
    ]
    leader = session("stc.lanhdao")
    for body, field, text in cases:
        r = leader.post(f"{url}/{AGENCY}/@tasks", json=body)
        assert r.status_code == 400, (field, r.text)
        messages = [e["message"] for e in r.json()["error"]["errors"] if e["field"] == field]
        assert messages and text.lower() in messages[0].lower(), (field, messages)
    assert leader.post(f"{url}/{AGENCY}/@tasks", data="không phải JSON",
                        headers={"Content-Type": "application/json"}).status_code == 400
    r = leader.post(f"{url}/{AGENCY}/@tasks", json=_body(dealine=_day(5), state="done"))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == "Yêu cầu có trường không tồn tại hoặc chỉ đọc: dealine, state."
    assert {e["field"] for e in r.json()["error"]["errors"]} == {"dealine", "state"}
    assert _assigned_count(url) == before
    task = leader.post(f"{url}/{AGENCY}/@tasks", json=_body(title="Kiểm tra tiến độ sai")).json()
    path = f"{url}/{AGENCY}/@tasks/{task['id']}"
    lead = session("stc.chuyenvien")
    for body in ({"percent": 150, "text": "x"}, {"percent": "năm mươi", "text": "x"},
                 {"percent": 5, "text": ""}):
        r = lead.post(f"{path}/progress", json=body)
        assert r.status_code == 400 and r.json()["error"]["errors"][0]["message"].endswith("."), r.text
    r = lead.post(f"{path}/progress", json={"percent": 50, "text": "Đã làm một nửa", "percentage": 60})
    assert r.status_code == 400 and r.json()["error"]["errors"] == [
        {"field": "percentage", "message": "Trường không tồn tại hoặc chỉ đọc."}], r.text
    r = lead.post(f"{path}/extension", json={"deadline": _day(3), "reason": "Sớm hơn hạn"})
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["field"] == "deadline"
    assert lead.post(f"{path}/khong-co", json={}).status_code == 404
    assert leader.get(f"{url}/{AGENCY}/@tasks/cv-khongtontai").status_code == 404
    assert leader.get(f"{url}/{AGENCY}/@tasks", params={"list": "abc"}).status_code == 400
    info = leader.get(path).json()
    assert info["progress"] == [] and info["state"] == "assigned"


def test_the_docs_index_lists_every_task_example():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for name in TITLES:
        assert f"({name}.md)" in index, name


def test_the_demo_site_has_tasks(demo_server):
    url = demo_server["url"]
    rows = session("snv.lanhdao").get(f"{url}/so-noi-vu/@tasks", params={"list": "all"}).json()["all"]
    titles = {r["title"] for r in rows}
    assert {"Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ năm tới",
            "Rà soát vị trí việc làm của các đơn vị"} <= titles
    # the lead of each (chủ trì): a person by name, a department by title; the page shows the column
    leads = {r["title"]: r["lead"] for r in rows}
    person = leads["Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ năm tới"]
    department = leads["Rà soát vị trí việc làm của các đơn vị"]
    assert person["user"] == "snv.chuyenvien" and person["fullname"] not in ("", "snv.chuyenvien")
    assert department["department"] == "tcbc" and department["title"] not in ("", "tcbc")
    html = session("snv.lanhdao").get(f"{url}/so-noi-vu/@@cong-viec", params={"list": "all"},
                                      headers={"Accept": "text/html"}).text
    assert ">Chủ trì</th>" in html
    cells = re.findall(r'<td class="qlvb-task-lead"[^>]*>([^<]*)</td>', html)
    assert person["fullname"] in cells and department["title"] in cells
    # another agency's leader sees none of them
    other = session("stttt.lanhdao").get(f"{url}/so-tttt/@tasks", params={"list": "all"}).json()
    assert not titles & {r["title"] for r in other["all"]}


def _incoming(url, **overrides):
    """An incoming document registered by the clerk of the agency (to be linked to a task)."""
    from tests.incoming.helpers import payload

    r = session("stc.vanthu").post(f"{url}/{AGENCY}/@incoming", json=payload(register=True, **overrides))
    assert r.status_code == 201, r.text
    return r.json()


def _kinds(url, user):
    return [(n["kind"], n.get("title")) for n in session(user).get(f"{url}/@notifications").json()["items"]]


def test_the_giver_changes_a_task_and_the_people_concerned_are_told(demo_server):
    url = demo_server["url"]
    rec = Recorder(url, TITLES, EXTRA)
    doc = _incoming(url, title="Về việc lập dự toán ngân sách 2027", code_number="88",
                    code_notation="UBND-TH")
    leader = session("stc.lanhdao")
    # the document's page offers "Giao việc" (with the document linked) to the leader, not to the clerk
    page = requests.get(doc["@id"], auth=("stc.lanhdao", DEMO_PASSWORD)).text
    assert f'/{AGENCY}/@@giao-viec?related={doc["uid"]}' in page and "qlvb-give-task-link" in page
    form = requests.get(f"{url}/{AGENCY}/@@giao-viec", params={"related": doc["uid"]},
                        auth=("stc.lanhdao", DEMO_PASSWORD)).text
    assert "88/UBND-TH — Về việc lập dự toán ngân sách 2027" in form
    clerk_page = requests.get(doc["@id"], auth=("stc.vanthu", DEMO_PASSWORD))
    assert clerk_page.status_code == 200 and "qlvb-give-task-link" not in clerk_page.text
    task = leader.post(f"{url}/{AGENCY}/@tasks", json=_body(title="Lập dự toán theo văn bản 88",
                                                          related=[doc["uid"]])).json()
    # the linked document is shown by its number and title, with its address
    (linked,) = task["related"]
    assert linked["number"] == "88/UBND-TH" and linked["title"] == "Về việc lập dự toán ngân sách 2027"
    assert linked["@id"].endswith(doc["@id"].rsplit("/", 1)[-1])
    assert "edit" in task["actions"]
    path = f"{url}/{AGENCY}/@tasks/{task['id']}"
    assert "edit" not in session("stc.chuyenvien").get(path).json()["actions"]
    # nobody but who gave it (or a leader) may change it; people who cannot see it get 404
    change = {"title": "Không được sửa"}
    for user, status in {"stc.chuyenvien": 403, "stc.truongphong": 403, "stc.luutru": 403,
                         "stc.vanthu": 404, "stc.quantri": 404}.items():
        assert session(user).post(f"{path}/edit", json=change).status_code == status, user
    for user in ("snv.lanhdao", "ubnd.lanhdao"):
        assert session(user).post(f"{path}/edit", json=change).status_code in (401, 403, 404), user
    # bad input: every problem at once in Vietnamese, nothing stored
    r = leader.post(f"{path}/edit", json={"title": " ", "deadline": _day(-1), "lead": {"user": "khong.co"},
                                          "parent": "x"})
    assert r.status_code == 400, r.text
    fields = {e["field"]: e["message"] for e in r.json()["error"]["errors"]}
    assert fields["title"] == "Nhập tên công việc."
    assert fields["deadline"].startswith("Hạn xử lý không được trước ngày")
    assert fields["lead"] == "Người dùng không tồn tại: khong.co."
    assert fields["parent"] == "Không thể sửa mục này sau khi đã giao việc."
    assert leader.get(path).json()["title"] == "Lập dự toán theo văn bản 88"
    # the change: title, deadline, coordinator removed, someone informed added, a file added
    note = {"data": base64.b64encode(b"Bieu mau du toan").decode(), "encoding": "base64",
            "filename": "bieu-mau.txt"}
    r = rec.call("tasks_edit", "stc.lanhdao", "POST", f"{AGENCY}/@tasks/{task['id']}/edit",
                 {"title": "Lập dự toán ngân sách 2027 theo văn bản 88", "deadline": _day(15),
                  "coordinators": [], "informed": ["stc.luutru", "stc.vanthu"], "attachments": [note]})
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["title"] == "Lập dự toán ngân sách 2027 theo văn bản 88"
    assert changed["deadline"] == _day(15) and changed["coordinators"] == []
    assert [f["filename"] for f in changed["attachments"]] == ["bieu-mau.txt"]
    last = changed["history"][-1]
    assert last["action"] == "edit" and last["title"] == "Đã sửa công việc"
    assert last["fields"] == ["title", "deadline", "coordinators", "informed", "attachments"]
    assert last["deadline"]["to"] == (datetime.date.today() + datetime.timedelta(days=15)).isoformat()
    assert "Hạn xử lý" in last["fields_titles"]
    # who is concerned is told; the coordinator removed no longer sees it, the one added does
    title = changed["title"]
    assert ("task_changed", title) in _kinds(url, "stc.chuyenvien")
    assert ("task_changed", title) in _kinds(url, "stc.luutru")
    assert ("task_informed", title) in _kinds(url, "stc.vanthu")
    assert ("task_changed", title) not in _kinds(url, "stc.lanhdao")  # who changed it
    assert session("stc.truongphong").get(path).status_code == 404
    assert session("stc.vanthu").get(path).status_code == 200
    # a leader may change a task a department head gave; nothing sent, nothing logged
    by_head = session("stc.truongphong").post(f"{url}/{AGENCY}/@tasks", json=_body(
        title="Việc trưởng phòng giao", coordinators=[], informed=[])).json()
    head_path = f"{url}/{AGENCY}/@tasks/{by_head['id']}"
    assert session("stc.truongphong").post(f"{head_path}/edit", json={"text": "Bổ sung"}).status_code == 200
    same = leader.post(f"{head_path}/edit", json={"deadline": by_head["deadline"]})
    assert same.status_code == 200 and [h["action"] for h in same.json()["history"]] == ["create", "edit"]
    assert leader.post(f"{head_path}/edit", json={"lead": {"user": "stc.truongphong"}}).status_code == 200
    # a finished task cannot be changed any more (409)
    assert session("stc.truongphong").post(f"{head_path}/complete", json={}).status_code == 200
    assert leader.post(f"{head_path}/edit", json={"title": "Muộn"}).status_code == 409
    # the list rows carry completion (from the catalog): done on time
    rows = {r["id"]: r for r in leader.get(f"{url}/{AGENCY}/@tasks", params={"list": "all"}).json()["all"]}
    assert rows[by_head["id"]]["completed_on"] == _day(0) and rows[by_head["id"]]["late"] is False
    assert rows[task["id"]]["completed_on"] == "" and rows[task["id"]]["late"] is None
