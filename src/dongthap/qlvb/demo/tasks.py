"""Demo tasks (giao việc) of Sở Nội vụ: one to a person with a progress report, one to a department.

Idempotent: nothing is added to an agency that already has tasks.
"""

from dongthap.qlvb.tasks import api as tasks
from plone import api

import datetime
import logging

logger = logging.getLogger("dongthap.qlvb.demo")


def install(path="so-noi-vu", prefix="snv"):
    portal = api.portal.get()
    agency = portal.get(path)
    if agency is None or tasks.root(agency) is not None:
        return
    today = tasks.today()

    def day(n):
        return (today + datetime.timedelta(days=n)).strftime("%d/%m/%Y")

    with api.env.adopt_user(username=f"{prefix}.lanhdao"):
        first = tasks.create(agency, tasks.clean(agency, {
            "title": "Xây dựng kế hoạch đào tạo, bồi dưỡng cán bộ năm tới",
            "text": "Tổng hợp nhu cầu của các phòng, dự thảo kế hoạch trình Giám đốc.",
            "deadline": day(14), "lead": {"user": f"{prefix}.chuyenvien"},
            "coordinators": [f"{prefix}.truongphong"], "informed": [f"{prefix}.vanthu"]}))
        tasks.create(agency, tasks.clean(agency, {
            "title": "Rà soát vị trí việc làm của các đơn vị",
            "deadline": day(7), "lead": {"department": "tcbc"}}))
    with api.env.adopt_user(username=f"{prefix}.chuyenvien"):
        task = tasks.find(agency, first["id"])
        tasks.report_progress(task, 30, "Đã nhận nhu cầu của Văn phòng và Phòng Tổ chức - Biên chế.")
    logger.info("demo tasks in %s", path)
