"""What the site remembers of each account's security: a site annotation, ``OOBTree`` userid -> dict.

Only rare events write here (a lock, a password change, the lost-account procedure, an enrolment):
failed logins are counted in memory (:mod:`.throttle`). A lock caused by failed logins is written in a
*separate* connection and committed at once, because the request that caused it answers 401 and its
own transaction is aborted."""

from __future__ import annotations

import time

import transaction
from BTrees.OOBTree import OOBTree
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations

KEY = "dongthap.qlvb.accounts"


def _tree(site, create=False):
    annotations = IAnnotations(site)
    tree = annotations.get(KEY)
    if tree is None and create:
        tree = annotations[KEY] = OOBTree()
    return tree


def get(site, userid) -> dict:
    tree = _tree(site)
    if tree is None or not userid:
        return {}
    return dict(tree.get(userid) or {})


def update(site, userid, **values) -> dict:
    """Set ``values`` of ``userid`` in the current transaction."""
    tree = _tree(site, create=True)
    record = dict(tree.get(userid) or {})
    record.update(values)
    tree[userid] = record
    _safe(site, tree)
    return record


def _safe(site, tree):
    """Bookkeeping of a login may happen in a GET (Basic auth with a second factor): tell plone.protect
    that these writes are meant."""
    from plone.protect.auto import safeWrite
    from zope.globalrequest import getRequest

    request = getRequest()
    if request is None:
        return
    safeWrite(tree, request)
    safeWrite(IAnnotations(site), request)
    bucket = tree._firstbucket
    while bucket is not None:
        safeWrite(bucket, request)
        bucket = bucket._next


def update_now(site, userid, **values) -> dict:
    """Set ``values`` of ``userid`` in a separate transaction committed at once (survives an abort of the
    current one, which sees the change from its next transaction on)."""
    jar = getattr(site, "_p_jar", None)
    if jar is None or site._p_oid is None:
        return update(site, userid, **values)
    tm = transaction.TransactionManager()
    conn = jar.db().open(transaction_manager=tm)
    try:
        for attempt in range(5):
            tm.begin()
            try:
                update(conn.get(site._p_oid), userid, **values)
                tm.get().note(f"account security {userid}")
                tm.commit()
                break
            except ConflictError:
                tm.abort()
                if attempt == 4:
                    raise
                time.sleep(0.01 * (attempt + 1))
    finally:
        conn.close()
    return values


def remove(site, userid):
    tree = _tree(site)
    if tree is not None and userid in tree:
        del tree[userid]


def items(site):
    tree = _tree(site)
    return [] if tree is None else list(tree.items())


AGENCY_MODES_KEY = "dongthap.qlvb.accounts.agency_modes"


def set_agency_mode(site, agency_uid, mode):
    """Remember which agencies chose their own two-factor mode (the mode itself is stored on the agency;
    this index only spares the per-request check when no agency requires two-factor login)."""
    from persistent.mapping import PersistentMapping

    annotations = IAnnotations(site)
    modes = annotations.get(AGENCY_MODES_KEY)
    if modes is None:
        modes = annotations[AGENCY_MODES_KEY] = PersistentMapping()
    if mode:
        modes[agency_uid] = mode
    else:
        modes.pop(agency_uid, None)


def agency_modes(site) -> dict:
    return dict(IAnnotations(site).get(AGENCY_MODES_KEY) or {})
