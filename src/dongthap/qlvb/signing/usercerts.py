"""Each user's signing certificate(s), registered in their profile.

Stored as PEM (public data) in an ``OOBTree`` annotation of the site,
``userid → PersistentList[str]``: a user may keep a renewed certificate
next to the old one.  A leader can sign only with a certificate registered
here for their own account (:func:`check_registered`).
"""

from __future__ import annotations

import logging

from BTrees.OOBTree import OOBTree
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from persistent.list import PersistentList
from plone import api
from zope.annotation.interfaces import IAnnotations

from . import errors
from .certs import common_name, load_certificate
from .settings import describe, fingerprint, parse_certificates

logger = logging.getLogger("dongthap.qlvb.signing")
KEY = "dongthap.qlvb.signing.user_certificates"


def _storage(create=False):
    annotations = IAnnotations(api.portal.get())
    store = annotations.get(KEY)
    if store is None and create:
        store = annotations[KEY] = OOBTree()
    return store


def certificates(*, userid: str) -> list[x509.Certificate]:
    """The certificates registered for ``userid``."""
    store = _storage()
    result = []
    for pem in (store.get(userid, ()) if store is not None else ()):
        try:
            result.append(load_certificate(pem.encode()))
        except ValueError:
            continue
    return result


def describe_all(*, userid: str) -> list[dict]:
    return [describe(c) for c in certificates(userid=userid)]


def register(*, userid: str, data: bytes) -> x509.Certificate:
    """Register the end-entity certificate in ``data`` (PEM or DER) for ``userid``.

    :raises ValueError: not a certificate, or a CA certificate.
    """
    certs = parse_certificates(data)
    cert = certs[0]
    if describe(cert)["is_ca"]:
        raise ValueError("CA certificate")
    store = _storage(create=True)
    pems = store.get(userid)
    if pems is None:
        pems = store[userid] = PersistentList()
    if fingerprint(cert) not in {fingerprint(c) for c in certificates(userid=userid)}:
        pems.append(cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
    logger.info("signing certificate %s (%s) registered for %s",
                format(cert.serial_number, "X"), common_name(cert), userid)
    return cert


def unregister(*, userid: str, fp: str) -> bool:
    """Remove the certificate with fingerprint ``fp`` of ``userid``."""
    store = _storage()
    if store is None or userid not in store:
        return False
    pems = store[userid]
    for index, pem in enumerate(list(pems)):
        if fingerprint(load_certificate(pem.encode())) == fp:
            del pems[index]
            logger.info("signing certificate %s unregistered for %s", fp, userid)
            return True
    return False


def check_registered(*, userid: str, certificate) -> None:
    """Raise unless ``certificate`` is registered for ``userid``."""
    cert = load_certificate(certificate)
    registered = certificates(userid=userid)
    if not registered:
        raise errors.NoRegisteredCertificateError()
    if fingerprint(cert) not in {fingerprint(c) for c in registered}:
        raise errors.CertificateMismatchError(subject=common_name(cert))
