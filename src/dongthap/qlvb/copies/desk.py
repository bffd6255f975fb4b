"""Copies on the desk: "Bản sao chờ ký" (the chosen signer) and "Bản sao chờ cấp số" (the clerk)."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from zope.component import adapter
from zope.interface import implementer

LISTS = {
    "waiting_signature": _("desk_copies_waiting_signature", default="Copies waiting for my signature"),
    "waiting_issue": _("desk_copies_waiting_issue", default="Copies waiting to be numbered and sealed"),
}


def waiting(root, userid, key):
    """The copies of the list ``key`` for ``userid`` (brains)."""
    from dongthap.qlvb.documents.queries import find

    path = "/".join(root.getPhysicalPath())
    if key == "waiting_signature":
        return [b for b in find(path=path, portal_type="DocumentCopy", review_state="draft")
                if b._unrestrictedGetObject().signer == userid]
    return list(find(path=path, portal_type="DocumentCopy", review_state="signed"))


@implementer(IDeskSection)
@adapter(IAgency)
class CopiesSection:
    order = 25  # after the outgoing documents (20), before the dossiers (30)
    title = _("heading_copies", default="Copies of documents")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        root = copies.register_root(self.agency)
        if root is None:
            return []
        keys = []
        if "QlvbLeader" in roles:
            keys.append("waiting_signature")
        if "QlvbClerk" in roles:
            keys.append("waiting_issue")
        base = f"{root.absolute_url()}/@@so-ban-sao?list="
        return [{"key": key, "title": LISTS[key], "count": len(waiting(root, userid, key)), "url": base + key,
                 "tone": None} for key in keys]
