"""The incoming registers as providers of ``@registers`` (see ``docs/registers.md``).

``incoming``           Sổ đăng ký văn bản đến
``incoming_tracking``  Sổ theo dõi giải quyết văn bản đến

Both answer the other in their JSON (``register`` and ``tracking``, the shape clients of
``@registers/incoming`` have always read) and may be picked with ``?register=`` on either URL.
The rows are those of :mod:`.queries`, their dd/mm/yyyy date texts typed as dates (typed
cells in Excel; the JSON prints them dd/mm/yyyy again).
"""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.incoming.api import REGISTERS_PERMISSION
from dongthap.qlvb.registers.provider import RegisterProvider
from zope.component import adapter

import datetime

_DATE_KEYS = ("arrival_date", "issued_date", "transfer_date", "due_date")


def typed(row):
    """dd/mm/yyyy texts of date columns as dates."""
    out = dict(row)
    for key in _DATE_KEYS:
        value = out.get(key)
        if isinstance(value, str) and value:
            day, month, year = (int(part) for part in value.split("/"))
            out[key] = datetime.date(year, month, day)
    return out


@adapter(IAgency)
class IncomingRegister(RegisterProvider):
    """Sổ đăng ký văn bản đến: registered documents by arrival day and number."""

    name = "incoming"
    permission = REGISTERS_PERMISSION
    companions = {"register": "incoming", "tracking": "incoming_tracking"}
    build = staticmethod(queries.register_rows)

    def rows(self, start, end, filters):
        return [typed(row) for row in self.build(self.context, start, end)]


@adapter(IAgency)
class TrackingRegister(IncomingRegister):
    """Sổ theo dõi giải quyết văn bản đến: deadline, progress and reply of each document."""

    name = "incoming_tracking"
    build = staticmethod(queries.tracking_rows)
