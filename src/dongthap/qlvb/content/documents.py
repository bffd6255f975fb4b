"""What incoming and outgoing documents share: their yearly folders and their ids.

Documents live in ``<agency>/<register>/<year>/`` (see
:mod:`dongthap.qlvb.documents.storage`): BTree folders with unordered
contents, out of the navigation, so that an agency with hundreds of
thousands of documents stays fast. Ids are short and random (``vbd-…``,
``vbdi-…``): not derived from the Vietnamese trích yếu, never racing between
two clerks.
"""

from plone.dexterity.content import Container

import secrets

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
ID_LENGTH = 10


class DocumentFolder(Container):
    """Unordered BTree folder of a register or one year of it, never shown in navigation."""

    _ordering = "unordered"
    exclude_from_nav = True


def new_document_id(container, prefix):
    """A short, random id with ``prefix`` not yet used in ``container``."""
    while True:
        candidate = prefix + "".join(secrets.choice(ID_ALPHABET) for _i in range(ID_LENGTH))
        if candidate not in container:
            return candidate
