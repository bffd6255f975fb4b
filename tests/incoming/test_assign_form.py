"""The phiếu giải quyết and the registration form (issue 15, items 3 and 4): a department alone as
lead goes to its head; after an error the forms show again what was chosen and typed; the choice
lists show each person once, by name, never the user himself nor those who cannot act."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from plone import api
from plone.protect.authenticator import createToken
from tests.incoming.helpers import form_values
from tests.incoming.helpers import today

import datetime
import pytest
import re


def _registered(portal, **overrides):
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(portal["so-tttt"], incoming.clean(form_values(**overrides)), register=True)
    return portal.unrestrictedTraverse(result["path"])


def _form(doc, form):
    request = doc.REQUEST
    request.method = "POST"
    request.form.clear()
    request.form.update(form, **{"form.submitted": "1", "_authenticator": createToken()})
    request.other.update(request.form)
    return api.content.get_view("phan-cong", doc, request)()


def _dmy(days):
    return (today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def test_a_department_alone_as_lead_goes_to_its_head(portal):
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"department": "cntt", "deadline": (today()).isoformat()}})
        lead = [e for e in handling.info(doc)["entries"] if e["kind"] == "lead"]
    assert api.content.get_state(doc) == "assigned"
    assert [(e["department"], e["user"]) for e in lead] == [("cntt", "stttt.truongphong")]


def test_the_form_accepts_a_department_alone(portal):
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        _form(doc, {"lead_department": "cntt", "lead_user": "", "direction": "Phòng CNTT tham mưu"})
        assert doc.REQUEST.response.getStatus() == 302
    assert api.content.get_state(doc) == "assigned"
    assert doc.qlvb_assignment[0]["department"] == "cntt"


def test_the_form_keeps_what_was_chosen_after_an_error(portal):
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        html = _form(doc, {"lead_department": "cntt", "lead_user": "stttt.truongphong",
                           "lead_deadline": "31/02/2099", "coordinators": ["stttt.chuyenvien"],
                           "coordinator_deadline": _dmy(4), "fyi": ["stttt.luutru"],
                           "direction": "Khẩn trương tham mưu"})
    assert doc.REQUEST.response.getStatus() == 400
    assert "dd/mm/yyyy" in html or "dd/mm/yyyy" in html.lower()
    assert re.search(r'<option value="cntt"\s+selected="selected"', html)
    assert re.search(r'<option value="stttt.truongphong"\s+selected="selected"', html)
    assert 'value="31/02/2099"' in html and f'value="{_dmy(4)}"' in html
    for name in ("coordinators", "fyi"):
        chosen = re.search(rf'name="{name}:list".*?</select>', html, re.S).group(0)
        assert chosen.count('selected="selected"') == 1
    assert "Khẩn trương tham mưu</textarea>" in html
    assert "Phân công</button>" in html and "Giao vai trò" not in html
    assert api.content.get_state(doc) == "registered"


def test_deadlines_start_from_the_due_date(portal):
    doc = _registered(portal, due_date=(today() + datetime.timedelta(days=9)).isoformat())
    with api.env.adopt_user(username="stttt.lanhdao"):
        html = api.content.get_view("phan-cong", doc, doc.REQUEST)()
    assert html.count(f'value="{_dmy(9)}"') == 2  # lead and coordinators


def test_choice_lists_show_each_person_once_by_name(portal):
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        view = api.content.get_view("phan-cong", doc, doc.REQUEST)
        html = view()
        lead = [m["username"] for g in view.groups("lead") for m in g["members"]]
        coordinators = [m["username"] for g in view.groups("coordinator") for m in g["members"]]
        fyi = [m["username"] for g in view.groups("fyi") for m in g["members"]]
    for names in (lead, coordinators, fyi):
        assert len(names) == len(set(names))  # the demo head is in every department: listed once
        assert "stttt.lanhdao" not in names  # never the user himself
        assert not {"stttt.quantri", "stttt.antt"} & set(names)  # administrators cannot act
    assert lead[0] == "stttt.truongphong" and "stttt.chuyenvien" in lead
    assert "stttt.vanthu" not in coordinators and "stttt.luutru" not in coordinators
    assert "stttt.luutru" in fyi
    labels = re.findall(r"<option value=\"stttt\.[^\"]+\"[^>]*>([^<]*)</option>", html)
    assert labels and not [label for label in labels if "stttt." in label]  # no account names


@pytest.mark.parametrize("chosen_file", [True, False])
def test_registration_form_keeps_the_fields_and_the_file(portal, chosen_file):
    from dongthap.qlvb.demo.incoming import make_pdf

    import io

    class Upload(io.BytesIO):  # what a form upload offers the view: a file with its name
        filename = "cv44.pdf"

    agency = portal["so-tttt"]
    request = agency.REQUEST
    request.method = "POST"
    request.form.clear()
    request.form.update({
        "form.submitted": "1", "title": "Về việc giữ dữ liệu đã nhập",
        "document_type": "cong_van", "code_number": "44", "code_notation": "UBND-VP",
        "issued_date": "99/99/2026", "issuing_agency_name": "UBND tỉnh Đồng Tháp", "urgency": "khan",
        "due_date": _dmy(6), "source": "paper", "register": "1",
        "file": Upload(make_pdf(["x"])) if chosen_file else "",
    })
    with api.env.adopt_user(username="stttt.vanthu"):
        request.form["_authenticator"] = createToken()
        html = api.content.get_view("vao-so-van-ban-den", agency, request)()
    assert request.response.getStatus() == 400
    assert "Về việc giữ dữ liệu đã nhập</textarea>" in html
    for value in ("44", "UBND-VP", "99/99/2026", "UBND tỉnh Đồng Tháp", _dmy(6)):
        assert f'value="{value}"' in html
    assert re.search(r'<option value="khan"\s+selected="selected"', html)
    # the chosen PDF is kept on the server (issue 15): nothing to choose again
    assert "qlvb-choose-again" not in html
    assert ("Tệp đã chọn: <strong>cv44.pdf</strong> (giữ lại)" in html) is chosen_file
    assert ('name="kept_file"' in html) is chosen_file
    assert 'class="form-label qlvb-required"' in html


def test_a_head_distributes_within_his_own_deadline(portal):
    doc = _registered(portal, due_date=(today() + datetime.timedelta(days=9)).isoformat())
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"department": "cntt",
                                       "deadline": (today() + datetime.timedelta(days=5)).isoformat()}})
    with api.env.adopt_user(username="stttt.truongphong"):
        view = api.content.get_view("phan-cong", doc, doc.REQUEST)
        html = view()
        offered = [m["username"] for g in view.groups("reassign") for m in g["members"]]
    assert re.search(rf'id="deadline"[^>]*value="{_dmy(5)}"', html)
    assert offered == ["stttt.chuyenvien"]  # not himself
