"""Where notifications live: per-user boxes in an annotation of the site.

Why the ZODB and not a table: a notification is written in the transaction of the action
that causes it (an assignment that is rolled back leaves no notification behind) and read
with the user's page; the ZODB gives both without a second database to keep consistent.
Conflicts and bloat are kept small by the shape:

* ``boxes``: an ``OOBTree`` user id → :class:`Box`. A box is its own persistent object, so
  two actions notifying different people never write the same object; the tree itself
  changes only when a person gets his first notification.
* ``Box.items``: an ``LOBTree`` keyed by a time-based integer (microseconds × 1000 plus a
  random suffix): two concurrent notifications of one person insert different keys, which
  BTree conflict resolution merges; ``Box.unread`` is a ``BTrees.Length`` (its conflicts
  resolve by adding the deltas), so the bell's count never reads the items.
* every box keeps about :data:`MAX_ITEMS` notifications (trimmed back to it when it holds
  :data:`SLACK` more; the oldest read ones go first, then the oldest): a person's box never
  grows without bound.
"""

from BTrees.Length import Length
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.mapping import PersistentMapping
from zope.annotation.interfaces import IAnnotations

import random
import time

KEY = "dongthap.qlvb.notifications"
MAX_ITEMS = 300
#: a full box is trimmed back to MAX_ITEMS once it holds this many more (amortized work per add)
SLACK = 50


class Box(Persistent):
    """The notifications and preferences of one person."""

    def __init__(self):
        self.items = LOBTree()
        self.unread = Length()
        self.prefs = PersistentMapping()
        #: ISO time of the last daily digest sent to this person
        self.digest_at = None


def _root(site, create=True):
    annotations = IAnnotations(site)
    root = annotations.get(KEY)
    if root is None and create:
        root = annotations[KEY] = OOBTree()
        root["boxes"] = OOBTree()
    return root


def boxes(site, create=False):
    root = _root(site, create=create)
    return root["boxes"] if root is not None else None


def box(site, userid, create=False):
    all_boxes = boxes(site, create=create)
    if all_boxes is None:
        return None
    found = all_boxes.get(userid)
    if found is None and create:
        found = all_boxes[userid] = Box()
    return found


def new_key():
    """Time-ordered, practically unique: microseconds × 1000 + a random part."""
    return int(time.time() * 1_000_000) * 1000 + random.randrange(1000)


def add(site, userid, item):
    """Store ``item`` (a dict) for ``userid``; returns its key."""
    target = box(site, userid, create=True)
    key = new_key()
    while key in target.items:
        key += 1
    target.items[key] = dict(item, read=False)
    target.unread.change(1)
    _trim(target)
    return key


def _trim(target):
    excess = len(target.items) - MAX_ITEMS
    if excess < SLACK:
        return
    old_read = [k for k, v in target.items.items() if v.get("read")][:excess]
    for key in old_read:
        del target.items[key]
    excess -= len(old_read)
    if excess > 0:
        for key in list(target.items.keys())[:excess]:
            if not target.items[key].get("read"):
                target.unread.change(-1)
            del target.items[key]


def mark_read(target, keys=None):
    """Mark ``keys`` (all when None) read; returns how many changed."""
    changed = 0
    for key in (list(target.items.keys()) if keys is None else keys):
        item = target.items.get(key)
        if item is not None and not item.get("read"):
            target.items[key] = dict(item, read=True)
            changed += 1
    if changed:
        target.unread.change(-changed)
    return changed


def root(site, create=True):
    """The whole annotation (the reminder job keeps its state there too)."""
    return _root(site, create=create)
