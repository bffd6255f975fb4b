"""Bad input to ``@incoming`` and ``@outgoing``: a translated 4xx, never a 5xx, nothing stored.

Every case is sent through real HTTP, as the clerk (incoming, with ``"register": true``) or the
specialist (outgoing). Each answer must be a 4xx (413 for a file over the upload limit) with a
Vietnamese message, without exception text, without echoing a long bad value; no document may be
created and no arrival number consumed (the next registration gets the next number). Also: the
links ``in_reply_to``/``replaces`` accept only documents of the user's own agency, and answer the
same for "another agency's" as for "does not exist"; downloads are sent with ``nosniff``.
The forms go through the same validation. ``GUARDS`` are inputs that were already refused
before the shared validation existed (every other case here failed on the old code).
"""

from dongthap.qlvb.demo.incoming import make_pdf
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.incoming import helpers as inc
from tests.outgoing import helpers as out

import base64
import json
import pytest
import uuid

LONG = "Quyết định " * 100_000  # about 1 MB
PDF = make_pdf(["UBND TỈNH ĐỒNG THÁP", "Văn bản thử dữ liệu sai"])
#: Starts like a PDF, then a web page: no PDF reader can open it.
FAKE_PDF = b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>\n"
TRUNCATED_PDF = PDF[: len(PDF) // 2]
VIETNAMESE_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
EXCEPTION_WORDS = ("Traceback", "Error(", "Exception", "TooLong", "ConstraintNotSatisfied",
                   "WrongType", "TypeError", "ValueError", "KeyError", "AttributeError")


def file_json(data=PDF, filename="van-ban.pdf"):
    return {"data": base64.b64encode(data).decode(), "encoding": "base64", "filename": filename,
            "content-type": "application/pdf"}


#: (case id, overrides of a valid body); on both services.
COMMON = [
    ("file-data-number", {"file": {"data": 123, "encoding": "base64", "filename": "a.pdf"}}),
    ("file-filename-number", {"file": {"data": base64.b64encode(PDF).decode(), "filename": 123}}),
    ("file-is-a-list", {"file": [1, 2]}),
    ("file-filename-crlf", {"file": file_json(filename="a\r\nSet-Cookie: x=1.pdf")}),
    ("attachments-null", {"attachments": [None]}),
    ("attachments-empty-object", {"attachments": [{}]}),
    ("attachments-not-a-list", {"attachments": "a.pdf"}),
    ("attachment-filename-crlf", {"attachments": [file_json(filename="b\nc.pdf")]}),
    ("title-too-long", {"title": LONG}),
    ("title-multi-line", {"title": "Dòng một\nDòng hai"}),
    ("title-list", {"title": ["a", "b"]}),
    ("title-object", {"title": {"a": 1}}),
    ("signer-position-5000", {"signer_position": "G" * 5000}),
    ("pdf-only-header", {"file": file_json(FAKE_PDF)}),
    ("pdf-truncated", {"file": file_json(TRUNCATED_PDF)}),
    ("attachment-only-header", {"attachments": [file_json(FAKE_PDF, "pl.pdf")]}),
    ("due-date-9999", {"due_date": "9999-12-31"}),
    ("page-amount-bool", {"page_amount": True}),
    ("comment-object", {"comment": {"x": 1}}),
]
INCOMING = COMMON + [
    ("register-no", {"register": "no"}),
    ("register-number", {"register": 1}),
    ("issued-0001", {"issued_date": "0001-01-01"}),
    ("issued-1900", {"issued_date": "01/01/1900"}),
    ("code-number-list", {"code_number": ["15"]}),
    ("signer-name-multi-line", {"signer_name": "Trần\r\nVăn Bình"}),
]
OUTGOING = COMMON + [
    ("copy-holder-5000", {"copy_holder": "L" * 5000}),
    ("copy-holder-multi-line", {"copy_holder": "Lưu: VT\nVP"}),
    ("signer-list", {"signer": ["stttt.lanhdao"]}),
]


#: Inputs that were refused correctly before; kept as guards of the shared validation.
GUARDS_COMMON = [
    ("due-date-number", {"due_date": 20260101}),
    ("document-type-list", {"document_type": ["cong_van"]}),
    ("urgency-number", {"urgency": 1}),
    ("page-amount-text", {"page_amount": "nhiều"}),
]
GUARDS = [("@incoming", n, o) for n, o in GUARDS_COMMON + [
    ("issued-date-garbage", {"issued_date": "2026-02-30"}),
    ("issuing-agency-code-unicode", {"issuing_agency_code": "000.00.00.Hđ"}),
]] + [("@outgoing", n, o) for n, o in GUARDS_COMMON + [
    ("internal-recipients-object", {"internal_recipients": {"a": 1}}),
    ("external-recipients-number", {"external_recipients": 5}),
    ("in-reply-to-object", {"in_reply_to": {"uid": "x"}}),
    ("replaces-list", {"replaces": ["x"]}),
    ("issued-amount-zero", {"issued_amount": 0}),
]]


#: What the message of the field must say (the old answers said only "giá trị không hợp lệ").
EXPLAINED = {
    "title-too-long": "500", "title-multi-line": "một dòng", "signer-position-5000": "100",
    "signer-name-multi-line": "một dòng", "copy-holder-5000": "200", "copy-holder-multi-line": "một dòng",
    "issued-0001": "1945", "issued-1900": "1945", "due-date-9999": "năm năm",
    "file-filename-crlf": "xuống dòng", "attachment-filename-crlf": "xuống dòng",
    "pdf-only-header": "PDF", "pdf-truncated": "PDF", "attachment-only-header": "PDF",
}


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def admin():
    return out.session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def count(url, portal_type):
    r = admin().get(f"{url}/@search", params={"portal_type": portal_type, "b_size": 1})
    assert r.status_code == 200, r.text
    return r.json()["items_total"]


def uid_of(url, path):
    r = admin().get(f"{url}/{path}")
    assert r.status_code == 200, r.text
    return r.json()["UID"]


def register_one(url):
    """A valid document registered at once: its arrival number."""
    r = inc.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=inc.payload(register=True))
    assert r.status_code == 201, r.text
    return r.json()["arrival_number"]


def assert_clean_error(r, statuses=(400,)):
    assert r.status_code in statuses, (r.status_code, r.text[:500])
    text = r.text
    assert len(text) < 5000, "the answer echoes the bad value"
    for word in EXCEPTION_WORDS:
        assert word not in text, (word, text[:500])
    body = r.json()["error"]
    messages = " ".join([body["message"]] + [e["message"] for e in body.get("errors", [])])
    # Vietnamese: the general message and every field message are translated.
    for message in [body["message"]] + [e["message"] for e in body.get("errors", [])]:
        assert set(message.lower()) & VIETNAMESE_LETTERS, messages
    return body


def assert_names_field(error, case, overrides):
    """The error lists the field that was wrong, with a message saying what is wrong."""
    (field,) = overrides
    messages = [e["message"] for e in error.get("errors", []) if e["field"] == field]
    assert messages, error
    if case in EXPLAINED:
        assert any(EXPLAINED[case] in m for m in messages), messages


@pytest.mark.parametrize("case, overrides", INCOMING, ids=[n for n, _o in INCOMING])
def test_incoming_bad_input(url, case, overrides):
    before = count(url, "IncomingDocument")
    first = register_one(url)
    body = dict(inc.payload(register=True), **overrides)
    r = inc.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=body)
    assert_names_field(assert_clean_error(r), case, overrides)
    assert register_one(url) == first + 1, "a number was consumed"
    assert count(url, "IncomingDocument") == before + 2, "a document was created"


def _outgoing_body(url, **overrides):
    body = out.payload([uid_of(url, "so-noi-vu")])
    body.update(overrides)
    return body


@pytest.mark.parametrize("case, overrides", OUTGOING, ids=[n for n, _o in OUTGOING])
def test_outgoing_bad_input(url, case, overrides):
    before = count(url, "OutgoingDocument")
    body = _outgoing_body(url, **overrides)
    r = out.session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=body)
    assert_names_field(assert_clean_error(r), case, overrides)
    assert count(url, "OutgoingDocument") == before


def test_long_title_is_not_echoed_and_names_the_field(url):
    for service, user, body in (
        ("@incoming", "stttt.vanthu", inc.payload(title=LONG)),
        ("@outgoing", "stttt.chuyenvien", _outgoing_body(url, title=LONG)),
    ):
        r = out.session(user).post(f"{url}/so-tttt/{service}", json=body)
        error = assert_clean_error(r)
        title = [e["message"] for e in error["errors"] if e["field"] == "title"]
        assert title and "Trích yếu" in title[0] and "500" in title[0], error


@pytest.mark.parametrize("service", ["@incoming", "@outgoing"])
def test_upload_over_the_limit_is_413_naming_the_limit(url, service, monkeypatch):
    monkeypatch.setenv("QLVB_CLAMD_MAX_SIZE", "1M")
    big = PDF.replace(b"%%EOF", b"%" + b"x" * (1024 * 1024) + b"\n%%EOF")
    if service == "@incoming":
        user, body = "stttt.vanthu", inc.payload(register=True, file=file_json(big))
    else:
        user, body = "stttt.chuyenvien", _outgoing_body(url, file=file_json(big))
    portal_type = "IncomingDocument" if service == "@incoming" else "OutgoingDocument"
    before = count(url, portal_type)
    r = out.session(user).post(f"{url}/so-tttt/{service}", json=body)
    error = assert_clean_error(r, statuses=(413,))
    assert "1 MB" in json.dumps(error, ensure_ascii=False), error
    assert count(url, portal_type) == before


def test_downloads_are_not_sniffed(url):
    r = inc.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=inc.payload())
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    for view in ("@@download/file", "@@display-file/file"):
        got = inc.session("stttt.vanthu").get(f"{doc}/{view}")
        assert got.status_code == 200 and got.content == inc.PDF
        assert got.headers.get("X-Content-Type-Options") == "nosniff", (view, dict(got.headers))


@pytest.mark.parametrize("service, case, overrides", GUARDS,
                         ids=[f"{s[1:]}-{n}" for s, n, _o in GUARDS])
def test_already_refused_inputs_stay_refused(url, service, case, overrides):
    if service == "@incoming":
        user, body = "stttt.vanthu", dict(inc.payload(), **overrides)
    else:
        user, body = "stttt.chuyenvien", _outgoing_body(url, **overrides)
    r = out.session(user).post(f"{url}/so-tttt/{service}", json=body)
    assert_names_field(assert_clean_error(r), case, overrides)


FORM_CASES = [
    ("title", "Dòng một\r\nDòng hai"),
    ("issued_date", "01/01/0001"),
    ("due_date", "31/12/9999"),
    ("file", (FAKE_PDF, "gia.pdf")),
    ("file", (PDF, "ten\nxuong-dong.pdf")),
]


@pytest.mark.parametrize("field, value", FORM_CASES, ids=[f"{f}-{i}" for i, (f, _v) in enumerate(FORM_CASES)])
def test_forms_use_the_same_validation(demo, field, value):
    """The forms (``@@vao-so-van-ban-den``, ``@@soan-van-ban-di``) send strings and uploads to the
    same ``clean`` as the REST services: the same problems are refused, naming the field."""
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.outgoing import api as outgoing
    from plone import api

    raw = inc.form_values(**{field: value}) if field != "file" else dict(inc.form_values(), file=value)
    raw = {k: (str(v) if isinstance(v, int) else v) for k, v in raw.items()}
    with pytest.raises(incoming.IncomingError) as refused:
        incoming.clean(raw)
    assert field in {e["field"] for e in refused.value.errors}
    if field in ("issued_date",):
        return
    agency = demo["so-tttt"]
    draft = {"title": "V/v thử", "document_type": "cong_van", "signer": "stttt.lanhdao",
             "signer_position": "GIÁM ĐỐC", "file": (PDF, "du-thao.pdf"), field: value}
    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(outgoing.OutgoingError) as bad:
        outgoing.clean(agency, draft)
    assert field in {e["field"] for e in bad.value.errors}


# ---------------------------------------------------------------- cross-agency links


def _draft(url, user, agency, **overrides):
    body = out.payload([], **overrides)
    prefix = user.split(".")[0]
    body.update(signer=f"{prefix}.lanhdao", internal_recipients=[uid_of(url, "so-tttt")])
    return out.session(user).post(f"{url}/{agency}/@outgoing", json=body)


def test_links_only_to_documents_of_the_own_agency(url):
    stc = "so-tai-chinh"
    # Sở Nội vụ's documents: an outgoing draft and an incoming document.
    foreign_out = _draft(url, "snv.chuyenvien", "so-noi-vu")
    assert foreign_out.status_code == 201, foreign_out.text
    foreign_in = inc.session("snv.vanthu").post(f"{url}/so-noi-vu/@incoming", json=inc.payload())
    assert foreign_in.status_code == 201, foreign_in.text
    unknown = uuid.uuid4().hex
    for field, foreign in (("replaces", foreign_out.json()["uid"]),
                           ("in_reply_to", [foreign_in.json()["uid"]])):
        missing = unknown if field == "replaces" else [unknown]
        not_ours = _draft(url, "stc.chuyenvien", stc, **{field: foreign})
        absent = _draft(url, "stc.chuyenvien", stc, **{field: missing})
        assert not_ours.status_code == 400, (field, not_ours.text)
        # The same answer: nobody learns whether the id exists in another agency.
        assert not_ours.status_code == absent.status_code
        assert not_ours.json() == absent.json(), field
        assert field in {e["field"] for e in not_ours.json()["error"]["errors"]}
    # The agency's own documents are accepted.
    own_out = _draft(url, "stc.chuyenvien", stc)
    assert own_out.status_code == 201, own_out.text
    ok = _draft(url, "stc.chuyenvien", stc, replaces=own_out.json()["uid"])
    assert ok.status_code == 201, ok.text


def test_issuing_never_marks_another_agencys_document(url):
    """Even a link set by a generic ``PATCH`` writes nothing into another agency's document."""
    victim = _draft(url, "snv.chuyenvien", "so-noi-vu")
    assert victim.status_code == 201, victim.text
    victim_url, victim_uid = victim.json()["url"], victim.json()["uid"]
    body = out.payload([uid_of(url, "so-noi-vu")])
    mine = out.session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=body)
    assert mine.status_code == 201, mine.text
    doc = mine.json()["url"]
    out.session("stttt.chuyenvien").patch(doc, json={"replaces": victim_uid})
    steps = [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign"), ("stttt.vanthu", "issue")]
    for user, transition in steps:
        r = out.session(user).post(f"{doc}/@workflow/{transition}", json={})
        assert r.status_code == 200, (transition, r.text)
    info = admin().get(f"{victim_url}/@review-comments").json()
    assert info["replaced_by"] is None, info["replaced_by"]


PATCHES = [
    ("file-data-number", {"file": {"data": 123, "filename": "a.pdf"}}),
    ("file-filename-crlf", {"file": file_json(filename="a\r\nb.pdf")}),
    ("file-is-a-number", {"file": 5}),
    ("pdf-only-header", {"file": file_json(FAKE_PDF)}),
    ("due-date-9999", {"due_date": "9999-12-31"}),
]


@pytest.mark.parametrize("service, case, change", [(s, n, c) for s in ("@incoming", "@outgoing")
                                                   for n, c in PATCHES],
                         ids=[f"{s[1:]}-{n}" for s in ("@incoming", "@outgoing") for n, _c in PATCHES])
def test_generic_patch_of_a_document(url, service, case, change):
    """plone.restapi's ``PATCH`` checks the same schema: a 400, never a 500, the file unchanged."""
    if service == "@incoming":
        user, body = "stttt.vanthu", inc.payload()
    else:
        user, body = "stttt.chuyenvien", _outgoing_body(url)
    created = out.session(user).post(f"{url}/so-tttt/{service}", json=body)
    assert created.status_code == 201, created.text
    doc = created.json()["url"]
    r = out.session(user).patch(doc, json=change)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    for word in EXCEPTION_WORDS[:3] + ("ComponentLookupError", "IStorage"):
        assert word not in r.text, r.text[:300]
    got = out.session(user).get(f"{doc}/@@download/file")
    assert got.status_code == 200
    assert got.content == (inc.PDF if service == "@incoming" else out.PDF)


def test_pdf_check_is_quick_on_crafted_files():
    """A file that only looks like a PDF at both ends is refused without the reader's slow recovery."""
    import time

    from dongthap.qlvb.documents.validation import pdf_problem

    crafted = b"%PDF-1.7\n<html>" + b"a" * 5_000_000 + b"\nstartxref\n12\n%%EOF\n"
    started = time.perf_counter()
    assert pdf_problem(crafted) is not None
    assert time.perf_counter() - started < 1.0
    assert pdf_problem(PDF) is None
    assert pdf_problem(PDF.replace(b"%%EOF", b"% ban 2\n%%EOF")) is None  # tolerated like viewers do
    assert pdf_problem(TRUNCATED_PDF) is not None and pdf_problem(FAKE_PDF) is not None


# ---------------------------------------------------------------- the newest entry paths
#
# The same rules for the services and pages added since: a Vietnamese 4xx naming the field, never
# a 5xx, nothing stored, no long value echoed; Zope's own refusals (no such address or method, not
# allowed) in Vietnamese and with the ``error`` object too; HTML pages survive a parameter given
# twice (a list). Every case here was a 5xx, or was accepted, before.

XSS = "<script>alert(1)</script>"
CHAIN = (("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"), ("stttt.lanhdao", "approve"),
         ("stttt.lanhdao", "sign"), ("stttt.vanthu", "issue"))


def _made(url, *names):
    """The documents ``names`` a case acts on (the demo site starts afresh for every test):
    ``mine`` a registered incoming document of Sở TT&TT, ``approved`` its outgoing document waiting
    for the signature, ``issued`` one issued to Sở Nội vụ (the recipient ``key``)."""
    snv = uid_of(url, "so-noi-vu")
    made = {"key": f"agency:{snv}"}
    if "mine" in names:
        made["mine"] = inc.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming",
                                                        json=inc.payload(register=True)).json()
    for name, last in (("approved", "approve"), ("issued", "issue")):
        if name not in names:
            continue
        doc = out.session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=out.payload([snv])).json()
        for user, transition in CHAIN:
            r = out.session(user).post(f"{doc['url']}/@workflow/{transition}", json={})
            assert r.status_code == 200, (transition, r.text)
            if transition == last:
                break
        made[name] = doc
    return made


def _copy_body(made, **overrides):
    body = {"original": made["mine"]["uid"], "copy_form": "sao_y", "signer": "stttt.lanhdao",
            "signer_position": "GIÁM ĐỐC", "place": "Đồng Tháp", "recipients": "Sở Nội vụ"}
    body.update(overrides)
    return body


def _scan():
    from dongthap.qlvb_testing.scans import make_scan

    return {"data": base64.b64encode(make_scan(300)).decode(), "filename": "quet.pdf"}


#: (case, user, method, where, body (a dict, or bytes sent as a JSON body), status, field)
#: ``where`` is a path below the site, or a key of :func:`_made` followed by the service.
CLERK, ADMIN = "stttt.vanthu", "stttt.quantri"
COPIES, SUGGEST, TWO_FACTOR = "so-tttt/@copies", "so-tttt/@incoming-suggestions", "so-tttt/@two-factor-policy"
PAPER, DEADLINES = "approved/@issue-paper", "issued/@reply-deadlines"
SERVICES = [
    ("copies-form-list", CLERK, "POST", COPIES, {"copy_form": ["sao_y"]}, 400, "copy_form"),
    ("copies-form-object", CLERK, "POST", COPIES, {"copy_form": {"a": 1}}, 400, "copy_form"),
    ("copies-medium-number", CLERK, "POST", COPIES, {"copy_medium": 5}, 400, "copy_medium"),
    ("copies-signer-list", CLERK, "POST", COPIES, {"signer": ["stttt.lanhdao"]}, 400, "signer"),
    ("copies-place-multi-line", CLERK, "POST", COPIES, {"place": "Đồng\r\nTháp"}, 400, "place"),
    ("copies-recipients-5000", CLERK, "POST", COPIES, {"recipients": "N" * 5000}, 400,
     "recipients"),
    ("copies-pages-bool", CLERK, "POST", "so-tttt/@copies",
     {"copy_form": "trich_sao", "page_from": True, "page_to": True}, 400, "page_from"),
    ("copies-pages-huge", CLERK, "POST", "so-tttt/@copies",
     {"copy_form": "trich_sao", "page_from": 1, "page_to": 10**30}, 400, "page_to"),
    ("copies-comment-long", CLERK, "POST", COPIES, {"comment": "y" * 3000}, 400, "comment"),
    ("copies-comment-list", CLERK, "POST", COPIES, {"comment": ["y"]}, 400, "comment"),
    ("two-factor-mode-list", ADMIN, "PATCH", TWO_FACTOR, {"mode": ["off"]}, 400, "mode"),
    ("two-factor-mode-object", ADMIN, "PATCH", TWO_FACTOR, {"mode": {"a": 1}}, 400,
     "mode"),
    ("suggestions-not-json", CLERK, "POST", SUGGEST, b"{bad", 400, None),
    ("suggestions-array", CLERK, "POST", SUGGEST, b"[1, 2]", 400, None),
    ("issue-paper-comment-long", CLERK, "POST", PAPER, {"comment": "y" * 3000}, 400,
     "comment"),
    ("issue-paper-comment-object", CLERK, "POST", PAPER, {"comment": {"a": 1}}, 400,
     "comment"),
    ("reply-deadline-9999", CLERK, "POST", DEADLINES, {"deadlines": "31/12/9999"}, 400,
     "deadlines"),
    ("reply-deadline-2099", CLERK, "POST", DEADLINES, {"deadlines": "01/01/2099"}, 400,
     "deadlines"),
    ("transfer-note-list", "stttt.luutru", "POST", "so-tttt/@archive-transfers",
     {"dossiers": [], "note": ["a"]}, 400, "note"),
    ("notifications-id-huge", CLERK, "POST", "@notifications", {"ids": [10**30]}, 400, "ids"),
    ("notifications-id-bool", CLERK, "POST", "@notifications", {"ids": [True]}, 400, "ids"),
    ("notifications-kind-long", CLERK, "POST", "@notifications/preferences", {"off": ["x" * 100_000]},
     400, "off"),
    ("export-kind-long", "stttt.lanhdao", "POST", "so-tttt/@export-jobs",
     {"kind": "k" * 100_000, "name": "edoc", "params": {"format": "xlsx"}}, 400, "kind"),
    # Zope's own refusals, in Vietnamese with the error object
    # the wrong method on a service of ours: 405 (with Allow); logged in but not allowed: 403, not 401
    ("wrong-method-put", CLERK, "PUT", "so-tttt/@copies", {}, 405, None),
    ("wrong-method-get", CLERK, "GET", "mine/@recall-destroy", None, 405, None),
    ("other-agency-copies", "snv.vanthu", "GET", "so-tttt/@copies", None, 403, None),
    ("other-agency-refuse-recall", "snv.vanthu", "POST", "mine/@recall-refuse", {"reason": "x"}, 403, None),
    ("other-agency-issue-paper", "snv.vanthu", "POST", "approved/@issue-paper", {}, 403, None),
]


def _where(url, made, where):
    first, _sep, rest = where.partition("/")
    return f"{made[first]['url']}/{rest}" if first in made else f"{url}/{where}"


def _copies_count(url):
    return count(url, "DocumentCopy")


ON_DOCUMENTS = [c for c in SERVICES if c[3].partition("/")[0] in ("approved", "issued")]
COPIES_CASES = [c for c in SERVICES if c[0].startswith("copies-")]
ON_AGENCY = [c for c in SERVICES if c not in ON_DOCUMENTS and c not in COPIES_CASES]


@pytest.mark.parametrize("case, user, method, where, body, status, field", ON_AGENCY,
                         ids=[c[0] for c in ON_AGENCY])
def test_newest_services_refuse_bad_input(url, case, user, method, where, body, status, field):
    first = where.partition("/")[0]
    made = _made(url, first)
    _refused(url, made, case, user, method, where, body, status, field)


def test_newest_services_refuse_bad_input_of_copies(url):
    """The cases of ``@copies``, on one registered original (each case names itself on failure)."""
    made = _made(url, "mine")
    for case in COPIES_CASES:
        _refused(url, made, *case)


def test_newest_services_refuse_bad_input_on_documents(url):
    """The cases on an outgoing document waiting for its signature or issued (made once: the
    workflow takes a while)."""
    made = _made(url, "approved", "issued")
    for case in ON_DOCUMENTS:
        _refused(url, made, *case)


def _refused(url, made, case, user, method, where, body, status, field):
    target = _where(url, made, where)
    if case.startswith("copies-"):
        body = _copy_body(made, **body)
    elif case.startswith("issue-paper-"):
        body = dict(body, scan=_scan())
    elif case.startswith("reply-deadline-"):
        body = {"deadlines": {made["key"]: body["deadlines"]}}
    before = _copies_count(url)
    s = out.session(user)
    if isinstance(body, bytes):
        r = s.request(method, target, data=body, headers={"Content-Type": "application/json"})
    else:
        r = s.request(method, target, json=body)
    try:
        error = assert_clean_error(r, statuses=(status,))
    except AssertionError as failed:
        raise AssertionError(case) from failed
    if field:
        assert field in {e["field"] for e in error["errors"]}, (case, error)
    assert _copies_count(url) == before, "a copy was made"
    if case.startswith("issue-paper-"):  # no number was taken, nothing issued
        info = admin().get(made["approved"]["url"]).json()
        assert info["review_state"] == "approved" and not info.get("code_number"), info.get("review_state")


def test_search_and_refusals_survive_a_parameter_given_twice(url):
    r = out.session("stttt.vanthu").get(f"{url}/so-tttt/@search-documents",
                                        params=[("text", "a"), ("sort_on", "title"), ("sort_on", "created")])
    assert_clean_error(r)
    dup = inc.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=inc.payload()).json()
    for body, field in (({"duplicate_of": 5}, "duplicate_of"), ({"duplicate_of": True}, "duplicate_of"),
                        ({"reason": ["x"]}, "reason"), ({"reason": "x" * 5000}, "reason")):
        r = out.session("stttt.vanthu").post(f"{dup['url']}/@refuse-duplicate", json=body)
        assert field in {e["field"] for e in assert_clean_error(r)["errors"]}, body
    assert admin().get(dup["url"]).json()["review_state"] == "received"  # not refused


def test_malware_is_refused_as_malware_by_the_suggestions_and_the_dossier_import(url):
    from dongthap.qlvb.antivirus import eicar_bytes

    r = out.session("stttt.vanthu").post(f"{url}/so-tttt/@incoming-suggestions", json={"file": {
        "data": base64.b64encode(eicar_bytes()).decode(), "encoding": "base64", "filename": "cv.pdf"}})
    assert "Eicar" in assert_clean_error(r)["message"]
    r = out.session("stttt.luutru").post(f"{url}/so-tttt/@import-dossier", data=eicar_bytes(),
                                         headers={"Content-Type": "application/zip"})
    assert "Eicar" in assert_clean_error(r)["message"]
    page = out.session("stttt.luutru")
    page.headers["Accept"] = "text/html"
    token = _token(page, f"{url}/so-tttt/@@nhap-ho-so")
    r = page.post(f"{url}/so-tttt/@@nhap-ho-so", data={"_authenticator": token, "submitted": "1"},
                  files={"package": ("ho-so.zip", eicar_bytes(), "application/zip")})
    assert r.status_code == 400 and "Eicar" in r.text, r.status_code


def test_recall_refusal_reason_is_limited(url):
    snv = uid_of(url, "so-noi-vu")
    doc = out.session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing",
                                               json=out.payload([snv], title="V/v thu hồi lý do dài")).json()
    for user, transition in CHAIN:
        assert out.session(user).post(f"{doc['url']}/@workflow/{transition}", json={}).status_code == 200
    clerk = inc.session("snv.vanthu")
    lists = clerk.get(f"{url}/so-noi-vu/@incoming",
                      params={"list": "waiting_registration", "b_size": 500}).json()
    [copy] = [r for r in lists["waiting_registration"] if r["title"] == "V/v thu hồi lý do dài"]
    assert clerk.post(f"{copy['url']}/@workflow/register", json={}).status_code == 200
    assert out.session("stttt.lanhdao").post(f"{doc['url']}/@workflow/recall",
                                             json={"comment": "Sai"}).status_code == 200
    for reason in ("L" * 100_000, ["x"], {"a": 1}):
        r = clerk.post(f"{copy['url']}/@recall-refuse", json={"reason": reason})
        assert "reason" in {e["field"] for e in assert_clean_error(r)["errors"]}
    assert clerk.get(f"{copy['url']}/@recall-notice").json()["pending_destruction"]  # still frozen


def _token(s, page):
    import re

    found = re.search(r'name="_authenticator" value="([^"]+)"', s.get(page).text)
    assert found, page
    return found.group(1)


#: (case, user, page, query or form (list of pairs), POST?, statuses)
PAGES = [
    ("search-format-twice", "stttt.vanthu", "so-tttt/@@tim-kiem",
     [("text", "a"), ("format", "pdf"), ("format", "xlsx")], False, (200,)),
    ("search-sort-twice", "stttt.vanthu", "@@tim-kiem", [("text", "a"), ("sort_on", "a"), ("sort_on", "b")],
     False, (400,)),
    ("processing-kind-twice", "stttt.lanhdao", "so-tttt/@@bao-cao-giai-quyet", [("kind", "a"), ("kind", "b")],
     False, (400,)),
    ("notifications-start-twice", "stttt.vanthu", "@@thong-bao", [("b_start", "1"), ("b_start", "2")], False,
     (200,)),
    ("notifications-open-huge", "stttt.vanthu", "@@thong-bao/mo/" + "9" * 40, [], False, (404,)),
    ("notifications-read-not-a-number", "stttt.vanthu", "@@thong-bao", [("ids", "abc")], True, (400,)),
    ("two-factor-mode-twice", "stttt.quantri", "so-tttt/@@xac-thuc-hai-buoc-co-quan",
     [("mode", "off"), ("mode", "everyone")], True, (400,)),
    ("two-factor-mode-xss", "stttt.quantri", "so-tttt/@@xac-thuc-hai-buoc-co-quan", [("mode", XSS)], True,
     (400,)),
    ("transfer-agency-twice", SITE_OWNER_NAME, "@@xuat-nhap-du-lieu",
     [("action", "migrate"), ("agency", "so-tttt"), ("agency", "x"), ("kind", "incoming"),
      ("register", "/x.xlsx"), ("pdf_dir", "/tmp")], True, (400,)),
    ("transfer-agency-not-an-agency", SITE_OWNER_NAME, "@@xuat-nhap-du-lieu",
     [("action", "migrate"), ("agency", "so-tttt/van-ban-den"), ("kind", "incoming"),
      ("register", "/etc/passwd"), ("pdf_dir", "/tmp")], True, (400,)),
    ("transfer-import-elsewhere", SITE_OWNER_NAME, "@@xuat-nhap-du-lieu",
     [("action", "import"), ("name", "../../etc")], True, (400,)),
    ("transfer-import-twice", SITE_OWNER_NAME, "@@xuat-nhap-du-lieu", [("action", "import"), ("name", "a"),
                                                                       ("name", "b")], True, (400,)),
]


@pytest.mark.parametrize("case, user, page, values, post, statuses", PAGES, ids=[p[0] for p in PAGES])
def test_newest_pages_refuse_bad_input(url, case, user, page, values, post, statuses):
    s = admin() if user == SITE_OWNER_NAME else out.session(user)
    s.headers["Accept"] = "text/html"
    if post:
        values = [("_authenticator", _token(s, f"{url}/@@cai-dat-thong-bao")), *values]
        r = s.post(f"{url}/{page}", data=values, allow_redirects=False)
    else:
        r = s.get(f"{url}/{page}", params=values, allow_redirects=False)
    assert r.status_code in statuses, (r.status_code, r.text[-2000:])
    assert XSS not in r.text
    for word in ("Traceback", "TypeError", "AttributeError", "is not one of", "no manifest.json"):
        assert word not in r.text, word


def test_user_text_is_escaped_where_it_is_shown(url):
    """A copy whose place and recipients are a script: stored as text, shown escaped."""
    made = _made(url, "mine")
    r = out.session("stttt.vanthu").post(f"{url}/so-tttt/@copies",
                                         json=_copy_body(made, place=XSS, recipients=XSS,
                                                         signer_position=XSS))
    assert r.status_code == 201, r.text
    page = out.session("stttt.vanthu")
    page.headers["Accept"] = "text/html"
    text = page.get(r.json()["url"]).text
    assert XSS not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_report_xlsx_never_makes_a_formula_of_a_title():
    """A document titled ``=HYPERLINK(…)`` stays text in the XLSX of a report (no formula)."""
    import io
    import openpyxl

    from dongthap.qlvb.reports import export
    from dongthap.qlvb.reports.export import Report
    from dongthap.qlvb.reports.export import Table

    heading = type("H", (), {"agency_name": "Sở TT&TT", "period": "Quý 4", "printed_mark": "In ngày"})()
    report = Report(title="Báo cáo", heading=heading, tables=[Table(
        title="", header=[[("TT", 1), ("Trích yếu", 1)]], rows=[[1, '=HYPERLINK("http://x","bấm")'],
                                                               [2, "Dòng\x01lạ"]], widths=[5, 50])])
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx(report)))
    cells = [c for row in book.active.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_a_double_click_makes_one_copy(url):
    """The same copy asked twice at once (a double click, a form sent again): one copy, then 409."""
    made = _made(url, "mine")
    before = _copies_count(url)
    first = out.session("stttt.vanthu").post(f"{url}/so-tttt/@copies", json=_copy_body(made))
    again = out.session("stttt.vanthu").post(f"{url}/so-tttt/@copies", json=_copy_body(made))
    assert first.status_code == 201, first.text
    assert_clean_error(again, statuses=(409,))
    assert _copies_count(url) == before + 1
    other = out.session("stttt.vanthu").post(f"{url}/so-tttt/@copies",
                                             json=_copy_body(made, copy_form="sao_luc"))
    assert other.status_code == 201, other.text  # another form of copy is another copy


# ------------------------------------------------------------------ tasks, work calendar, delegations
def _in(days):
    import datetime

    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


TASK = {"title": "Triển khai kế hoạch", "text": "Nội dung", "lead": {"user": "stttt.chuyenvien"}}
EVENT = {"date": "10/12/2026", "start": "08:00", "end": "10:00", "content": "Họp giao ban",
         "chair": "stttt.lanhdao"}
DELEGATION = {"delegate": "stttt.truongphong", "scope": "both", "authority": "TUQ", "reason": "Đi công tác",
              "delegator_position": "GIÁM ĐỐC", "delegate_position": "TRƯỞNG PHÒNG"}
#: (case id, service, user, the valid body's overrides, field named); a walk by hand found each
#: (a 500, or a value stored that no user typed) unless marked as a guard in the comment.
SERVICE_CASES = [
    ("task-file-name-crlf", "@tasks", "stttt.lanhdao",
     {"attachments": [{"data": base64.b64encode(b"x").decode(), "encoding": "base64",
                       "filename": "a\r\nSet-Cookie: x=1.txt"}]}, "attachments"),
    ("task-deadline-9999", "@tasks", "stttt.lanhdao", {"deadline": "31/12/9999"}, "deadline"),
    ("task-deadline-31-02", "@tasks", "stttt.lanhdao", {"deadline": "31/02/2027"}, "deadline"),  # guard
    ("task-title-control", "@tasks", "stttt.lanhdao", {"title": "Việc\x00\x1b[31m một"}, "title"),
    ("task-title-rtl-override", "@tasks", "stttt.lanhdao", {"title": "Báo cáo \u202efdp.exe"}, "title"),
    ("task-text-bell", "@tasks", "stttt.lanhdao", {"text": "a\x07b"}, "text"),
    ("task-lead-both", "@tasks", "stttt.lanhdao",
     {"lead": {"user": "stttt.chuyenvien", "department": "cntt"}}, "lead"),
    ("task-lead-other-agency", "@tasks", "stttt.lanhdao",  # guard
     {"lead": {"user": "snv.chuyenvien"}}, "lead"),
    ("event-content-control", "@calendar", "stttt.vanthu", {"content": "Họp\x00\x1b[31m"}, "content"),
    ("event-place-rtl", "@calendar", "stttt.vanthu", {"place": "Phòng \u202ehọp"}, "place"),
    ("event-end-before-start", "@calendar", "stttt.vanthu", {"end": "07:00"}, "end"),  # guard
    ("event-chair-list", "@calendar", "stttt.vanthu", {"chair": ["stttt.lanhdao"]}, "chair"),  # guard
    ("delegation-authority-list", "@delegations", "stttt.lanhdao", {"authority": ["KT"]}, "authority"),
    ("delegation-authority-object", "@delegations", "stttt.lanhdao", {"authority": {"a": 1}}, "authority"),
    ("delegation-reason-control", "@delegations", "stttt.lanhdao", {"reason": "a\x00b"}, "reason"),
    ("delegation-position-rtl", "@delegations", "stttt.lanhdao",
     {"delegate_position": "PHÓ \u202eGIÁM ĐỐC"}, "delegate_position"),
    ("delegation-to-oneself", "@delegations", "stttt.lanhdao",  # guard
     {"delegate": "stttt.lanhdao"}, "delegate"),
]


def _stored(url, service):
    """What the service holds for the agency: tasks, the week's events, the leader's delegations."""
    if service == "@tasks":
        got = out.session("stttt.lanhdao").get(f"{url}/so-tttt/@tasks", params={"list": "all"})
        return len(got.json()["all"])
    if service == "@calendar":
        got = out.session("stttt.vanthu").get(f"{url}/so-tttt/@calendar", params={"week": "2026-W50"})
        return got.json()["items_total"]
    return len(out.session("stttt.lanhdao").get(f"{url}/so-tttt/@delegations").json()["given"])


def _service_body(service, overrides):
    if service == "@tasks":
        return {**TASK, "deadline": _in(10), **overrides}
    if service == "@calendar":
        return {**EVENT, **overrides}
    return {**DELEGATION, "start": _in(400), "end": _in(405), **overrides}


@pytest.mark.parametrize("case, service, user, overrides, field", SERVICE_CASES,
                         ids=[c[0] for c in SERVICE_CASES])
def test_tasks_calendar_delegations_bad_input(url, case, service, user, overrides, field):
    before = _stored(url, service)
    r = out.session(user).post(f"{url}/so-tttt/{service}", json=_service_body(service, overrides))
    error = assert_clean_error(r)
    assert field in [e["field"] for e in error.get("errors", [])], error
    assert _stored(url, service) == before, "something was stored"


def test_task_and_event_actions_refuse_lists_and_objects(url):
    """A list or an object where a word is expected: 400 naming the field (was a 500)."""
    leader, lead, office = (out.session(u) for u in ("stttt.lanhdao", "stttt.chuyenvien", "stttt.vanthu"))
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Rà soát thủ tục")  # Unikey's "Unicode tổ hợp"
    task = leader.post(f"{url}/so-tttt/@tasks", json=dict(TASK, title=nfd, deadline=_in(10))).json()
    assert task["title"] == "Rà soát thủ tục"  # stored in NFC, found and sorted like any other
    assert lead.post(f"{url}/so-tttt/@tasks/{task['id']}/complete", json={}).status_code == 200
    for result in (["dat"], {"a": 1}):
        error = assert_clean_error(leader.post(f"{url}/so-tttt/@tasks/{task['id']}/evaluate",
                                               json={"result": result}))
        assert [e["field"] for e in error["errors"]] == ["result"]
    event = office.post(f"{url}/so-tttt/@calendar", json=EVENT).json()
    for comment in (["x"], {"a": 1}, "a\x00b"):
        error = assert_clean_error(office.post(f"{url}/so-tttt/@calendar/{event['id']}/submit",
                                               json={"comment": comment}))
        assert [e["field"] for e in error["errors"]] == ["comment"]
    assert office.get(f"{url}/so-tttt/@calendar/{event['id']}").json()["state"] == "draft"


def _page_form(session, address):
    import re

    page = session.get(address)
    assert page.status_code == 200, address
    return re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)


def test_destructive_acts_ask_first_and_forms_survive_doubled_fields(url):
    """Cancelling a task or a published event, and new iCal addresses over old ones, show a
    confirmation first and change nothing; a field sent twice by a form is a Vietnamese answer."""
    import html

    leader = requests_session("stttt.lanhdao")
    api_leader = out.session("stttt.lanhdao")
    task = api_leader.post(f"{url}/so-tttt/@tasks", json=dict(TASK, deadline=_in(10))).json()
    token = _page_form(leader, task["@id"])
    r = leader.post(task["@id"], data={"_authenticator": token, "task_action": "cancel", "comment": "Thôi"})
    assert r.status_code == 200 and "qlvb-confirm" in r.text
    assert "Đồng ý hủy công việc" in html.unescape(r.text)
    assert api_leader.get(f"{url}/so-tttt/@tasks/{task['id']}").json()["state"] == "assigned"
    r = leader.post(task["@id"], data={"_authenticator": token, "task_action": "cancel", "comment": "Thôi",
                                       "confirmed": "1"})
    assert "Đã hủy công việc" in html.unescape(r.text)
    assert api_leader.get(f"{url}/so-tttt/@tasks/{task['id']}").json()["state"] == "cancelled"
    office = out.session("stttt.vanthu")
    event = office.post(f"{url}/so-tttt/@calendar", json=dict(EVENT, content="Sẽ hủy")).json()
    office.post(f"{url}/so-tttt/@calendar/{event['id']}/submit", json={})
    out.session("stttt.lanhdao").post(f"{url}/so-tttt/@calendar/{event['id']}/approve", json={})
    week = f"{url}/so-tttt/@@lich-cong-tac?week=2026-W50"
    token = _page_form(leader, week)
    r = leader.post(week, data={"_authenticator": token, "action": "cancel", "id": event["id"]})
    assert "qlvb-confirm" in r.text and "Sẽ hủy" in html.unescape(r.text)
    assert office.get(f"{url}/so-tttt/@calendar/{event['id']}").json()["state"] == "published"
    archivist = requests_session("stttt.luutru")  # his first addresses: made at once, said so
    r = archivist.post(week, data={"_authenticator": _page_form(archivist, week), "action": "reset"})
    assert "qlvb-confirm" not in r.text and "Đã tạo địa chỉ đăng ký lịch" in html.unescape(r.text)
    feed = out.session("stttt.lanhdao").get(f"{url}/so-tttt/@calendar/feed").json()["url"]
    r = leader.post(week, data={"_authenticator": token, "action": "reset"})
    assert "qlvb-confirm" in r.text
    assert out.session("stttt.lanhdao").get(f"{url}/so-tttt/@calendar/feed").json()["url"] == feed
    # a field twice: the action of the week page, the fields of the delegation form
    r = leader.post(week, data={"_authenticator": token, "action": ["approve", "cancel"], "id": event["id"]})
    assert r.status_code == 200 and "alert alert-danger" in r.text
    address = f"{url}/so-tttt/@@uy-quyen"
    token = _page_form(leader, address)
    r = leader.post(address, data=dict(DELEGATION, _authenticator=token, create="1", start=_in(400),
                                       end=_in(405), reason=["a", "b"], authority=["KT", "TL"]))
    assert r.status_code == 400 and "Chưa lưu ủy quyền" in html.unescape(r.text)


def requests_session(user):
    """A logged-in session that reads pages (HTML), not JSON."""
    import requests
    from dongthap.qlvb.demo.data import DEMO_PASSWORD

    s = requests.Session()
    s.auth = (user, DEMO_PASSWORD)
    return s
