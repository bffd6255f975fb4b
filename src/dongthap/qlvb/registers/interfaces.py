"""The contract of a register provider (see ``docs/registers.md``).

A provider is a **named adapter** of an agency (``IAgency``) to
:class:`IRegisterProvider`; its adapter name is the register's name in URLs
(``<agency>/@registers/<name>``).  The capability that owns the data registers
its providers in its own ``configure.zcml`` (incoming in ``incoming/``,
outgoing in ``outgoing/``, dossiers in ``dossiers/``); the one ``@registers``
service, the browser download pages and the dashboards find them with
``zope.component.getAdapters``.  A factory may return ``None`` for an agency
that does not keep that register: it is then neither listed nor served.

Only ``zope.interface`` here: the rendering side of the package stays free of
Plone.
"""

from zope.interface import Attribute
from zope.interface import Interface


class IRegisterProvider(Interface):
    """One printable register (sổ) or list of an agency, adapted from the agency."""

    context = Attribute("The agency whose register this is.")

    name = Attribute(
        "The register's name in URLs, ASCII (e.g. 'incoming', 'outgoing_report'); equal to the "
        "adapter name.")

    title = Attribute(
        "The title shown in menus and in the listing: a translatable message "
        "(dongthap.qlvb domain, Vietnamese in the .po).")

    permission = Attribute(
        "The permission (its title, e.g. 'dongthap.qlvb: View incoming registers') the current "
        "user needs on the agency to see the register in the listing, read it or download it.")

    register = Attribute(
        "The printed form: a dongthap.qlvb.registers.columns.Register (printed title, sheet "
        "name, the legal columns). Rows use its column keys.")

    formats = Attribute("The formats served, a tuple of 'json', 'pdf' and 'xlsx'.")

    companions = Attribute(
        "Mapping of JSON key -> register name: registers answered with this one in its JSON "
        "(e.g. {'register': 'incoming', 'tracking': 'incoming_tracking'}) and selectable with "
        "?register=<name> on its URL. Usually empty.")

    def rows(start, end, filters):
        """The rows of the register, in the printed order.

        ``start``/``end`` are ``datetime.date`` or ``None`` (no bound); ``filters`` a dict
        of the other query parameters (strings) the provider may honour (e.g. a dossier).
        Each row maps column keys of :attr:`register` to ``str``, ``int``,
        ``datetime.date``, ``datetime.datetime`` or ``None``; missing keys print empty.
        The provider reads with the rights of the system (the service has already
        checked :attr:`permission` on the agency) but only the agency's own content.
        """

    def filename(start, end, fmt):
        """The download's file name: Vietnamese without diacritics, e.g.
        ``so-dang-ky-van-ban-den-2026.pdf`` for the printed period ``start``..``end``."""
