"""Demo dossiers: the records schedule of Sở TT&TT for this year (approved) and two dossiers.

Idempotent: nothing is added to an agency that already has a schedule for the year.
"""

from dongthap.qlvb.dossiers import api as dossiers
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.demo")

SCHEDULE = (
    {"kind": "heading", "number": "I", "title": "Văn phòng"},
    {"kind": "entry", "notation": "01.VP", "title": "Hồ sơ tổ chức cán bộ năm {year}",
     "retention": "permanent", "unit": "vp", "person": "Chánh Văn phòng"},
    {"kind": "entry", "notation": "02.VP", "title": "Hồ sơ thi đua, khen thưởng năm {year}",
     "retention": "20", "unit": "vp"},
    {"kind": "entry", "notation": "03.VP", "title": "Tập lưu công văn đi, đến năm {year}",
     "retention": "10", "unit": "vp"},
    {"kind": "heading", "number": "II", "title": "Phòng Công nghệ thông tin"},
    {"kind": "entry", "notation": "01.CNTT", "title": "Hồ sơ triển khai chuyển đổi số năm {year}",
     "retention": "20", "unit": "cntt"},
    {"kind": "entry", "notation": "02.CNTT", "title": "Hồ sơ bảo đảm an toàn thông tin mạng năm {year}",
     "retention": "10", "unit": "cntt"},
)


def install(path="so-tttt", prefix="stttt"):
    portal = api.portal.get()
    try:
        agency = portal.unrestrictedTraverse(path)
    except (KeyError, AttributeError):
        return
    year = dossiers.today().year
    if dossiers.get_schedule(agency, year) is not None:
        return
    rows = [dict(r, title=r["title"].format(year=year)) for r in SCHEDULE]
    try:
        with api.env.adopt_user(username=f"{prefix}.luutru"):
            dossiers.save_schedule(agency, year, rows)
        with api.env.adopt_user(username=f"{prefix}.lanhdao"):
            dossiers.approve_schedule(agency, year)
        opened = []
        for user, notation in ((f"{prefix}.chuyenvien", "01.CNTT"), (f"{prefix}.luutru", "03.VP")):
            entry = dossiers.schedule_entry(agency, year, notation)
            with api.env.adopt_user(username=user):
                values = dossiers.clean_dossier(
                    {"title": entry["title"], "notation": notation, "retention": entry["retention"],
                     "department": entry["unit"]}, agency=agency)
                opened.append(dossiers.create_dossier(agency, values, year=year))
        # the clerk files the registered demo documents into the records manager's dossier
        with api.env.adopt_user(username=f"{prefix}.vanthu"):
            registered = [b.UID for b in api.content.find(
                context=agency, portal_type="IncomingDocument", review_state="registered")]
            if registered:
                dossiers.file_documents(opened[1], registered[:2])
    except (dossiers.DossierError, api.exc.UserNotFoundError, ValueError) as problem:
        logger.warning("demo dossiers not completed: %s", problem)
        return
    logger.info("demo records schedule and dossiers in place")
