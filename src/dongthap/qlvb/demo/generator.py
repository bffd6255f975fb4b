"""Large realistic data sets for capacity tests (issue #21): agencies, staff, documents.

``scripts/generate_data.py`` runs :func:`generate` on a site (FileStorage or
RelStorage, whatever the instance's zope.conf says); the integration test runs
it tiny. Everything is made through the same functions the users' requests call
— :func:`dongthap.qlvb.agencies.api.assign`, the incoming factory
(:func:`dongthap.qlvb.incoming.api.build_document`), the outgoing factory and
workflow (:func:`dongthap.qlvb.outgoing.api.create` / ``transition``), the
phiếu giải quyết (:func:`dongthap.qlvb.incoming.handling.assign`), progress,
internal delivery, the exchange outbox, dossiers — so numbers come from the real
gap-free register counters and every document is indexed as in production.

What is deliberately **not** done per document, for speed (docs/capacity.md):

* **signatures**: a PDF is signed once (person + agency seal, pyHanko, test
  PKI) when the run starts; the ``sign`` step of an outgoing document is
  skipped (its state is set to ``signed``, its trail says so) and ``issue``
  runs the real transition with this pre-signed PDF as its prepared files
  (:mod:`dongthap.qlvb.outgoing.issuing`): number from the register, notation,
  issue time, agency-signature report, delivery, external queue — only the
  pyHanko call is skipped. The stored report is the real verification of that
  one PDF (its number stamp therefore does not match the document's number);
* **antivirus**: run the generator with ``QLVB_CLAMD_ENABLED=0`` (the script's
  default) — scanning 100,000 files measures clamd, not us;
* **PDFs**: one small PDF per issuing agency, type and page count, rendered once and
  reused (the bytes; each document still gets its own blob, as uploads do);
* **notification e-mail**: the generated accounts (``…@example.invalid``) have e-mail
  notifications turned off in their preferences (:func:`mail_off`), as a user may do;
  the notifications themselves are stored as usual.

Runs in batches: each batch is one transaction (the API's own commits are
turned into savepoints, :class:`dongthap.qlvb.numbering.retry.savepoints_only`)
and the progress (:data:`PROGRESS_ATTR` on the site) is committed with it, so
a run stopped at any point continues where it stopped: the same seed gives
the same plan, and document ``i`` is always made the same way.
"""

from dongthap.qlvb.security import roles as R
from persistent.mapping import PersistentMapping
from plone import api

import collections
import contextlib
import datetime
import hashlib
import logging
import random
import time
import transaction
import unicodedata

logger = logging.getLogger("dongthap.qlvb.generator")

PROGRESS_ATTR = "_qlvb_generated"
PASSWORD = "Demo@2026"
#: PDFs kept in memory for reuse (~17 KB each; least recently used dropped first)
PDF_KEPT = 3000

# ---------------------------------------------------------------- the province (2025)

#: Provincial bodies after the 2025 merger (Đồng Tháp + Tiền Giang, two local levels):
#: (title, abbreviation, level, departments [(title, abbreviation)])
PROVINCIAL = (
    ("UBND tỉnh Đồng Tháp", "UBND", "province",
     (("Ban Tiếp công dân", "BTCD"), ("Văn phòng", "VP"))),
    ("Văn phòng UBND tỉnh", "VP", "unit",
     (("Phòng Hành chính - Tổ chức", "HCTC"), ("Phòng Kinh tế", "KT"), ("Phòng Tổng hợp", "TH"))),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "VPĐĐBQHHĐND", "unit", (("Phòng Công tác HĐND", "CTHĐND"),)),
    ("Sở Nội vụ", "SNV", "department",
     (("Phòng Tổ chức - Biên chế", "TCBC"), ("Phòng Xây dựng chính quyền", "XDCQ"))),
    ("Sở Tài chính", "STC", "department", (("Phòng Ngân sách", "NS"), ("Phòng Quản lý giá", "QLG"))),
    ("Sở Tư pháp", "STP", "department", (("Phòng Văn bản - Pháp chế", "VBPC"),)),
    ("Sở Xây dựng", "SXD", "department", (("Phòng Quản lý xây dựng", "QLXD"), ("Phòng Giao thông", "GT"))),
    ("Sở Nông nghiệp và Môi trường", "SNNMT", "department",
     (("Phòng Trồng trọt", "TT"), ("Phòng Tài nguyên nước", "TNN"), ("Phòng Đất đai", "ĐĐ"))),
    ("Sở Công Thương", "SCT", "department", (("Phòng Quản lý thương mại", "QLTM"),)),
    ("Sở Khoa học và Công nghệ", "SKHCN", "department",
     (("Phòng Chuyển đổi số", "CĐS"), ("Phòng Bưu chính - Viễn thông", "BCVT"))),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", "department", (("Phòng Quản lý du lịch", "QLDL"),)),
    ("Sở Giáo dục và Đào tạo", "SGDĐT", "department",
     (("Phòng Giáo dục phổ thông", "GDPT"), ("Phòng Kế hoạch - Tài chính", "KHTC"))),
    ("Sở Y tế", "SYT", "department", (("Phòng Nghiệp vụ Y", "NVY"), ("Phòng Nghiệp vụ Dược", "NVD"))),
    ("Sở Dân tộc và Tôn giáo", "SDTTG", "department", (("Phòng Tôn giáo", "TG"),)),
    ("Thanh tra tỉnh", "TTr", "department", (("Phòng Tiếp công dân", "TCD"),)),
    ("Ban Quản lý các khu công nghiệp", "BQLKCN", "department", (("Phòng Quản lý đầu tư", "QLĐT"),)),
    ("Đài Phát thanh và Truyền hình", "ĐPTTH", "unit", (("Phòng Thời sự", "TS"),)),
)
#: sub-units of the sở (chi cục, trung tâm…)
SUB_UNITS = (
    "Chi cục Thủy lợi", "Chi cục Kiểm lâm", "Chi cục Chăn nuôi và Thú y", "Chi cục Thủy sản",
    "Trung tâm Khuyến nông", "Trung tâm Công nghệ thông tin và Truyền thông",
    "Chi cục Văn thư - Lưu trữ", "Trung tâm Kiểm soát bệnh tật", "Chi cục Dân số",
    "Trung tâm Phục vụ hành chính công", "Trung tâm Xúc tiến thương mại",
    "Trung tâm Phát triển quỹ đất", "Văn phòng Đăng ký đất đai", "Chi cục Quản lý chất lượng",
)
#: Communes and wards of Đồng Tháp after 1/7/2025 (some of the 102; the rest are named
#: after the first ones with a numeral, as many as the run needs).
WARDS = ("Mỹ Tho", "Đạo Thạnh", "Mỹ Phong", "Thới Sơn", "Trung An", "Cao Lãnh", "Mỹ Ngãi",
         "Mỹ Trà", "Sa Đéc", "Hồng Ngự", "An Bình", "Thường Lạc", "Gò Công", "Long Thuận",
         "Sơn Qui", "Bình Xuân", "Cai Lậy", "Nhị Quý", "Thanh Hòa", "Mỹ Phước Tây")
COMMUNES = ("Tân Hồng", "Tân Thành", "Tân Hộ Cơ", "An Phước", "Thường Phước", "Long Khánh",
            "Long Phú Thuận", "An Hòa", "Tam Nông", "Phú Thọ", "Tràm Chim", "Phú Cường",
            "An Long", "Thanh Bình", "Tân Long", "Tân Thạnh", "Bình Thành", "Tháp Mười",
            "Mỹ Quí", "Đốc Binh Kiều", "Trường Xuân", "Phương Thịnh", "Phong Mỹ", "Ba Sao",
            "Mỹ Thọ", "Bình Hàng Trung", "Mỹ Hiệp", "Mỹ An Hưng", "Tân Khánh Trung",
            "Lấp Vò", "Lai Vung", "Tân Dương", "Hòa Long", "Phong Hòa", "Lấp Vò",
            "Tân Phước 1", "Hưng Thạnh", "Tân Phước 2", "Cái Bè", "Hậu Mỹ", "Mỹ Thiện",
            "Hội Cư", "Thạnh Phú", "Mỹ Lợi", "An Hữu", "Châu Thành", "Tân Hương", "Kim Sơn",
            "Bình Trưng", "Vĩnh Kim", "Chợ Gạo", "Bình Ninh", "Lương Hòa Lạc", "Tân Thuận Bình",
            "Gò Công Tây", "Vĩnh Bình", "Đồng Sơn", "Tân Phú Đông", "Tân Thới", "Gia Thuận",
            "Tân Điền", "Vàm Láng", "Kiểng Phước", "Long Điền", "Phú Thành", "Tân Hòa")
#: public service units under a commune: (title pattern, abbreviation)
SERVICE_UNITS = (("Trường Tiểu học {}", "TrTH"), ("Trường THCS {}", "TrTHCS"),
                 ("Trạm Y tế {}", "TYT"), ("Trường Mầm non {}", "TrMN"),
                 ("Trường THPT {}", "TrTHPT"), ("Công an {}", "CA"))

STAFF = (  # (login suffix, role, job title)
    ("vanthu", R.CLERK, "Văn thư"),
    ("lanhdao", R.LEADER, "Lãnh đạo"),
    ("truongphong", R.DEPARTMENT_HEAD, "Trưởng phòng"),
    ("chuyenvien", R.SPECIALIST, "Chuyên viên"),
    ("luutru", R.RECORDS_MANAGER, "Lưu trữ"),
)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Phan", "Trương")
GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hạnh", "Hữu Lộc", "Thanh Tâm",
         "Ngọc Lan", "Văn Phúc", "Thị Mai", "Hoàng Nam", "Kim Oanh", "Tấn Phát", "Thu Trang")

SUBJECTS = (
    "Về việc triển khai chuyển đổi số năm {year}", "Kế hoạch phòng, chống thiên tai năm {year}",
    "Báo cáo tình hình kinh tế - xã hội tháng {month}", "Mời họp giao ban công tác tháng {month}",
    "Hướng dẫn công tác văn thư, lưu trữ năm {year}", "V/v góp ý dự thảo quy hoạch sử dụng đất",
    "V/v kiện toàn tổ chức bộ máy sau sắp xếp đơn vị hành chính",
    "Kế hoạch tuyên truyền cải cách hành chính năm {year}",
    "V/v báo cáo kết quả giải ngân vốn đầu tư công tháng {month}",
    "Quyết định phê duyệt dự toán ngân sách năm {year}", "V/v tăng cường phòng chống dịch sốt xuất huyết",
    "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc",
    "V/v rà soát hộ nghèo, hộ cận nghèo năm {year}", "Kế hoạch tổ chức kỳ thi tốt nghiệp THPT năm {year}",
    "V/v bảo đảm an toàn thông tin mạng trong dịp lễ", "Báo cáo công tác cải cách hành chính quý {quarter}",
)
INCOMING_TYPES = ("cong_van", "cong_van", "cong_van", "bao_cao", "ke_hoach", "giay_moi",
                  "quyet_dinh", "thong_bao", "huong_dan", "to_trinh")
OUTGOING_TYPES = ("cong_van", "cong_van", "cong_van", "bao_cao", "ke_hoach", "thong_bao",
                  "quyet_dinh", "to_trinh", "giay_moi")
URGENCIES = ("thuong",) * 12 + ("khan", "khan", "thuong_khan", "hoa_toc")
EXTERNAL_ISSUERS = (("Bộ Nội vụ", "000.00.00.G09"), ("Văn phòng Chính phủ", "000.00.00.G22"),
                    ("Bộ Tài chính", "000.00.00.G12"), ("UBND tỉnh Vĩnh Long", "000.00.00.H62"),
                    ("Bộ Khoa học và Công nghệ", "000.00.00.G18"))


def slug(text):
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in text).split())


def plan_agencies(count):
    """The first ``count`` agencies of the generated province, in creation order.

    Each: ``{"id", "parent" (index or None), "title", "code", "abbreviation", "level",
    "departments"}``. Provincial bodies first, then communes and wards, then sub-units and
    public service units: about 1,000 in all for the real province.
    """
    plans = []

    def add(title, abbreviation, level, departments, parent=None):
        index = len(plans)
        plans.append({
            "id": f"{slug(title)}-g{index}" if parent is None else slug(title)[:40],
            "parent": parent, "title": title, "abbreviation": abbreviation, "level": level,
            # made-up codes (real sub-unit numbers come from the axis directory): the 9x.xx groups
            # are used by nobody else in this site
            "code": f"{index // 1000:03d}.{90 + index // 100 % 10}.{index % 100:02d}.H20",
            "departments": departments or (("Văn phòng", "VP"),),
        })
        return index

    provincial = [add(t, a, lv, d) for t, a, lv, d in PROVINCIAL]
    communes = []
    names = [("phường", n) for n in WARDS] + [("xã", n) for n in COMMUNES]
    for kind, name in names:
        communes.append(add(f"UBND {kind} {name}", "UBND", "commune",
                            (("Văn phòng HĐND và UBND", "VP"), ("Phòng Kinh tế", "KT"),
                             ("Phòng Văn hóa - Xã hội", "VHXH"))))
    extra = 0
    while len(communes) < 102:  # the province has 102 communes and wards
        extra += 1
        communes.append(add(f"UBND xã {COMMUNES[extra % len(COMMUNES)]} {extra + 1}", "UBND",
                            "commune", (("Văn phòng HĐND và UBND", "VP"),)))
    for n, title in enumerate(SUB_UNITS * 4):
        parent = provincial[2 + n % (len(provincial) - 2)]
        suffix = "" if n < len(SUB_UNITS) else f" khu vực {n // len(SUB_UNITS) + 1}"
        add(title + suffix, slug(title).replace("-", "")[:6].upper(), "unit", None, parent)
    n = 0
    while len(plans) < max(count, 1000):
        commune = communes[n % len(communes)]
        title_pattern, abbreviation = SERVICE_UNITS[n // len(communes) % len(SERVICE_UNITS)]
        round_ = n // (len(communes) * len(SERVICE_UNITS))
        place = plans[commune]["title"].replace("UBND ", "")
        title = title_pattern.format(place) + (f" số {round_ + 1}" if round_ else "")
        add(title, abbreviation, "unit", None, commune)
        n += 1
    return plans[:count]


#: share of the documents: UBND tỉnh, the other provincial bodies, communes, the other units
WEIGHTS = ((0.08, 0, 1), (0.30, 1, len(PROVINCIAL)), (0.30, len(PROVINCIAL), len(PROVINCIAL) + 102),
           (0.32, len(PROVINCIAL) + 102, None))


def pick_agency(rng, count):
    """The agency (index) of a document: the provincial bodies write and receive far more."""
    roll, below = rng.random(), 0.0
    for share, first, end in WEIGHTS:
        below += share
        end = count if end is None else min(end, count)
        if roll < below and first < end:
            return rng.randrange(first, end)
    return rng.randrange(count)


def _fullname(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"


# ---------------------------------------------------------------- PDFs and the pre-signed PDF


_PDF_CACHE = collections.OrderedDict()


def pdf_for(agency_title, doc_type, index, pages=1):
    """Small real PDF (Vietnamese text), rendered once per agency, type and page count.

    Rendering (reportlab, an embedded font) cost ~10 ms, more than 5 % of a generated
    document when each block of steps rendered its own; ``index`` no longer changes the bytes.
    """
    from dongthap.qlvb.demo.incoming import make_pdf

    key = (agency_title, doc_type, pages)
    data = _PDF_CACHE.get(key)
    if data is not None:
        _PDF_CACHE.move_to_end(key)
        return data
    data = _PDF_CACHE[key] = make_pdf(
        [agency_title.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         f"Văn bản loại {doc_type}", "Dữ liệu tạo tự động để đo hiệu năng"],
        pages=pages)
    while len(_PDF_CACHE) > PDF_KEPT:
        _PDF_CACHE.popitem(last=False)
    return data


_SIGNED = {}


def presigned_pdf():
    """``(bytes, report)``: a PDF signed once by a person and an agency seal (test PKI).

    Made with the real signing code (:mod:`dongthap.qlvb.signing.pdfsign`) and verified
    with :func:`dongthap.qlvb.signing.api.verify_bytes`. Falls back to the unsigned PDF
    (report: reference value only) when the test PKI cannot be made.
    """
    if "pdf" in _SIGNED:
        return _SIGNED["pdf"], _SIGNED["report"]
    from dongthap.qlvb.demo.incoming import make_pdf
    from dongthap.qlvb.signing import api as signing

    data = make_pdf(["UBND TỈNH ĐỒNG THÁP", "Văn bản mẫu đã ký số (dữ liệu tạo tự động)"])
    try:
        from dongthap.qlvb.signing import pdfsign
        from dongthap.qlvb.signing.settings import keys_dir
        from dongthap.qlvb.signing.signers import Pkcs12Signer
        from dongthap.qlvb_testing.testpki import ensure_test_pki
        from dongthap.qlvb_testing.testpki import issue_identity
        from dongthap.qlvb_testing.testpki import TEST_PASSWORD

        pki = ensure_test_pki(keys_dir().parent / "test-pki")
        org = "UBND TỈNH ĐỒNG THÁP"
        person = issue_identity(pki, "person_generator", common_name="Nguyễn Văn An",
                                organisation=org, given="Văn An", surname="Nguyễn", title="Lãnh đạo")
        seal = issue_identity(pki, "seal_generator", common_name=org, organisation=org)
        data = pdfsign.sign_person(data, Pkcs12Signer(person.p12, TEST_PASSWORD), "Nguyễn Văn An",
                                   "CHỦ TỊCH")
        data = pdfsign.sign_agency(data, Pkcs12Signer(seal.p12, TEST_PASSWORD), org,
                                   code_number="01", code_notation="UBND-VP",
                                   issued_at=datetime.datetime.now(datetime.UTC))
    except Exception as problem:  # noqa: BLE001 - the data set is still useful unsigned
        logger.warning("pre-signed PDF not made (%r): documents carry an unsigned PDF", problem)
    quiet = logging.getLogger("pyhanko")
    level, quiet.level = quiet.level, logging.CRITICAL  # the test root is not trusted here: say it once
    try:
        report = signing.verify_bytes(data)
    finally:
        quiet.setLevel(level)
    report.setdefault("sha256", hashlib.sha256(data).hexdigest())
    report.setdefault("legal_validity", "reference")
    _SIGNED.update(pdf=data, report=report)
    return data, report


# ---------------------------------------------------------------- users looked up once


@contextlib.contextmanager
def users_looked_up_once():
    """While the documents are made: PAS's ``_findUser`` remembered per user (this process only).

    Every step asks PAS for the same few accounts ~20 times (``api.env.adopt_user``, the
    workflow guards' roles, the notifications' e-mail addresses, the full names of the
    phiếu giải quyết) and PAS builds each answer from its plugins every time (properties,
    groups, global roles): ~10 % of a generated document. Nothing changes accounts, groups or
    global roles while documents are made (the agencies and their staff come before), so
    the answer is kept, as PAS's own cache (``ZCacheable``, when a cache manager is set)
    would keep it; roles *in a context* (local roles) are still computed each time.
    Nothing is stored in the database.
    """
    from Acquisition import aq_base
    from Products.PluggableAuthService.PluggableAuthService import PluggableAuthService

    original = PluggableAuthService._findUser
    found = {}

    def _findUser(self, plugins, user_id, name=None, request=None):  # noqa: N802 - PAS's name
        key = (getattr(aq_base(self), "_p_oid", None) or id(aq_base(self)), user_id, name)
        user = found.get(key)
        if user is None:
            user = found[key] = aq_base(original(self, plugins, user_id, name, request))
        return user.__of__(self)

    PluggableAuthService._findUser = _findUser
    try:
        yield found
    finally:
        PluggableAuthService._findUser = original


# ---------------------------------------------------------------- progress


def progress(portal=None):
    portal = portal if portal is not None else api.portal.get()
    state = getattr(portal, PROGRESS_ATTR, None)
    if state is None:
        state = PersistentMapping(agencies=0, documents=0, copies=0, issued=0,
                                  exchanged=0, seed=None, elapsed=0.0, agency_paths=[])
        setattr(portal, PROGRESS_ATTR, state)
    return state


# ---------------------------------------------------------------- agencies and staff


def mail_off(usernames):
    """Turn e-mail notifications off for generated accounts (their addresses are ``@example.invalid``).

    Through the preferences a user sets himself (``notifications.api.set_prefs``): the
    notifications are still stored in each person's box; only the ~3 e-mails per document,
    which nobody could receive and the worker would try to send, are not queued.
    """
    from dongthap.qlvb.notifications import api as notifications

    for username in usernames:
        if notifications.prefs(username)["email"]:
            notifications.set_prefs(username, email=False)


def _username(plan, suffix):
    return f"{plan['id'].replace('-', '')[:24]}.{suffix}"


def make_agency(portal, plan, plans_done, rng):
    """One agency, its departments, five staff (one per role) and its dossiers; returns its path."""
    from dongthap.qlvb.agencies import api as agencies

    parent = portal
    if plan["parent"] is not None:
        parent = portal.unrestrictedTraverse(plans_done[plan["parent"]])
    agency_id = plan["id"]
    while agency_id in parent.objectIds():  # taken by something not ours (e.g. the demo data)
        agency_id += "-x"
    agency = api.content.create(
        container=parent, type="Agency", id=agency_id, title=plan["title"], agency_code=plan["code"],
        abbreviation=plan["abbreviation"], level=plan["level"], status="active", safe_id=False)
    agency.exclude_from_nav = True  # about 1,000 of them: never in the navigation
    dept_ids = []
    for title, abbreviation in plan["departments"]:
        dept_id = slug(abbreviation) or "vp"
        if dept_id in dept_ids:
            continue
        api.content.create(container=agency, type="Department", id=dept_id, title=title,
                           abbreviation=abbreviation, safe_id=False)
        dept_ids.append(dept_id)
    for suffix, role, _job in STAFF:
        username = _username(plan, suffix)
        if api.user.get(username=username) is None:
            api.user.create(username=username, email=f"{username}@example.invalid", password=PASSWORD,
                            properties={"fullname": _fullname(rng), "language": "vi"})
        in_depts = dept_ids if role in (R.DEPARTMENT_HEAD, R.SPECIALIST) else None
        agencies.assign(agency=agency, username=username, roles=[role], departments=in_depts)
    mail_off(_username(plan, suffix) for suffix, _role, _job in STAFF)
    return "/".join(agency.getPhysicalPath()[2:])


def _dossiers(agency, plan, year):
    """Two open dossiers of the records manager (created on first use)."""
    from dongthap.qlvb.dossiers import api as dossiers

    folder = dossiers.year_folder(agency, year)  # never a sub-agency's dossiers
    found = api.content.find(context=folder, portal_type="Dossier", unrestricted=True,
                             sort_on="id") if folder is not None else []
    if found:
        return [b._unrestrictedGetObject() for b in found[:2]]
    made = []
    with api.env.adopt_user(username=_username(plan, "luutru")):
        for notation, title in (("01.VP", f"Tập lưu công văn đi, đến năm {year}"),
                                ("02.VP", f"Hồ sơ tổ chức cán bộ năm {year}")):
            values = dossiers.clean_dossier({"title": title, "notation": notation, "retention": "10"},
                                            agency=agency)
            made.append(dossiers.create_dossier(agency, values, year=year))
    return made


# ---------------------------------------------------------------- documents


class Generator:
    """Make documents ``start…`` of the plan; see :func:`generate`."""

    def __init__(self, portal, plans, paths, seed, log):
        self.portal = portal
        self.plans = plans
        self.paths = paths
        self.seed = seed
        self.log = log
        self.signed, self.report = presigned_pdf()
        self._agencies = {}
        #: CPU seconds and count per kind of step (:meth:`document`), and of the batch commits
        self.cpu = {}
        self.kind = None

    def agency(self, index):
        agency = self._agencies.get(index)
        if agency is None:
            if len(self._agencies) > 2000:  # a province has ~1,000: keep them all
                self._agencies.clear()
            agency = self._agencies[index] = self.portal.unrestrictedTraverse(self.paths[index])
        return agency

    def user(self, index, suffix):
        return _username(self.plans[index], suffix)

    def subject(self, rng):
        today = datetime.date.today()
        return rng.choice(SUBJECTS).format(year=today.year, month=rng.randint(1, 12),
                                           quarter=rng.randint(1, 4))

    def document(self, i, state):
        """Make step ``i``: returns the counters it adds to."""
        start = time.process_time()
        rng = step_rng(self.seed, i)
        a = pick_agency(rng, len(self.paths))
        roll = rng.random()
        if roll < 0.58:
            self.kind = "incoming"
            added = self.incoming(i, a, rng, state)
        else:
            self.kind = "outgoing"
            added = self.outgoing(i, a, rng)
        self.account(self.kind, time.process_time() - start)
        return added

    def account(self, kind, seconds):
        total = self.cpu.setdefault(kind, [0, 0.0])
        total[0] += 1
        total[1] += seconds

    def cpu_lines(self):
        """``kind: n, ms CPU each`` for the kinds of steps made and the commits, largest first."""
        rows = sorted(self.cpu.items(), key=lambda item: -item[1][1])
        return [f"  {kind}: {n} × {seconds / n * 1000:.0f} ms CPU = {seconds:.1f} s"
                for kind, (n, seconds) in rows]

    # -- incoming ----------------------------------------------------------------

    def incoming(self, i, a, rng, state):
        from dongthap.qlvb.incoming import api as incoming

        agency = self.agency(a)
        doc = None
        added = {"documents": 1}
        if rng.random() < 0.35:  # a copy delivered by another agency, waiting for registration
            root = incoming.incoming_root(agency)  # never a sub-agency's documents
            found = api.content.find(context=root, portal_type="IncomingDocument",
                                     review_state="received", sort_limit=1,
                                     unrestricted=True) if root is not None else []
            if found:
                doc = found[0]._unrestrictedGetObject()
                with api.env.adopt_user(username=self.user(a, "vanthu")):
                    incoming.transition(doc, "register")
                added = {"documents": 0, "registered_copies": 1}
                self.kind = "incoming: delivered copy registered"
        if doc is None:
            issuer, code = rng.choice(EXTERNAL_ISSUERS)
            if rng.random() < 0.5:
                other = self.plans[rng.randrange(len(self.paths))]
                issuer, code = other["title"], other["code"]
            doc_type = rng.choice(INCOMING_TYPES)
            today = incoming.now().date()
            issued = today - datetime.timedelta(days=rng.randint(0, 20))
            values = incoming.clean({
                "title": self.subject(rng), "document_type": doc_type,
                "code_number": str(rng.randint(1, 999)), "code_notation": f"{doc_type[:2].upper()}-G{i}",
                "issuing_agency_name": issuer, "issuing_agency_code": code,
                "urgency": rng.choice(URGENCIES), "issued_date": issued.isoformat(),
                "due_date": (today + datetime.timedelta(days=rng.randint(1, 30))).isoformat(),
                "source": rng.choice(("paper", "paper", "email", "axis")),
                "file": (pdf_for(issuer, doc_type, i, pages=rng.choice((1, 1, 2))), f"van-ban-{i}.pdf"),
            })
            register = rng.random() > 0.08  # some wait for registration (chờ vào sổ)
            with api.env.adopt_user(username=self.user(a, "vanthu")):
                result = incoming.build_document(agency, values, register=register)
            doc = self.portal.unrestrictedTraverse(result["path"])
            if not register:
                self.kind = "incoming: waiting for registration"
                return added
            self.kind = "incoming: registered"
        self.handle_incoming(doc, a, rng)
        if rng.random() < 0.15:
            self.file(doc, a, rng)
        return added

    def handle_incoming(self, doc, a, rng):
        from dongthap.qlvb.incoming import api as incoming
        from dongthap.qlvb.incoming import handling

        step = rng.random()
        if step < 0.2:
            return  # registered, waiting for the leader
        today = incoming.now().date()
        deadline = (today + datetime.timedelta(days=rng.randint(1, 20))).strftime("%d/%m/%Y")
        plan = self.plans[a]
        dept = slug(plan["departments"][rng.randrange(len(plan["departments"]))][1]) or "vp"
        lead = {"user": self.user(a, "chuyenvien"), "deadline": deadline} if rng.random() < 0.6 \
            else {"department": dept, "deadline": deadline}
        with api.env.adopt_user(username=self.user(a, "lanhdao")):
            handling.assign(doc, {"lead": lead, "direction": "Đề nghị nghiên cứu, tham mưu xử lý."})
        if step < 0.55 or "user" not in lead:
            return
        with api.env.adopt_user(username=self.user(a, "chuyenvien")):
            handling.record_progress(doc, "Đã nghiên cứu, đang dự thảo văn bản trả lời.")
            if step > 0.75:
                handling.record_progress(doc, "Đã hoàn thành, trình lãnh đạo ký văn bản trả lời.",
                                         result=True)
                incoming.transition(doc, "complete")

    def file(self, doc, a, rng):
        from dongthap.qlvb.dossiers import api as dossiers

        agency = self.agency(a)
        chosen = _dossiers(agency, self.plans[a], datetime.date.today().year)
        with api.env.adopt_user(username=self.user(a, "luutru")):
            dossiers.file_documents(chosen[rng.randrange(len(chosen))], [api.content.get_uuid(doc)])

    # -- outgoing ----------------------------------------------------------------

    def outgoing(self, i, a, rng):
        from dongthap.qlvb.outgoing import api as outgoing

        agency = self.agency(a)
        plan = self.plans[a]
        doc_type = rng.choice(OUTGOING_TYPES)
        dept = slug(plan["departments"][0][1]) or "vp"
        recipients = sorted({rng.randrange(len(self.paths)) for _n in range(rng.choice((1, 1, 2)))} - {a})
        internal = [api.content.get_uuid(self.agency(r)) for r in recipients]
        external = []
        if rng.random() < 0.3 or not internal:
            issuer, code = rng.choice(EXTERNAL_ISSUERS)
            external = [{"code": code, "name": issuer}]
        with api.env.adopt_user(username=self.user(a, "chuyenvien")):
            values = outgoing.clean(agency, {
                "title": self.subject(rng), "document_type": doc_type, "drafting_department": dept,
                "signer": self.user(a, "lanhdao"), "signer_position": "GIÁM ĐỐC",
                "internal_recipients": internal, "external_recipients": external,
                "file": (pdf_for(plan["title"], doc_type, i), "du-thao.pdf")})
            result = outgoing.create(agency, values)
            doc = self.portal.unrestrictedTraverse(result["path"])
            stage = rng.random()
            if stage < 0.08:
                self.kind = "outgoing: draft"
                return {"documents": 1}
            outgoing.transition(doc, "submit", "Kính trình lãnh đạo xem xét.")
        if stage < 0.14:
            self.kind = "outgoing: submitted"
            return {"documents": 1}
        self.kind = "outgoing: issued"
        while api.content.get_state(doc) == "pending_review":
            level = outgoing.current_level(doc)
            last = (doc.qlvb_review_index or 0) >= len(doc.qlvb_review_levels) - 1
            who = "truongphong" if level == "department_head" else "lanhdao"
            with api.env.adopt_user(username=self.user(a, who)):
                outgoing.transition(doc, "approve" if last else "forward", "Đồng ý.")
        self.issue(doc, agency, a)
        added = {"documents": 1, "issued": 1, "copies": len(internal)}
        if external:
            added["exchanged"] = self.exchange_history(doc, rng)
        if rng.random() < 0.2:
            self.file(doc, a, rng)
        return added

    def issue(self, doc, agency, a):
        """The real ``issue`` transition with the pre-signed PDF instead of a pyHanko call."""
        from dongthap.qlvb.documents.trail import add_trail
        from dongthap.qlvb.numbering import counter
        from dongthap.qlvb.outgoing import issuing
        from dongthap.qlvb.outgoing import numbering
        from dongthap.qlvb.outgoing import settings

        wftool = api.portal.get_tool("portal_workflow")
        # the signer's step: state ``signed`` without the pyHanko call (module docstring)
        wftool.setStatusOf("qlvb_outgoing_workflow", doc, {
            "action": "sign", "review_state": "signed", "actor": self.user(a, "lanhdao"),
            "comments": "", "time": api.portal.get_tool("portal_catalog").ZopeTime()})
        doc.qlvb_signed_at = datetime.datetime.now(counter.VIETNAM_OFFSET).isoformat()
        with api.env.adopt_user(username=self.user(a, "lanhdao")):
            add_trail(doc, "sign", "Ký số (dữ liệu tạo tự động: chữ ký dùng lại)", state="signed")
        when = datetime.datetime.now(counter.VIETNAM_OFFSET).replace(microsecond=0)
        series = settings.series_of(agency, doc.document_type)
        year = counter.current_year(when)
        number = numbering.format_number(counter.peek_number(agency, series, year) + 1)
        prepared = issuing.Prepared(
            uid=api.content.get_uuid(doc), series=series, year=year, number=number,
            notation=issuing.notation_of(doc, agency), when=when, inputs=issuing.inputs_of(doc),
            signed=self.signed, report=dict(self.report), attachments=[])
        with issuing.using(prepared), api.env.adopt_user(username=self.user(a, "vanthu")):
            wftool.doActionFor(doc, "issue")

    def exchange_history(self, doc, rng):
        """The external recipients' entries: sent over the axis, with the statuses they answered."""
        from dongthap.qlvb.exchange.storage import get_store

        store = get_store()
        entries = store.entries_of(document_uid=api.content.get_uuid(doc))
        for entry in entries:
            if rng.random() < 0.9:
                store.mark_sent(entry, f"axis-{entry.id[:12]}")
                for code in ("01", "03", "04", "06")[: rng.randint(1, 4)]:
                    entry.add_business_status(code, "Trạng thái từ trục liên thông (dữ liệu tạo tự động)",
                                              staff="Văn thư")
        return len(entries)


# ---------------------------------------------------------------- the run

#: the counters a step adds to (:meth:`Generator.document`)
COUNTS = ("documents", "registered_copies", "issued", "copies", "exchanged")
#: a parallel worker's batch is retried that many times when it conflicts with another worker
CONFLICT_ATTEMPTS = 10
#: from that many conflicts on, the batch is made again with priority (:class:`CommitTurns`)
PRIORITY_AFTER = 2


class PlanMismatch(Exception):
    """The run asked for does not fit the progress stored in the site (message: Vietnamese / English)."""


def step_rng(seed, i):
    """The random generator of step ``i``: how a step is made depends only on the seed and ``i``."""
    return random.Random(seed * 1_000_003 + i)


def agency_weights(count):
    """The expected share of the steps of each agency (what :func:`pick_agency` draws)."""
    weights, pending = [0.0] * count, 0.0
    for share, first, end in WEIGHTS:
        end = count if end is None else min(end, count)
        pending += share  # a band without agencies falls to the next band (or to all of them)
        if first < end:
            for a in range(first, end):
                weights[a] += pending / (end - first)
            pending = 0.0
    return [w + pending / count for w in weights]


def agency_owners(count, workers):
    """The worker (``0…workers-1``) making the documents of each agency, with about equal shares.

    Heaviest agencies first, each to the least loaded worker: deterministic for a count and a
    number of workers, so a resumed worker takes the same steps again.
    """
    weights = agency_weights(count)
    owners, loads = [0] * count, [0.0] * workers
    for a in sorted(range(count), key=lambda a: (-weights[a], a)):
        k = min(range(workers), key=lambda k: (loads[k], k))
        owners[a] = k
        loads[k] += weights[a]
    return owners


def summary(state):
    """The progress as a plain dict, the parallel workers' records added up."""
    out = {k: v for k, v in state.items() if k != "parallel"}
    par = state.get("parallel")
    if par is not None:
        records = par["records"]
        out["workers"] = par["workers"]
        out["steps"] = out.get("steps", 0) + sum(r["steps"] for r in records)
        for key in COUNTS:
            out[key] = out.get(key, 0) + sum(r.get(key, 0) for r in records)
        out["conflicts"] = sum(r["conflicts"] for r in records)
        out["elapsed"] = out.get("elapsed", 0.0) + max(r["elapsed"] for r in records)
    return out


def refuse_single_process_storage(storage, processes):
    """Several processes need RelStorage: FileStorage (or a test's DemoStorage) is opened by one only."""
    inner = getattr(storage, "_BlobStorage__storage", storage)  # FileStorage in ZODB's blob wrapper
    if processes <= 1 or type(inner).__module__.split(".")[0] == "relstorage":
        return
    kind = type(inner).__name__
    raise PlanMismatch(
        f"Chế độ song song cần RelStorage (PostgreSQL, QLVB_RELSTORAGE_DSN): cơ sở dữ liệu này là {kind}, "
        "chỉ một tiến trình được mở nó; hãy chạy không có --processes/--workers. / "
        f"Parallel mode needs RelStorage (PostgreSQL, QLVB_RELSTORAGE_DSN): this database is {kind}, "
        "which one process only may open; run without --processes/--workers.")


def _fold_parallel(state):
    """Add a finished parallel run to the progress of the site (any run may follow it).

    Refuses (:class:`PlanMismatch`) while its workers have not all reached the same step.
    """
    par = state.get("parallel")
    if par is None:
        return
    ends = sorted({r["next"] for r in par["records"]})
    if len(ends) != 1:
        n, count = par["workers"], par["agencies"]
        raise PlanMismatch(
            f"Lượt tạo dữ liệu song song ({n} tiến trình, {count} cơ quan) chưa xong: các tiến trình "
            f"dừng ở bước {ends[0]}…{ends[-1]}. Chạy tiếp với --processes {n} --agencies {count}. / "
            f"An unfinished parallel run ({n} processes, {count} agencies) stopped at steps "
            f"{ends[0]}…{ends[-1]}: continue it with --processes {n} --agencies {count}.")
    records = par["records"]
    for key in COUNTS:
        state[key] = state.get(key, 0) + sum(r.get(key, 0) for r in records)
    state["steps"] = ends[0]
    state["elapsed"] = state.get("elapsed", 0.0) + max(r["elapsed"] for r in records)
    del state["parallel"]


def _make_agencies(portal, state, agencies, log, checkpoint, deadline):
    """The agencies of the plan up to ``agencies``; False when the deadline stopped it first."""
    plans = plan_agencies(agencies)
    paths = list(state["agency_paths"])
    rng = random.Random(state["seed"])
    t0, before = time.monotonic(), len(paths)
    while len(paths) < agencies:
        paths.append(make_agency(portal, plans[len(paths)], paths, rng))
        state["agency_paths"] = list(paths)
        state["agencies"] = len(paths)
        if len(paths) % 20 == 0 or len(paths) == agencies:
            checkpoint()
            rate = (len(paths) - before) / max(time.monotonic() - t0, 1e-9)
            log(f"agencies {len(paths)}/{agencies} ({rate:.1f}/s)")
        if deadline and time.monotonic() > deadline:
            checkpoint()
            return False
    checkpoint()
    return True


def _mail_off_once(state, log):
    """Accounts generated before :func:`mail_off` was part of :func:`make_agency`: once per site."""
    if state.get("mail_off"):
        return
    plans = plan_agencies(len(state["agency_paths"]))
    mail_off(_username(plan, suffix) for plan in plans for suffix, _role, _job in STAFF)
    state["mail_off"] = True
    log(f"e-mail notifications off for the {len(plans) * len(STAFF)} generated accounts")


def _started(portal, seed):
    state = progress(portal)
    if state["seed"] is None:
        state["seed"] = seed
    return state


def generate(portal, *, documents, agencies, batch=50, seed=2026, log=print, commit=True,
             stop_after=None):
    """Make (or continue making) ``agencies`` agencies and ``documents`` documents.

    Resumable: what the site's progress record (:data:`PROGRESS_ATTR`) says is done is
    not made again. ``commit``: commit each batch (the script); without it, everything
    stays in the current transaction (the integration test). ``stop_after``: stop after
    that many seconds (the run continues next time). A finished parallel run
    (:func:`generate_share`) is added to the progress first; an unfinished one is refused
    (:class:`PlanMismatch`). Returns the progress (a dict, :func:`summary`).
    """
    from dongthap.qlvb.numbering import retry

    def checkpoint():
        if commit:
            transaction.commit()

    state = _started(portal, seed)
    seed = state["seed"]
    deadline = time.monotonic() + stop_after if stop_after else None
    with retry.in_batch(), api.env.adopt_roles(["Manager"]):
        _fold_parallel(state)
        if not _make_agencies(portal, state, agencies, log, checkpoint, deadline):
            return summary(state)
        _mail_off_once(state, log)
        paths = list(state["agency_paths"])
        gen = Generator(portal, plan_agencies(len(paths)), paths, seed, log)
        done = state.get("steps", 0)
        state["elapsed_before"] = state.get("elapsed", 0.0)
        t0, first, cpu0 = time.monotonic(), done, time.process_time()
        with users_looked_up_once():
            while done < documents:
                end = min(documents, done + batch)
                totals = {}
                for i in range(done, end):
                    for key, value in gen.document(i, state).items():
                        totals[key] = totals.get(key, 0) + value
                for key, value in totals.items():
                    state[key] = state.get(key, 0) + value
                state["steps"] = done = end
                elapsed = time.monotonic() - t0
                state["elapsed"] = state.get("elapsed_before", 0.0) + elapsed
                start = time.process_time()
                checkpoint()
                gen.account("commit of a batch", time.process_time() - start)
                rate = (done - first) / max(elapsed, 1e-9)
                eta = (documents - done) / rate if rate else 0
                cpu = (time.process_time() - cpu0) / max(done - first, 1)
                log(f"documents {done}/{documents} ({rate:.2f} docs/s, {cpu * 1000:.0f} ms CPU per document, "
                    f"{state['copies']} delivered copies, eta {eta / 60:.0f} min)")
                if deadline and time.monotonic() > deadline:
                    break
        if done > first:
            log("CPU by kind of step:\n" + "\n".join(gen.cpu_lines()))
    return summary(state)


# ---------------------------------------------------------------- parallel mode (RelStorage)


def prepare_parallel(portal, *, agencies, workers, seed=2026, log=print, commit=True, stop_after=None):
    """What comes before the workers of a parallel run: the agencies, then one record per worker.

    The progress then holds ``parallel``: the number of workers, the agencies the plan is
    drawn over, the first step and ``records`` — one persistent mapping per worker (the
    next step, steps made, the counters, time, conflicts), written by that worker only, so
    the workers never conflict on the progress. An existing parallel run is continued when
    it has the same workers and agencies; otherwise it is added to the progress if
    finished, refused if not (:func:`_fold_parallel`). Returns the parallel record, or None
    when ``stop_after`` ran out while agencies were made.
    """
    from dongthap.qlvb.numbering import retry

    def checkpoint():
        if commit:
            transaction.commit()

    state = _started(portal, seed)
    deadline = time.monotonic() + stop_after if stop_after else None
    with retry.in_batch(), api.env.adopt_roles(["Manager"]):
        par = state.get("parallel")
        if par is not None and par["workers"] == workers and par["agencies"] >= agencies:
            return par
        _fold_parallel(state)
        if not _make_agencies(portal, state, agencies, log, checkpoint, deadline):
            return None
        _mail_off_once(state, log)
        start = state.get("steps", 0)
        state["parallel"] = par = PersistentMapping(
            workers=workers, agencies=state["agencies"], start=start,
            records=[PersistentMapping(worker=k, next=start, steps=0, elapsed=0.0, conflicts=0)
                     for k in range(workers)])
        checkpoint()
    return par


def _wait_for_parallel(portal, workers, agencies, log, commit, poll, deadline):
    """The parallel record for ``workers`` workers, once worker 0 (or the launcher) made it."""
    waited = 0.0
    while True:
        if commit:
            transaction.abort()  # a new snapshot: what worker 0 committed since
        state = getattr(portal, PROGRESS_ATTR, None)
        par = state.get("parallel") if state is not None else None
        if par is not None and par["workers"] == workers and par["agencies"] >= agencies:
            return par
        if not commit or (deadline and time.monotonic() > deadline):
            return None
        if waited % 60 == 0:
            log(f"waiting for worker 0 to make the agencies ({waited:.0f} s)")
        time.sleep(poll)
        waited += poll


class CommitTurns:
    """Turns to commit between the parallel workers: a PostgreSQL advisory lock on the site's database.

    Every worker commits under the shared lock, i.e. freely. A worker whose batch conflicted
    :data:`PRIORITY_AFTER` times makes it again under the exclusive lock: the others wait before
    their next commit, so nothing they commit can invalidate that attempt (without it a slow
    batch — the first one of a worker, which makes year folders and dossiers — lost ten times in
    a row to the other worker's shorter ones). Without a DSN (FileStorage, tests): nothing.
    """

    KEY = 0x5147454E  # "QGEN"

    def __init__(self, dsn):
        self.conn, self.exclusive = None, False
        if dsn:
            import psycopg2

            self.conn = psycopg2.connect(dsn, connect_timeout=10, application_name="qlvb-generator")
            self.conn.autocommit = True

    def _lock(self, function):
        with self.conn.cursor() as cur:
            cur.execute(f"SELECT {function}(%s)", (self.KEY,))

    def commit(self):
        if self.conn is None or self.exclusive:
            transaction.commit()
            return
        self._lock("pg_advisory_lock_shared")
        try:
            transaction.commit()
        finally:
            self._lock("pg_advisory_unlock_shared")

    def take(self):
        if self.conn is not None and not self.exclusive:
            self._lock("pg_advisory_lock")
            self.exclusive = True

    def give_back(self):
        if self.exclusive:
            self._lock("pg_advisory_unlock")
            self.exclusive = False

    def close(self):
        if self.conn is not None:
            self.conn.close()


def generate_share(portal, *, documents, agencies, workers, worker, batch=20, seed=2026, log=print,
                   commit=True, stop_after=None, poll=5.0):
    """Worker ``worker`` of ``workers`` processes sharing one RelStorage database.

    The worker makes the steps ``< documents`` whose agency (drawn as in the one-process
    run, :func:`step_rng`) :func:`agency_owners` gives to it, in order, ``batch`` of them per
    transaction; its record (:func:`prepare_parallel`) is committed with each batch, so a
    worker run again continues after its last batch. Worker 0 makes the agencies and the
    records first (unless the launcher did); the others wait for them. What still crosses
    workers — copies delivered into other agencies, the catalog, the exchange outbox — may
    conflict: the batch is then aborted and made again (:data:`CONFLICT_ATTEMPTS`), the
    register counters being committed with their documents, so numbers stay gap-free.
    From the :data:`PRIORITY_AFTER`-th conflict on, the batch is made with priority
    (:class:`CommitTurns`). Returns the progress (:func:`summary`) and what this run made
    (``run_steps``, ``run_seconds``, ``run_conflicts``).
    """
    from dongthap.qlvb.numbering import retry
    from dongthap.qlvb.utils.singleton import database_dsn
    from transaction.interfaces import TransientError

    prefix = f"[worker {worker}/{workers}] "

    def say(line):
        log(prefix + line)

    deadline = time.monotonic() + stop_after if stop_after else None
    if worker == 0:
        par = prepare_parallel(portal, agencies=agencies, workers=workers, seed=seed, log=say,
                               commit=commit, stop_after=stop_after)
    else:
        par = _wait_for_parallel(portal, workers, agencies, say, commit, poll, deadline)
    state = getattr(portal, PROGRESS_ATTR, None)
    if par is None:
        if state is None or deadline is None or time.monotonic() <= deadline:
            raise PlanMismatch(
                f"Chưa có lượt tạo song song với {workers} tiến trình: chạy tiến trình 0 hoặc --processes "
                f"trước. / No parallel run with {workers} processes yet: run worker 0 or --processes first.")
        return dict(summary(state), run_steps=0, run_seconds=0.0, run_conflicts=0)
    seed, count = state["seed"], par["agencies"]
    paths = list(state["agency_paths"])[:count]
    owners = agency_owners(count, workers)
    record = par["records"][worker]
    gen = Generator(portal, plan_agencies(count), paths, seed, say) if record["next"] < documents else None
    t0, cpu0 = time.monotonic(), time.process_time()
    elapsed_before, made, conflicts = record["elapsed"], 0, 0
    position = record["next"]
    turns = CommitTurns(database_dsn() if commit and position < documents else "")
    with retry.in_batch(), api.env.adopt_roles(["Manager"]), contextlib.closing(turns), \
            users_looked_up_once():
        while position < documents:
            todo, end = [], position
            while end < documents and len(todo) < batch:
                if owners[pick_agency(step_rng(seed, end), count)] == worker:
                    todo.append(end)
                end += 1
            for attempt in range(1, CONFLICT_ATTEMPTS + 1):
                if attempt > PRIORITY_AFTER and not turns.exclusive and turns.conn is not None:
                    say("the batch is made again with priority (the others wait before their next commit)")
                    turns.take()
                if attempt > 1 and commit:
                    transaction.begin()  # a snapshot taken now (after the lock), not at the abort
                try:
                    totals = {}
                    for i in todo:
                        for key, value in gen.document(i, record).items():
                            totals[key] = totals.get(key, 0) + value
                    for key, value in totals.items():
                        record[key] = record.get(key, 0) + value
                    record["next"] = end
                    record["steps"] += len(todo)
                    record["conflicts"] += attempt - 1
                    record["elapsed"] = elapsed_before + time.monotonic() - t0
                    if commit:
                        turns.commit()
                    turns.give_back()
                    break
                except TransientError as error:  # ConflictError and the like: made again
                    if not commit:
                        raise
                    transaction.abort()
                    conflicts += 1
                    steps = f"{todo[0]}…{todo[-1]}" if todo else "-"
                    if attempt == CONFLICT_ATTEMPTS:
                        say(f"giving up: the batch of steps {steps} conflicted {attempt} times ({error!r})")
                        turns.give_back()
                        raise
                    detail = " ".join(str(error).split())[:160]
                    say(f"conflict in the batch of steps {steps}, attempt {attempt}: {type(error).__name__} "
                        f"({detail}); made again")
                    time.sleep(random.uniform(0.1, 0.5) * attempt)
            made += len(todo)
            position = end
            elapsed = time.monotonic() - t0
            cpu = (time.process_time() - cpu0) / max(made, 1)
            say(f"documents {position}/{documents}: {made} of this worker's share made "
                f"({made / max(elapsed, 1e-9):.2f} docs/s, {cpu * 1000:.0f} ms CPU per document, "
                f"{conflicts} conflicts retried)")
            if deadline and time.monotonic() > deadline:
                break
    seconds = time.monotonic() - t0
    say(f"done: {made} steps in {seconds:.0f} s ({made / max(seconds, 1e-9):.2f} docs/s), "
        f"{conflicts} conflicting batches made again")
    return dict(summary(state), run_steps=made, run_seconds=seconds, run_conflicts=conflicts)
