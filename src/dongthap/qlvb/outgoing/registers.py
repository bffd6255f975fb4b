"""The outgoing registers as providers of ``@registers`` (see ``docs/registers.md``).

``outgoing``         Sổ đăng ký văn bản đi (the 10 columns of NĐ 30)
``outgoing_report``  Báo cáo tình hình giải quyết văn bản đi

Rows: the issued documents of the period, by year, register series and number (:mod:`.queries`).
"""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb.outgoing.api import REGISTERS_PERMISSION
from dongthap.qlvb.registers.provider import RegisterProvider
from zope.component import adapter


@adapter(IAgency)
class OutgoingRegister(RegisterProvider):
    """Sổ đăng ký văn bản đi."""

    name = "outgoing"
    permission = REGISTERS_PERMISSION
    build = staticmethod(queries.register_rows)


@adapter(IAgency)
class OutgoingReport(OutgoingRegister):
    """Báo cáo tình hình giải quyết văn bản đi: recipients' statuses of each issued document."""

    name = "outgoing_report"
    build = staticmethod(queries.report_rows)
