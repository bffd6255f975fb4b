"""The register folders of an agency: ``<agency>/<root>/<year>/<document>``.

Incoming documents live under ``van-ban-den``, outgoing ones under
``van-ban-di``; each root holds one folder per year. The folders are
created on demand (by the code that stores a document, whoever the user
is), stay out of the navigation and block the navigation portlets, which
would otherwise list a whole year of documents.
"""

from plone.dexterity.utils import createContent

import dataclasses


def register_root(agency, *, root_id, portal_type, title, create=False):
    """``<agency>/<root_id>``; created as ``portal_type`` with ``title`` when ``create``."""
    if root_id in agency.objectIds():
        return agency[root_id]
    if not create:
        return None
    return make_folder(agency, folder_id=root_id, portal_type=portal_type, title=title)


def year_folder(agency, year, *, root_id, portal_type, root_title, year_title, create=False):
    """``<agency>/<root_id>/<year>``; ``year_title`` is formatted with ``year``."""
    root = register_root(agency, root_id=root_id, portal_type=portal_type, title=root_title,
                         create=create)
    if root is None:
        return None
    key = str(year)
    if key in root.objectIds():
        return root[key]
    if not create:
        return None
    return make_folder(root, folder_id=key, portal_type=portal_type, title=year_title.format(year=year))


def make_folder(container, *, folder_id, portal_type, title):
    folder = createContent(portal_type, title=title)
    folder.id = folder_id
    folder.exclude_from_nav = True
    container._setObject(folder_id, folder)
    folder = container[folder_id]
    block_portlets(folder)
    return folder


def block_portlets(folder):
    """No navigation portlet below a register: it would list a whole year of documents."""
    from plone.portlets.constants import CONTEXT_CATEGORY
    from plone.portlets.interfaces import ILocalPortletAssignmentManager
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import queryUtility

    for name in ("plone.leftcolumn", "plone.rightcolumn"):
        manager = queryUtility(IPortletManager, name=name)
        if manager is not None:
            getMultiAdapter((folder, manager), ILocalPortletAssignmentManager).setBlacklistStatus(
                CONTEXT_CATEGORY, True)


@dataclasses.dataclass(frozen=True)
class DocumentRegister:
    """Where the documents of one kind live in an agency, and how they are named.

    One instance per kind (``content.incoming.REGISTER``, ``content.outgoing.REGISTER``).
    """

    root_id: str        # van-ban-den
    portal_type: str    # of the root and year folders
    title: str          # Văn bản đến
    id_prefix: str      # vbd-
    lock_name: str      # the register lock of the agency (numbering)

    def root(self, agency, create=False):
        """``<agency>/<root_id>`` (created on demand when ``create``)."""
        return register_root(agency, root_id=self.root_id, portal_type=self.portal_type,
                             title=self.title, create=create)

    def year_folder(self, agency, year, create=False):
        return year_folder(agency, year, root_id=self.root_id, portal_type=self.portal_type,
                           root_title=self.title, year_title=self.title + " năm {year}", create=create)

    def new_id(self, container):
        """A short, random, unused id such as ``vbd-k3m9x2qa7d``."""
        from dongthap.qlvb.content.documents import new_document_id

        return new_document_id(container, self.id_prefix)

    def lock_key(self, agency):
        """The key of the agency's register lock (see :mod:`dongthap.qlvb.numbering.retry`)."""
        return (self.lock_name, "/".join(agency.getPhysicalPath()))
