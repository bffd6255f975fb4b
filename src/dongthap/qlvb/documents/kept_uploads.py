"""Files chosen in a form that was refused, kept on the server for the next try (issue 15, item 3).

A browser never fills a file input again: after a validation error of the registration form
(incoming) or of the drafting form (outgoing) the chosen PDF — and, on the registration form, the
attachments — would have to be chosen again.
Instead the form keeps it here, for :data:`TTL` seconds, under a random token that the form
sends back in a hidden field; the form shows "Tệp đã chọn: X (giữ lại)" and a new choice replaces
it. Attachments are kept the same way, one token each (``kept_attachments``): the form lists them,
each with a ticked box (untick to leave it out), and attachments chosen again are added to them.

* Only a file the antivirus accepted is kept (:func:`keep` scans it like any upload; a refused
  file is never kept), and it is scanned again as an upload when the form is sent again.
* A kept file belongs to the user who chose it: :func:`take` answers ``None`` for any other user
  (and for an unknown or expired token), so a token seen by someone else is worth nothing.
* Kept files live in the ZODB (a BTree on the site; several Zope processes share it), each as a
  blob; the expired ones are removed whenever a file is kept, and a file is dropped as soon as the
  document was saved with it.
"""

from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations

import logging
import secrets
import time

logger = logging.getLogger("dongthap.qlvb.documents")

KEY = "dongthap.qlvb.kept_uploads"
#: how long a kept file waits for the form to be sent again (seconds)
TTL = 3600
FIELD = "kept_file"
#: the form field of the kept attachments (one token each, ``:list``)
ATTACHMENTS_FIELD = "kept_attachments"


def _store(create=False):
    annotations = IAnnotations(api.portal.get())
    store = annotations.get(KEY)
    if store is None and create:
        store = annotations[KEY] = OOBTree()
    return store


def _me():
    return api.user.get_current().getId()


def purge(now=None):
    """Remove the kept files older than :data:`TTL`; returns how many went."""
    store = _store()
    if not store:
        return 0
    now = now or time.time()
    old = [token for token, entry in store.items() if now - entry["created"] > TTL]
    for token in old:
        del store[token]
    return len(old)


def keep(upload, *, agency=None):
    """Keep ``upload`` (``(bytes, filename)``) for the current user; its token, or None when
    it is not kept (nothing chosen, anonymous, refused by the antivirus)."""
    if not upload or api.user.is_anonymous():
        return None
    data, filename = upload
    try:
        from dongthap.qlvb.antivirus.api import check_file
    except ImportError:  # pragma: no cover - capability not installed
        check_file = None
    if check_file is not None:
        try:
            check_file(data, filename, path_of_entry="form", agency=agency)
        except Exception:  # noqa: BLE001 - refused or not scannable: never kept
            logger.info("kept upload refused by the antivirus: %s", filename)
            return None
    purge()
    token = secrets.token_urlsafe(24)
    _store(create=True)[token] = PersistentMapping(
        userid=_me(), filename=filename, created=time.time(),
        file=NamedBlobFile(data=data, filename=filename))
    return token


def _entry(token):
    store = _store()
    if not token or not isinstance(token, str) or not store:
        return None
    entry = store.get(token)
    if entry is None or entry["userid"] != _me() or time.time() - entry["created"] > TTL:
        return None
    return entry


def filename(token):
    """The name of the file kept under ``token`` for the current user, or None."""
    entry = _entry(token)
    return entry["filename"] if entry is not None else None


def take(token):
    """``(bytes, filename)`` kept under ``token`` for the current user, or None."""
    entry = _entry(token)
    if entry is None:
        return None
    return bytes(entry["file"].data), entry["filename"]


def drop(token):
    """Forget the file kept under ``token`` (the document was saved)."""
    store = _store()
    if store and isinstance(token, str) and token in store and store[token]["userid"] == _me():
        del store[token]
