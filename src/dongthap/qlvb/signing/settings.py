"""Configuration of signing and verification (Plone side).

Two kinds of configuration, kept apart on purpose:

* **Public settings** in the registry (:class:`ISigningSettings`, prefix
  ``dongthap.qlvb.signing``): the trust store (root/intermediate CA
  certificates as PEM – certificates are public), the time-stamping URL and
  the revocation policy.  Managed in the control panel "Chữ ký số".
* **Secrets** never enter the ZODB: the agency seal keys are found on the
  server by :func:`seal_signer` (see its docstring), passwords and PINs come
  from environment variables or from files outside the ZODB, and are
  handed straight to the key store.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from zope import schema
from zope.interface import Interface

from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import Setting, SettingsGroup

from . import errors
from .certs import CertificatePolicy, common_name, load_certificate

logger = logging.getLogger("dongthap.qlvb.signing")

PREFIX = "dongthap.qlvb.signing"
REVOCATION_POLICIES = ("soft", "hard", "off")
UTC = dt.UTC


class ISigningSettings(Interface):
    """Registry records (``dongthap.qlvb.signing.<name>``)."""

    trust_store = schema.List(
        title=_("label_signing_trust_store", default="Trusted CA certificates"),
        description=_("help_signing_trust_store",
                      default="Root and intermediate CA certificates (PEM)."),
        value_type=schema.Text(), required=False, default=[], missing_value=[])

    tsa_url = schema.TextLine(
        title=_("label_signing_tsa_url", default="Time-stamping service (TSA) URL"),
        required=False, default="")

    revocation = schema.Choice(
        title=_("label_signing_revocation", default="Revocation checks (CRL/OCSP)"),
        values=REVOCATION_POLICIES, default="soft", required=True)

    revocation_timeout = schema.Int(
        title=_("label_signing_revocation_timeout",
                default="Timeout of CRL/OCSP requests (seconds)"),
        default=5, min=1, max=60, required=True)


# --------------------------------------------------------------------------
# registry access


def _get(name, default=None):
    from plone import api

    try:
        value = api.portal.get_registry_record(f"{PREFIX}.{name}", default=default)
    except Exception:  # noqa: BLE001 - profile not (yet) installed: defaults
        return default
    return default if value is None else value


def _set(name, value):
    from plone import api

    api.portal.set_registry_record(f"{PREFIX}.{name}", value)


def trust_store_pems() -> list[str]:
    """The PEM texts of the trust store."""
    return list(_get("trust_store", []) or [])


def trust_store() -> list[x509.Certificate]:
    """The trust store as certificates (unreadable entries are skipped)."""
    result = []
    for pem in trust_store_pems():
        try:
            result.append(load_certificate(pem.encode()))
        except (ValueError, TypeError):
            logger.warning("unreadable certificate in the trust store skipped")
    return result


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint, upper-case hex with colons."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def describe(cert: x509.Certificate) -> dict:
    """JSON-friendly summary of a certificate (no secrets in a certificate)."""
    now = dt.datetime.now(UTC)
    return {
        "subject": cert.subject.rfc4514_string(),
        "common_name": common_name(cert),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "X"),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "fingerprint": fingerprint(cert),
        "is_ca": _is_ca(cert),
        "expired": now > cert.not_valid_after_utc,
    }


def _is_ca(cert) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def parse_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates of an uploaded PEM bundle or a DER file (ValueError if none)."""
    data = bytes(data or b"")
    if b"-----BEGIN CERTIFICATE-----" in data:
        certs = x509.load_pem_x509_certificates(data)
    else:
        certs = [x509.load_der_x509_certificate(data)]
    if not certs:
        raise ValueError("no certificate")
    return certs


def add_trusted(data: bytes) -> list[x509.Certificate]:
    """Add the CA certificates in ``data`` to the trust store; returns those added.

    :raises ValueError: not a certificate, or not a CA certificate.
    """
    certs = parse_certificates(data)
    if not all(_is_ca(c) for c in certs):
        raise ValueError("not a CA certificate")
    pems = trust_store_pems()
    known = {fingerprint(c) for c in trust_store()}
    added = []
    for cert in certs:
        if fingerprint(cert) in known:
            continue
        pems.append(cert.public_bytes(serialization.Encoding.PEM).decode("ascii"))
        known.add(fingerprint(cert))
        added.append(cert)
    _set("trust_store", pems)
    logger.info("trust store: %d certificate(s) added (%s)", len(added),
                ", ".join(common_name(c) for c in added))
    return added


def remove_trusted(fp: str) -> bool:
    """Remove the certificate with SHA-256 fingerprint ``fp``."""
    kept, removed = [], False
    for pem in trust_store_pems():
        try:
            if fingerprint(load_certificate(pem.encode())) == fp:
                removed = True
                continue
        except (ValueError, TypeError):
            pass
        kept.append(pem)
    if removed:
        _set("trust_store", kept)
        logger.info("trust store: certificate %s removed", fp)
    return removed


ENV_TSA_URL = "QLVB_TSA_URL"
ENV_KEYS_DIR = "QLVB_KEYS_DIR"
_KEY_FILES = "PKCS#12 file and its password, or PKCS#11 module, token, key label and PIN; "
SETTINGS = SettingsGroup("Signing", interface=ISigningSettings, prefix=PREFIX, settings=(
    Setting(ENV_TSA_URL, record="tsa_url", shown_default="control panel; `make start`: "
                                                         "`http://127.0.0.1:8765/pki/tsa`",
            doc="RFC 3161 time-stamping service put on every signature; when set and unreachable, nothing "
                "is signed (clear error)."),
    Setting(ENV_KEYS_DIR, default="", shown_default="`var/keys`",
            doc="Where agency seals and server-held personal keys live (`<agency code>/seal.p12` + "
                "`seal.pass`, `users/<userid>/person.*`); never in the ZODB."),
    Setting("QLVB_SEAL_<K>_P12, _PASSWORD, _PASSWORD_FILE, _PKCS11_MODULE, _PKCS11_TOKEN, _PKCS11_KEY_LABEL, "
            "_PIN, _PIN_FILE", pattern=True, shown_default="files in `QLVB_KEYS_DIR`",
            doc="The seal of the agency with code `<K>` (dots as `_`, e.g. `000_00_14_H20`): "
                + _KEY_FILES + "see `seal_signer`."),
    Setting("QLVB_USER_<K>_P12, … (as for seals)", pattern=True, shown_default="files in `QLVB_KEYS_DIR`",
            doc="A server-held personal key of user `<K>`: " + _KEY_FILES + "see `person_signer`."),
))


def tsa_url() -> str | None:
    """The RFC 3161 time-stamping service: ``$QLVB_TSA_URL`` when set, else the control panel."""
    return (SETTINGS.value(ENV_TSA_URL) or "").strip() or None


def revocation_policy() -> str:
    value = _get("revocation", "soft")
    return value if value in REVOCATION_POLICIES else "soft"


def revocation_timeout() -> float:
    return float(_get("revocation_timeout", 5) or 5)


def _split_trust():
    roots, intermediates = [], []
    for cert in trust_store():
        (roots if cert.subject == cert.issuer else intermediates).append(cert)
    return roots, intermediates


def verify_options() -> dict:
    """Keyword arguments for :func:`~.verify.verify_pdf` from the settings.

    Intermediate CA certificates of the trust store help to build chains;
    only self-signed roots are trust anchors.
    """
    roots, intermediates = _split_trust()
    policy = revocation_policy()
    return {"trust_roots": roots, "intermediates": intermediates,
            "check_revocation": policy != "off", "allow_fetching": policy != "off",
            "require_revocation": policy == "hard", "timeout": revocation_timeout()}


def certificate_policy() -> CertificatePolicy:
    """The pre-signing check: chain to the trust store, revocation per policy."""
    roots, intermediates = _split_trust()
    policy = revocation_policy()
    return CertificatePolicy(
        trust_roots=tuple(roots), intermediates=tuple(intermediates),
        check_revocation=policy != "off", allow_fetching=policy != "off",
        revocation_mode="hard-fail" if policy == "hard" else "soft-fail",
        timeout=revocation_timeout())


# --------------------------------------------------------------------------
# where the keys live (never in the ZODB)


def keys_dir() -> Path:
    """``$QLVB_KEYS_DIR``, else ``<clienthome>/keys`` (``var/keys``)."""
    env = SETTINGS.value(ENV_KEYS_DIR)
    if env:
        return Path(env)
    try:
        from App.config import getConfiguration

        home = getattr(getConfiguration(), "clienthome", None)
    except Exception:  # noqa: BLE001
        home = None
    if home and (Path(home) / "filestorage").is_dir():  # an instance's var/
        return Path(home) / "keys"
    return Path.cwd() / "var" / "keys"  # tests and scripts run from the project


def env_key(code: str) -> str:
    """``000.00.14.H20`` → ``000_00_14_H20`` (for environment variable names)."""
    return re.sub(r"[^A-Za-z0-9]", "_", code or "").upper()


def _read_secret(env_name: str, file_path: Path | None) -> str | None:
    """A password/PIN from ``$env_name``, ``$env_name_FILE`` or ``file_path``."""
    if os.environ.get(env_name):
        return os.environ[env_name]
    file_env = os.environ.get(f"{env_name}_FILE")
    for candidate in (Path(file_env) if file_env else None, file_path):
        if candidate is not None and candidate.is_file():
            return candidate.read_text(encoding="utf-8").rstrip("\r\n")
    return None


@dataclass(frozen=True)
class KeySource:
    """Where a key is (no secret in here; shown in the control panel)."""

    kind: str  # pkcs12 | pkcs11 | none
    location: str = ""
    has_secret: bool = False
    image: Path | None = None


def _source(prefix: str, directory: Path, stem: str) -> KeySource:
    """Find a key: environment ``<prefix>_*`` first, then files in ``directory``."""
    image = directory / f"{stem}.png"
    image = image if image.is_file() else None
    module = os.environ.get(f"{prefix}_PKCS11_MODULE")
    p11_conf = directory / f"{stem}.pkcs11.json"
    if module or p11_conf.is_file():
        conf = {}
        if p11_conf.is_file():
            conf = json.loads(p11_conf.read_text(encoding="utf-8"))
        module = module or conf.get("module", "")
        token = os.environ.get(f"{prefix}_PKCS11_TOKEN") or conf.get("token", "")
        label = os.environ.get(f"{prefix}_PKCS11_KEY_LABEL") or conf.get("key_label", "")
        pin = _read_secret(f"{prefix}_PIN", directory / f"{stem}.pin")
        return KeySource("pkcs11", f"{module} token={token} key={label}", pin is not None, image)
    p12 = os.environ.get(f"{prefix}_P12")
    p12_path = Path(p12) if p12 else directory / f"{stem}.p12"
    if p12_path.is_file():
        pwd = _read_secret(f"{prefix}_PASSWORD", directory / f"{stem}.pass")
        return KeySource("pkcs12", str(p12_path), pwd is not None, image)
    return KeySource("none", str(p12_path), False, image)


def _open(prefix: str, directory: Path, stem: str, who: str, policy):
    from .signers import Pkcs11Signer, Pkcs12Signer

    source = _source(prefix, directory, stem)
    if source.kind == "none":
        raise errors.SignerNotConfiguredError(who=who)
    if source.kind == "pkcs11":
        conf_path = directory / f"{stem}.pkcs11.json"
        conf = json.loads(conf_path.read_text(encoding="utf-8")) if conf_path.is_file() else {}
        pin = _read_secret(f"{prefix}_PIN", directory / f"{stem}.pin")
        if pin is None:
            raise errors.SignerNotConfiguredError("PIN missing", who=who)
        chain = []
        chain_file = directory / f"{stem}.chain.pem"
        if chain_file.is_file():
            chain = x509.load_pem_x509_certificates(chain_file.read_bytes())
        return Pkcs11Signer(
            os.environ.get(f"{prefix}_PKCS11_MODULE") or conf.get("module", ""),
            os.environ.get(f"{prefix}_PKCS11_TOKEN") or conf.get("token", ""), pin,
            key_label=os.environ.get(f"{prefix}_PKCS11_KEY_LABEL") or conf.get("key_label"),
            chain=chain, policy=policy)
    pwd = _read_secret(f"{prefix}_PASSWORD", directory / f"{stem}.pass")
    if pwd is None:
        raise errors.SignerNotConfiguredError("password missing", who=who)
    try:
        return Pkcs12Signer(Path(source.location), pwd, policy=policy)
    except OSError as exc:
        raise errors.SignerNotConfiguredError(type(exc).__name__, who=who) from exc


def seal_source(agency_code: str) -> KeySource:
    return _source(f"QLVB_SEAL_{env_key(agency_code)}", keys_dir() / agency_code, "seal")


def seal_signer(agency_code: str, agency_title: str = ""):
    """The agency seal signer of ``agency_code``.

    Looked up, in this order (``<K>`` = the code with dots as ``_``, e.g.
    ``000_00_14_H20``):

    1. PKCS#11: ``QLVB_SEAL_<K>_PKCS11_MODULE`` / ``_PKCS11_TOKEN`` /
       ``_PKCS11_KEY_LABEL`` or ``<keys>/<code>/seal.pkcs11.json``
       (``{"module", "token", "key_label"}``); PIN in ``QLVB_SEAL_<K>_PIN``,
       ``QLVB_SEAL_<K>_PIN_FILE`` or ``<keys>/<code>/seal.pin``; extra chain in
       ``seal.chain.pem``;
    2. PKCS#12: ``QLVB_SEAL_<K>_P12`` or ``<keys>/<code>/seal.p12``; password
       in ``QLVB_SEAL_<K>_PASSWORD``, ``QLVB_SEAL_<K>_PASSWORD_FILE`` or
       ``<keys>/<code>/seal.pass``.

    ``<keys>`` is :func:`keys_dir`.  The seal image is ``<keys>/<code>/seal.png``.

    :raises SignerNotConfiguredError: nothing configured / secret missing.
    :raises TokenError: wrong password/PIN, absent token.
    """
    return _open(f"QLVB_SEAL_{env_key(agency_code)}", keys_dir() / agency_code, "seal",
                 agency_title or agency_code, certificate_policy())


def seal_image(agency_code: str) -> bytes | None:
    path = keys_dir() / agency_code / "seal.png"
    return path.read_bytes() if path.is_file() else None


def person_source(userid: str) -> KeySource:
    return _source(f"QLVB_USER_{env_key(userid)}", keys_dir() / "users" / userid, "person")


def person_signer(userid: str, fullname: str = ""):
    """A server-held personal key of ``userid`` (remote signing / HSM / demo).

    Same rules as :func:`seal_signer` with ``QLVB_USER_<K>_*`` and
    ``<keys>/users/<userid>/person.*``.  Staff with a USB token use the
    external two-step flow instead.
    """
    return _open(f"QLVB_USER_{env_key(userid)}", keys_dir() / "users" / userid, "person",
                 fullname or userid, certificate_policy())


def person_image(userid: str) -> bytes | None:
    path = keys_dir() / "users" / userid / "signature.png"
    return path.read_bytes() if path.is_file() else None


def seal_status(agency_code: str) -> dict:
    """``found`` / ``missing`` / ``expired`` / ``error`` with a description."""
    source = seal_source(agency_code)
    out = {"kind": source.kind, "location": source.location, "status": "missing",
           "certificate": None, "error": None}
    if source.kind == "none":
        return out
    try:
        signer = seal_signer(agency_code)
        cert = signer.certificate
    except errors.SigningError as exc:
        out["status"], out["error"] = "error", exc.message
        return out
    out["certificate"] = describe(cert)
    out["status"] = "expired" if out["certificate"]["expired"] else "found"
    return out
