"""The incident log of the antivirus service ("Sự cố an toàn thông tin").

Every detection, every scanner failure and every file accepted without a scan
(degraded mode, scanning switched off) becomes one incident; so does every
switch of degraded mode.

**Incidents survive the refusal.**  An infected upload is refused by raising,
and the publisher then aborts the request's transaction - an incident written
in that transaction would vanish with it.  :func:`record` therefore writes in
a *separate* ZODB connection with its own transaction manager and commits
there at once (with retries on conflicts), before the exception reaches the
publisher.  Only when that is impossible (no database yet, site not
committed) it falls back to the application log (``ERROR``), never silently.

Storage: a :class:`IncidentLog` in an annotation of the site, holding a
``LOBTree`` (key: microseconds since the epoch, unique) of plain dicts and an
``OOBTree`` agency UID -> ``LLTreeSet`` of keys, so listing one agency's
incidents never loads the others.  Plain dicts inside the buckets keep the
log compact; BTrees resolve concurrent inserts of different keys.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, UTC

import transaction
from BTrees.LLBTree import LLTreeSet
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations

logger = logging.getLogger("dongthap.qlvb.antivirus")

ANNOTATION_KEY = "dongthap.qlvb.antivirus.incidents"
NO_AGENCY = ""

# Kinds of incidents.
INFECTED = "infected"
NOT_SCANNED = "not_scanned"
ACCEPTED_UNSCANNED = "accepted_unscanned"
DEGRADED_ON = "degraded_on"
DEGRADED_OFF = "degraded_off"
#: an exchange package tried to change a document its sender has no right to (forged status/recall)
EXCHANGE_FORGERY = "exchange_forgery"
#: an account locked after too many failed logins (issue 19)
ACCOUNT_LOCKED = "account_locked"
#: a user (or an admin for him) reported losing control of an account (issue 19)
ACCOUNT_COMPROMISED = "account_compromised"
KINDS = (INFECTED, NOT_SCANNED, ACCEPTED_UNSCANNED, DEGRADED_ON, DEGRADED_OFF, EXCHANGE_FORGERY,
         ACCOUNT_LOCKED, ACCOUNT_COMPROMISED)

#: States of an incident (issue 19): mới, đang xử lý, đã xử lý. Incidents stored before have none: new.
NEW, IN_PROGRESS, RESOLVED = "new", "in_progress", "resolved"
STATES = (NEW, IN_PROGRESS, RESOLVED)

#: Columns of the incident records (and of the CSV/XLSX export), in order.
FIELDS = (
    "id",
    "when",
    "kind",
    "userid",
    "filename",
    "size",
    "sha256",
    "signature",
    "reason",
    "path_of_entry",
    "agency_uid",
    "agency_code",
    "agency_title",
    "location",
    "detail",
    "state",
)

_key_lock = threading.Lock()
_last_key = [0]


def _new_key() -> int:
    """A unique, increasing key (µs since the epoch, bumped on collision)."""
    with _key_lock:
        key = max(int(time.time() * 1_000_000), _last_key[0] + 1)
        _last_key[0] = key
    return key


class IncidentLog(Persistent):
    """Scalable incident storage (see module doc)."""

    def __init__(self):
        self.items = LOBTree()
        self.by_agency = OOBTree()
        self.seen = OOBTree()  # userid -> key of the newest incident they saw

    def add(self, incident: dict) -> int:
        key = _new_key()
        while key in self.items:  # another process took it
            key += 1
        incident = dict(incident, id=key)
        self.items[key] = incident
        agency = incident.get("agency_uid") or NO_AGENCY
        keys = self.by_agency.get(agency)
        if keys is None:
            keys = self.by_agency[agency] = LLTreeSet()
        keys.insert(key)
        return key

    def handle(self, key: int, *, state=None, note="", userid="") -> dict:
        """Move incident *key* to *state* and/or add a *note*; the stored incident (KeyError if none)."""
        incident = dict(self.items[key])
        if state:
            if state not in STATES:
                raise ValueError(state)
            incident["state"] = state
        if note:
            incident["notes"] = [*incident.get("notes", ()), {"when": now_iso(), "userid": userid,
                                                             "text": note, "state": incident.get("state")}]
        self.items[key] = incident
        return incident

    def __len__(self):
        return len(self.items)

    def query(self, agency_uids=None, limit=None, start=0):
        """Newest first; ``agency_uids=None`` means all agencies."""
        if agency_uids is None:
            keys = self.items.keys()
            ordered = reversed(keys) if hasattr(keys, "__reversed__") else reversed(list(keys))
        else:
            found = []
            for uid in agency_uids:
                found.extend(self.by_agency.get(uid or NO_AGENCY, ()))
            ordered = iter(sorted(found, reverse=True))
        result = []
        for index, key in enumerate(ordered):
            if index < start:
                continue
            if limit is not None and len(result) >= limit:
                break
            result.append(dict(self.items[key]))
        return result

    def count(self, agency_uids=None, since=0):
        if agency_uids is None:
            return len(self.items.keys(min=since + 1)) if since else len(self.items)
        total = 0
        for uid in agency_uids:
            keys = self.by_agency.get(uid or NO_AGENCY)
            if keys is not None:
                total += len(keys.keys(min=since + 1)) if since else len(keys)
        return total


def get_log(site, create=False):
    """The site's :class:`IncidentLog` (None when absent and not *create*)."""
    annotations = IAnnotations(site)
    log = annotations.get(ANNOTATION_KEY)
    if log is None and create:
        log = annotations[ANNOTATION_KEY] = IncidentLog()
    return log


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _site_path(site):
    return "/".join(site.getPhysicalPath())


def _write_separately(site, incident: dict, attempts: int = 5):
    """Commit *incident* in a separate connection of the site's database."""
    jar = getattr(site, "_p_jar", None)
    if jar is None or site._p_oid is None:
        raise RuntimeError("site is not stored in a database yet")
    db = jar.db()
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    try:
        for attempt in range(attempts):
            tm.begin()
            try:
                other_site = conn.get(site._p_oid)
                log = get_log(other_site, create=True)
                key = log.add(incident)
                tm.get().note(f"antivirus incident {incident.get('kind')}")
                tm.commit()
                return key
            except ConflictError:
                tm.abort()
                if attempt == attempts - 1:
                    raise
                time.sleep(0.01 * (attempt + 1))
            except BaseException:
                tm.abort()
                raise
    finally:
        conn.close()


def record(site, **values) -> dict:
    """Record one incident so that it survives the current transaction's abort.

    Returns the stored incident (with its ``id``; ``id`` is None when only the
    application log could take it).
    """
    incident = {name: values.get(name) for name in FIELDS if name != "id"}
    incident["when"] = incident.get("when") or now_iso()
    incident["kind"] = incident.get("kind") or NOT_SCANNED
    incident["state"] = incident.get("state") or NEW
    line = " ".join(
        f"{name}={incident[name]!r}" for name in FIELDS if incident.get(name) not in (None, "")
    )
    try:
        key = _write_separately(site, incident)
    except Exception:
        logger.exception("antivirus INCIDENT NOT STORED in the incident log: %s", line)
        return dict(incident, id=None)
    level = logging.INFO if incident["kind"] == DEGRADED_OFF else logging.WARNING
    logger.log(level, "antivirus incident %s: %s", key, line)
    return dict(incident, id=key)


def mark_seen(site, userid: str, key: int) -> None:
    """Remember the newest incident *userid* has seen (separate transaction)."""
    jar = getattr(site, "_p_jar", None)
    if jar is None or site._p_oid is None or not userid:
        return
    tm = transaction.TransactionManager()
    conn = jar.db().open(transaction_manager=tm)
    try:
        tm.begin()
        log = get_log(conn.get(site._p_oid))
        if log is not None and log.seen.get(userid, 0) < key:
            log.seen[userid] = key
            tm.commit()
        else:
            tm.abort()
    except ConflictError:
        tm.abort()
    finally:
        conn.close()
