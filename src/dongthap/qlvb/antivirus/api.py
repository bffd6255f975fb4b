"""The antivirus API of the Plone side: one call for every path a file enters by.

Other capabilities (delivery between agencies, the exchange inbox, imports,
version uploads) call :func:`check_file` with the bytes (or a file object, or
a ``NamedFile``/``NamedBlobFile``) *before* they store them::

    from dongthap.qlvb.antivirus.api import check_file
    result = check_file(data, "to-trinh.pdf", path_of_entry="exchange", agency=agency)

It raises :class:`~dongthap.qlvb.antivirus.scanner.VirusFound` or
:class:`~dongthap.qlvb.antivirus.scanner.ScanFailed` (``exc.message`` is the
translatable Vietnamese message naming the file and the signature) and
records an incident that survives the abort of the transaction; it returns a
:class:`~dongthap.qlvb.antivirus.scanner.ScanResult` that is ``clean`` - or,
in degraded mode / with scanning switched off, ``not_scanned`` (recorded as an
incident "accepted without scan").

Files that passed are remembered by their sha256 for the rest of the request
(for at most :data:`CACHE_SECONDS`; without a request: for the rest of the
transaction), so the same bytes are not scanned twice in one request - e.g. the
check of the upload before anything else, then the safety net in the
transaction of ``run_in_transaction`` that stores the file.  A ``NamedBlobFile`` that
passed also carries a persistent marker (status, sha256, size, modification
stamp, MAC with a site secret): the safety net does not rescan unchanged
files on every later modification, and a marker copied from another site or
forged does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time

import transaction
from dongthap.qlvb.antivirus import incidents
from dongthap.qlvb.antivirus.scanner import (
    CLEAN,
    ERROR,
    NOT_SCANNED,
    AntivirusError,
    ScanFailed,
    ScanResult,
    VirusFound,
    check_upload,
)
from dongthap.qlvb.antivirus.settings import get_config

logger = logging.getLogger("dongthap.qlvb.antivirus")

MARKER_ATTR = "_qlvb_av"
_CACHE_KEY = object()  # key of the transaction-local {sha256: (ScanResult, time)}
_REQUEST_CACHE_ATTR = "_qlvb_av_verified"  # the same, on the request
#: How long a passed scan is remembered within one request (a script run with
#: one request for hours, e.g. the exchange worker under zconsole, rescans).
CACHE_SECONDS = 300
_FALLBACK_SECRET = os.urandom(32)


# --------------------------------------------------------------------------
# Small helpers


def _site():
    from zope.component.hooks import getSite

    site = getSite()
    if site is None:
        return None
    from plone.base.interfaces import IPloneSiteRoot

    for obj in getattr(site, "aq_chain", [site]):
        if IPloneSiteRoot.providedBy(obj):
            return obj
    return site


def _request(request=None):
    if request is not None:
        return request
    from zope.globalrequest import getRequest

    return getRequest()


def _userid():
    from AccessControl import getSecurityManager

    user = getSecurityManager().getUser()
    if user is None:
        return ""
    return user.getId() or user.getUserName() or ""


def _agency_of(context):
    if context is None:
        return None
    from dongthap.qlvb.agencies.api import get_agency

    try:
        return get_agency(context)
    except Exception:
        return None


def _agency_info(agency):
    if agency is None:
        return {"agency_uid": "", "agency_code": "", "agency_title": ""}
    from plone.uuid.interfaces import IUUID

    return {
        "agency_uid": IUUID(agency, "") or "",
        "agency_code": getattr(agency, "agency_code", "") or "",
        "agency_title": getattr(agency, "title", "") or "",
    }


def _location(context):
    if context is None:
        return ""
    try:
        return "/".join(context.getPhysicalPath())
    except Exception:
        return ""


def _verified_set(create=True):
    """``{sha256: (ScanResult, monotonic time)}`` of the request (else the transaction)."""
    request = _request()
    if request is not None:
        try:
            verified = request.__dict__.get(_REQUEST_CACHE_ATTR)
            if verified is None and create:
                verified = request.__dict__[_REQUEST_CACHE_ATTR] = {}
            return verified
        except (AttributeError, TypeError):  # a request without a __dict__
            pass
    txn = transaction.get()
    try:
        return txn.data(_CACHE_KEY)
    except KeyError:
        if not create:
            return None
        verified = {}
        txn.set_data(_CACHE_KEY, verified)
        return verified


def _earlier_result(verified, digest):
    entry = verified.get(digest) if digest else None
    if entry is None:
        return None
    result, when = entry
    if time.monotonic() - when > CACHE_SECONDS:
        del verified[digest]
        return None
    return result


def _is_named_file(value):
    return hasattr(value, "filename") and (
        hasattr(value, "_blob") or hasattr(value, "data")
    )


def _sha256_of(data) -> str | None:
    """sha256 of bytes, a seekable file or a Named(Blob)File; None if unknown."""
    hasher = hashlib.sha256()
    if isinstance(data, (bytes, bytearray, memoryview)):
        hasher.update(data)
        return hasher.hexdigest()
    if _is_named_file(data):
        if hasattr(data, "_blob"):
            with data.open() as fh:
                for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                    hasher.update(chunk)
            return hasher.hexdigest()
        return _sha256_of(data.data)
    try:
        pos = data.tell()
        for chunk in iter(lambda: data.read(1024 * 1024), b""):
            hasher.update(chunk)
        data.seek(pos)
        return hasher.hexdigest()
    except (AttributeError, OSError, ValueError):
        return None


def _secret() -> bytes:
    try:
        from plone.keyring.interfaces import IKeyManager
        from zope.component import getUtility

        secret = getUtility(IKeyManager).secret()
        return secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    except Exception:
        return _FALLBACK_SECRET


def _mac(status, sha256, size, modified) -> str:
    message = f"{status}|{sha256}|{size}|{modified}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------
# Markers on stored files


def _file_size(value):
    try:
        return int(value.getSize())
    except Exception:
        return -1


def mark_verified(value, result: ScanResult) -> None:
    """Put the persistent 'scanned clean' marker on a Named(Blob)File."""
    if not _is_named_file(value) or result.status != CLEAN or not result.sha256:
        return
    size = _file_size(value)
    modified = getattr(value, "_modified", None)
    setattr(
        value,
        MARKER_ATTR,
        (CLEAN, result.sha256, size, modified, _mac(CLEAN, result.sha256, size, modified)),
    )


def is_verified(value) -> bool:
    """True when *value* carries a valid clean marker for its current content."""
    marker = getattr(value, MARKER_ATTR, None)
    if not marker or len(marker) != 5:
        return False
    status, sha256, size, modified, mac = marker
    if status != CLEAN:
        return False
    if size != _file_size(value) or modified != getattr(value, "_modified", None):
        return False
    return hmac.compare_digest(mac, _mac(status, sha256, size, modified))


# --------------------------------------------------------------------------
# The public call


def check_file(
    data,
    filename,
    *,
    path_of_entry,
    agency=None,
    context=None,
    request=None,
    site=None,
):
    """Scan one file about to enter the system; raise when it must be refused.

    *data*: bytes, a binary file object, or a ``NamedFile``/``NamedBlobFile``.
    *path_of_entry*: where it comes from (``form``, ``rest``, ``tus``,
    ``event``, ``commit``, ``delivery``, ``exchange``, ``import``, ``version``
    ...), recorded in incidents.  *agency* (or *context*, from which the
    agency is found) attributes the incident to an agency.

    Raises :class:`VirusFound` / :class:`ScanFailed` (after recording the
    incident and notifying the security officers).  Returns the
    :class:`ScanResult`.
    """
    filename = filename or (getattr(data, "filename", None) or "") or "(không tên)"
    if agency is None:
        agency = _agency_of(context)
    verified = _verified_set()
    if verified:
        digest = _sha256_of(data)
        earlier = _earlier_result(verified, digest)
        if earlier is not None:
            result = ScanResult(
                earlier.status,
                filename,
                earlier.size,
                digest,
                reason=earlier.reason,
                detail="already checked in this transaction",
            )
            if _is_named_file(data):
                mark_verified(data, result)
            return result

    scan_data = data
    opened = None
    if _is_named_file(data):
        if hasattr(data, "_blob"):
            opened = scan_data = data.open()
        else:
            scan_data = data.data
    try:
        try:
            config = get_config()
        except Exception as exc:  # a broken configuration never scans "clean"
            logger.exception("antivirus configuration is invalid")
            result = ScanResult(NOT_SCANNED, filename, -1, None, reason=ERROR, detail=repr(exc))
            error = ScanFailed(result)
            _incident(error.result, incidents.NOT_SCANNED, path_of_entry, agency, context, site)
            raise error from exc
        try:
            result = check_upload(scan_data, filename, config)
        except VirusFound as exc:
            _incident(exc.result, incidents.INFECTED, path_of_entry, agency, context, site)
            raise
        except ScanFailed as exc:
            _incident(exc.result, incidents.NOT_SCANNED, path_of_entry, agency, context, site)
            raise
    finally:
        if opened is not None:
            opened.close()

    digest = result.sha256 or _sha256_of(data)
    if digest:
        verified[digest] = (result, time.monotonic())
    if result.clean:
        if _is_named_file(data):
            mark_verified(data, result)
        return result
    # Degraded mode or scanning switched off: accepted, never silently.
    _incident(result, incidents.ACCEPTED_UNSCANNED, path_of_entry, agency, context, site)
    _warn_user(result, request)
    return result


def _warn_user(result, request):
    request = _request(request)
    if request is None:
        return
    try:
        from dongthap.qlvb.antivirus.scanner import not_scanned_message
        from Products.statusmessages.interfaces import IStatusMessage

        IStatusMessage(request).add(not_scanned_message(result), type="warning")
    except Exception:
        logger.debug("no status message for %s", result.filename, exc_info=True)


def _site_of(obj):
    """The Plone site in *obj*'s acquisition chain (when getSite() is not set)."""
    from plone.base.interfaces import IPloneSiteRoot

    for item in getattr(obj, "aq_chain", ()) or ():
        if IPloneSiteRoot.providedBy(item):
            return item
    return None


def _incident(result, kind, path_of_entry, agency, context, site):
    site = site or _site() or _site_of(agency) or _site_of(context)
    values = dict(
        kind=kind,
        userid=_userid(),
        filename=result.filename,
        size=result.size,
        sha256=result.sha256 or "",
        signature=result.signature or "",
        reason=result.reason or "",
        path_of_entry=path_of_entry,
        location=_location(context),
        detail=result.detail,
        **_agency_info(agency),
    )
    if site is None:
        logger.error("antivirus INCIDENT outside a site (not stored): %r", values)
        return None
    incident = incidents.record(site, **values)
    try:
        from dongthap.qlvb.antivirus.notify import notify_officers

        notify_officers(site, incident, agency)
    except Exception:
        logger.exception("antivirus: notifying the security officers failed")
    return incident


def refuse(exc: AntivirusError):
    """Make sure the current transaction can never commit, then re-raise."""
    try:
        transaction.get().doom()
    except Exception:
        logger.exception("antivirus: could not doom the transaction")
    raise exc


# --------------------------------------------------------------------------
# Objects (safety net)


def _file_items(value):
    """The Named(Blob)Files in a field value: the file itself, or the files of a list/tuple/set."""
    if value is None:
        return []
    if _is_named_file(value):
        return [value]
    if isinstance(value, (str, bytes)):
        return []
    if isinstance(value, dict):
        value = value.values()
    try:
        items = list(value)
    except TypeError:
        return []
    return [item for item in items if _is_named_file(item)]


def _holds_files(field):
    """True for a file/image field and for a collection (or dict) of them."""
    from plone.namedfile.interfaces import INamedField
    from zope.schema.interfaces import ICollection, IDict

    if INamedField.providedBy(field):
        return True
    if ICollection.providedBy(field) or IDict.providedBy(field):
        return _holds_files(getattr(field, "value_type", None))
    return False


_FILE_FIELDS = {}  # id(schema) -> (schema, names of its fields holding files)


def _file_field_names(schema):
    """Names of the fields of *schema* that hold files (computed once per schema)."""
    from zope.schema import getFieldsInOrder

    cached = _FILE_FIELDS.get(id(schema))
    if cached is None or cached[0] is not schema:
        names = tuple(name for name, field in getFieldsInOrder(schema) if _holds_files(field))
        cached = _FILE_FIELDS[id(schema)] = (schema, names)
    return cached[1]


def named_file_values(obj):
    """``[(fieldname, file)]`` of every file on *obj*, in every schema (behaviors too).

    A file field gives one pair; a list/tuple/set field of files (e.g.
    ``attachments``) gives one pair per file, each with the field's name.
    """
    from plone.dexterity.utils import iterSchemata

    found = []
    try:
        schemata = list(iterSchemata(obj))
    except Exception:
        return found
    for schema in schemata:
        for name in _file_field_names(schema):
            try:
                value = getattr(schema(obj), name, None)
            except Exception:
                value = getattr(obj, name, None)
            found.extend((name, item) for item in _file_items(value))
    return found


def unverified_files(obj):
    """The files of *obj* without a valid clean marker (``[(fieldname, file)]``)."""
    return [(name, value) for name, value in named_file_values(obj) if not is_verified(value)]


def verify_object(obj, path_of_entry, request=None):
    """Scan every not-yet-verified file of *obj*; doom + raise on refusal."""
    for _name, value in unverified_files(obj):
        try:
            check_file(
                value,
                getattr(value, "filename", None) or _name,
                path_of_entry=path_of_entry,
                context=obj,
                request=request,
            )
        except AntivirusError as exc:
            refuse(exc)


def check_uploads(files, *, path_of_entry, agency=None, context=None):
    """Scan uploads ``[(field, data, filename)]`` before any other check of them.

    Every file is scanned (each infected one makes its incident) and the
    refusals are returned as ``[(field, filename, AntivirusError)]``,
    :class:`VirusFound` first: the caller answers with the virus refusal
    whatever else is wrong with the file (not a PDF, too many pages...).
    Files that pass are remembered for the request, so storing them later
    does not scan them again.
    """
    refused = []
    for field, data, filename in files:
        if not data:
            continue
        try:
            check_file(data, filename, path_of_entry=path_of_entry, agency=agency, context=context)
        except AntivirusError as exc:
            refused.append((field, filename, exc))
    refused.sort(key=lambda item: not isinstance(item[2], VirusFound))
    return refused


def refuse_raw_uploads(data, *, partial=False, path_of_entry, agency=None, context=None):
    """Scan the ``file`` and ``attachments`` of raw form/JSON input first, whatever else is wrong.

    ``data`` holds them as ``(bytes, filename)`` (``attachments`` a list of
    such); with ``partial`` only the fields present are scanned. Returns
    :func:`upload_refusal` of what :func:`check_uploads` refused (None: all clean).
    Used by the incoming and outgoing ``clean()`` alike.
    """
    candidates = []
    if not partial or "file" in data:
        candidates.append(("file", data.get("file")))
    if not partial or "attachments" in data:
        attachments = data.get("attachments") or ()
        if isinstance(attachments, (list, tuple)):
            candidates.extend(("attachments", item) for item in attachments)
    uploads = [(field, item[0], item[1]) for field, item in candidates
               if isinstance(item, (list, tuple)) and len(item) == 2
               and isinstance(item[0], (bytes, bytearray)) and item[0]]
    return upload_refusal(check_uploads(uploads, path_of_entry=path_of_entry, agency=agency,
                                        context=context))


def upload_refusal(refused):
    """``(message, errors, status)`` for the refusals of :func:`check_uploads`; None if none.

    *message* is the first refusal's (a virus before a scanner failure),
    *errors* one ``{"field", "message"}`` per refused file, *status* 400 when
    a virus was found, 413 when a file is larger than the scanner takes (the
    message names the limit), 503 when the scanner could not answer.
    """
    if not refused:
        return None
    errors = [{"field": field, "message": exc.message} for field, _name, exc in refused]
    first = refused[0][2]
    if isinstance(first, VirusFound):
        status = 400
    elif getattr(getattr(first, "result", None), "reason", None) == "oversize":
        status = 413
    else:
        status = 503
    return first.message, errors, status
