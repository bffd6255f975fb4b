"""The records side of the desk (a :class:`~dongthap.qlvb.desk.interfaces.IDeskSection`).

Per role in the agency, each a count and a link to its list:

* records manager — văn bản chưa lập hồ sơ, hồ sơ đang mở, sắp đến hạn nộp lưu (30 days),
  quá hạn nộp lưu, chờ tiếp nhận nộp lưu;
* leader — transfers, disposal lists and records schedules awaiting his approval;
* specialist, department head — hồ sơ của tôi (his open dossiers).

Dossier counts are catalog lengths (``qlvb_transfer_due``: the due day of each dossier);
transfers, disposal lists and schedules are counted in the agency's own small store.
"""

from __future__ import annotations

import datetime as dt

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.i18n import _
from dongthap.qlvb.security import roles as R
from plone import api
from zope.component import adapter
from zope.interface import implementer

from . import api as archive
from . import retention as ret

TITLES = {
    "unfiled": _("desk_records_unfiled", default="Documents not yet in a dossier"),
    "open_dossiers": _("desk_records_open", default="Open dossiers"),
    "transfer_due_soon": _("desk_records_due_soon", default="Due for transfer within 30 days"),
    "transfer_overdue": _("desk_records_overdue", default="Overdue for transfer"),
    "awaiting_acceptance": _("desk_records_awaiting_acceptance", default="Transfers awaiting acceptance"),
    "transfers_to_approve": _("desk_records_transfers_to_approve", default="Transfers awaiting approval"),
    "disposals_to_approve": _("desk_records_disposals_to_approve",
                              default="Disposal lists awaiting approval"),
    "schedules_to_approve": _("desk_records_schedules_to_approve",
                              default="Records schedules awaiting approval"),
    "my_dossiers": _("desk_records_mine", default="My open dossiers"),
}
AWAITING = ["open", "closed"]


def _count(agency, **query):
    from dongthap.qlvb.documents.queries import find

    return len(find(portal_type="Dossier", path="/".join(agency.getPhysicalPath()), **query))


def _stored(agency, kind, state):
    store = archive._store(agency)
    if store is None:
        return 0
    return sum(1 for item in store[kind].values() if item["state"] == state)


def _draft_schedules(agency):
    """Years whose records schedule is a draft with at least one dossier (the leader may approve it)."""
    years = []
    for year in dossiers.schedule_years(agency):
        schedule = dossiers.get_schedule(agency, year)
        if schedule["state"] == "draft" and any(r["kind"] == "entry" for r in schedule["rows"]):
            years.append(year)
    return years


@implementer(IDeskSection)
@adapter(IAgency)
class RecordsSection:
    order = 30
    title = _("heading_desk_records", default="Dossiers and archive")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles, today=None):
        agency = self.agency
        if not api.user.has_permission(dossiers.VIEW_DOSSIERS, obj=agency):
            return []
        today = today or ret.today()
        base = agency.absolute_url()
        out = []

        def add(key, count, url, tone=None):
            out.append({"key": key, "title": TITLES[key], "count": count, "url": url,
                        "tone": tone if count else None})

        if api.user.has_permission(archive.MANAGE_ARCHIVE, obj=agency):
            add("unfiled", dossiers.unfiled_count(agency), f"{base}/@@ho-so#chua-lap-ho-so")
            add("open_dossiers", _count(agency, review_state="open"), f"{base}/@@ho-so?state=open")
            soon = {"query": (today, today + dt.timedelta(days=ret.WARNING_DAYS)), "range": "min:max"}
            add("transfer_due_soon", _count(agency, review_state=AWAITING, qlvb_transfer_due=soon),
                f"{base}/@@luu-tru#sap-den-han", "warning")
            late = {"query": today - dt.timedelta(days=1), "range": "max"}
            add("transfer_overdue", _count(agency, review_state=AWAITING, qlvb_transfer_due=late),
                f"{base}/@@luu-tru#qua-han", "danger")
            add("awaiting_acceptance", _stored(agency, "transfers", archive.APPROVED),
                f"{base}/@@luu-tru?state={archive.APPROVED}#nop-luu")
        if api.user.has_permission(archive.APPROVE_TRANSFER, obj=agency):
            add("transfers_to_approve", _stored(agency, "transfers", archive.PROPOSED),
                f"{base}/@@luu-tru?state={archive.PROPOSED}#nop-luu", "warning")
        if api.user.has_permission(archive.APPROVE_DISPOSAL, obj=agency):
            add("disposals_to_approve", _stored(agency, "disposals", "proposed"),
                f"{base}/@@luu-tru#danh-muc-huy", "warning")
        if api.user.has_permission(dossiers.APPROVE_SCHEDULE, obj=agency):
            years = _draft_schedules(agency)
            year = years[0] if years else today.year
            add("schedules_to_approve", len(years), f"{base}/@@danh-muc-ho-so?year={year}", "warning")
        if roles & {R.SPECIALIST, R.DEPARTMENT_HEAD}:
            add("my_dossiers", len(dossiers.my_open_dossiers(agency, userid)), f"{base}/@@ho-so#cua-toi")
        return out
