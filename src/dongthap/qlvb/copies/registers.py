"""Sổ đăng ký bản sao: the register of copies as a provider of ``@registers`` (docs/registers.md)."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.registers.provider import RegisterProvider
from zope.component import adapter


@adapter(IAgency)
class CopiesRegister(RegisterProvider):
    """The issued copies of the period in the order of their number (one series for SY, SL, TrS)."""

    name = "copies"
    permission = copies.REGISTER_PERMISSION
    build = staticmethod(copies.copy_rows)
