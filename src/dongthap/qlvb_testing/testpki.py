"""A throw-away test PKI for tests and demo data.

``ensure_test_pki(directory)`` creates (or re-uses) a small certificate
hierarchy with :mod:`cryptography`::

    Root CA "QLVB Test Root CA"
      └─ Intermediate "QLVB Test Signing CA"   (publishes a CRL)
           ├─ leader            Nguyễn Văn An, person, valid
           ├─ staff             Trần Thị Bình, person, valid
           ├─ agency            UBND TỈNH ĐỒNG THÁP, organisation (seal)
           ├─ expired           Lê Văn Cũ, person, expired
           ├─ revoked           Phạm Thị Thu, person, listed on the CRL
           ├─ not_for_signing   Võ Văn Mã, keyEncipherment only
           ├─ tsa               QLVB Test TSA, extendedKeyUsage timeStamping (critical)
           ├─ ocsp_good         Hoàng Văn Minh, person, OCSP only (no CRL DP)
           └─ ocsp_revoked      Đỗ Thị Lan, person, OCSP only, revoked
    Untrusted root "Fake Root CA"
      └─ untrusted_signer   Nguyễn Văn An (same name, other CA)

Person certificates carry ``givenName``/``surname`` and a ``title``;
organisation certificates carry ``CN == O`` and no personal name – the
default classifier of :mod:`dongthap.qlvb.signing.verify` relies on exactly that.  Every
end-entity certificate is written as PEM (cert + unencrypted key) and as
PKCS#12 protected by :data:`TEST_PASSWORD`.  The CRL of the intermediate is
written to ``intermediate.crl`` (DER); certificates point to it through a
CRL distribution point ``<crl_base_url>/intermediate.crl`` so that a test
can serve the directory over local HTTP.  The ``ocsp_*`` certificates have
no CRL distribution point but an Authority Information Access OCSP URL
``<crl_base_url>/ocsp``; the CA's revocation list (the CRL) also lists
``ocsp_revoked``, and the OCSP responder of :mod:`.testpeers` answers from
it.  :mod:`.testpeers` serves the CRL, the OCSP responder and an RFC 3161
time-stamping authority (``tsa``) on one local HTTP server.

The directory content is re-used when ``manifest.json`` matches the
requested ``crl_base_url``; otherwise everything is regenerated.  Keys are
RSA-2048 (what Vietnamese CAs and USB tokens use); generating the whole
PKI takes well under a second.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

TEST_PASSWORD = "qlvb-test-123"
"""Password of every PKCS#12 file of the test PKI (test data only)."""

DEFAULT_CRL_BASE_URL = "http://127.0.0.1:8765/pki"
MANIFEST_VERSION = 3
UTC = dt.UTC


@dataclass(frozen=True)
class Identity:
    """Paths of one end-entity (or CA) of the test PKI."""

    name: str
    cert_pem: Path
    key_pem: Path
    p12: Path | None = None
    password: str = field(default=TEST_PASSWORD, repr=False)

    def certificate(self) -> x509.Certificate:
        """Load the certificate."""
        return x509.load_pem_x509_certificate(self.cert_pem.read_bytes())

    def private_key(self):
        """Load the private key (test data only)."""
        return serialization.load_pem_private_key(self.key_pem.read_bytes(), None)


@dataclass(frozen=True)
class TestPKI:
    """Description of a generated test PKI (all paths absolute)."""

    __test__ = False  # not a pytest test class

    directory: Path
    crl_base_url: str
    root: Identity
    intermediate: Identity
    leader: Identity
    staff: Identity
    agency: Identity
    expired: Identity
    revoked: Identity
    not_for_signing: Identity
    untrusted_root: Identity
    untrusted_signer: Identity
    tsa: Identity
    ocsp_good: Identity
    ocsp_revoked: Identity
    crl_path: Path

    @property
    def crl_url(self) -> str:
        """URL of the intermediate CA's CRL as written in the certificates."""
        return f"{self.crl_base_url}/intermediate.crl"

    @property
    def ocsp_url(self) -> str:
        """URL of the intermediate CA's OCSP responder (``ocsp_*`` certificates)."""
        return f"{self.crl_base_url}/ocsp"

    def revoked_serials(self) -> dict[int, x509.RevokedCertificate]:
        """The intermediate CA's revocation list (read from its CRL file)."""
        crl = x509.load_der_x509_crl(self.crl_path.read_bytes())
        return {entry.serial_number: entry for entry in crl}

    def trust_roots(self) -> list[x509.Certificate]:
        """The trusted root(s) of this PKI (not the untrusted one)."""
        return [self.root.certificate()]

    def chain_for(self, identity: Identity) -> list[x509.Certificate]:
        """Intermediate certificates needed to build ``identity``'s chain."""
        if identity in (self.untrusted_signer,):
            return []
        return [self.intermediate.certificate()]


# --------------------------------------------------------------------------
# generation helpers


def _name(cn: str, *, org: str | None = None, given: str | None = None,
          surname: str | None = None, title: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Đồng Tháp")]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if title:
        attrs.append(x509.NameAttribute(NameOID.TITLE, title))
    if surname:
        attrs.append(x509.NameAttribute(NameOID.SURNAME, surname))
    if given:
        attrs.append(x509.NameAttribute(NameOID.GIVEN_NAME, given))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


@dataclass
class _Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


class _Builder:
    """Issues certificates with sequential serial numbers."""

    def __init__(self, now: dt.datetime, crl_url: str, ocsp_url: str = ""):
        self.now = now
        self.crl_url = crl_url
        self.ocsp_url = ocsp_url
        self.serial = 0x1000

    def _next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def issue(self, subject: x509.Name, issuer: _Issued | None, *, ca: bool,
              not_before: dt.datetime | None = None,
              not_after: dt.datetime | None = None,
              signing: bool = True, crl_dp: bool = True, ocsp: bool = False,
              timestamping: bool = False) -> _Issued:
        """Issue one certificate.

        ``ocsp=True``: an AIA OCSP URL (``self.ocsp_url``) instead of the CRL
        distribution point; ``timestamping=True``: a TSA certificate (RFC 3161
        §2.3: the only extended key usage is timeStamping, critical).
        """
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        nb = not_before or self.now - dt.timedelta(days=30)
        na = not_after or self.now + dt.timedelta(days=3650 if ca else 730)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer.cert.subject if issuer else subject)
            .public_key(key.public_key())
            .serial_number(self._next_serial())
            .not_valid_before(nb)
            .not_valid_after(na)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
        )
        if issuer:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
                critical=False)
        if ca:
            usage = {"digital_signature": False, "content_commitment": False,
                     "key_cert_sign": True, "crl_sign": True}
        elif signing:
            usage = {"digital_signature": True, "content_commitment": True,
                     "key_cert_sign": False, "crl_sign": False}
        else:
            usage = {"digital_signature": False, "content_commitment": False,
                     "key_cert_sign": False, "crl_sign": False}
        builder = builder.add_extension(
            x509.KeyUsage(key_encipherment=not ca and not signing,
                          data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False, **usage),
            critical=True)
        if timestamping:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        elif not ca:
            eku = ([ExtendedKeyUsageOID.EMAIL_PROTECTION] if signing
                   else [ExtendedKeyUsageOID.CLIENT_AUTH])
            builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        if issuer and ocsp:
            builder = builder.add_extension(
                x509.AuthorityInformationAccess([x509.AccessDescription(
                    AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(self.ocsp_url))]),
                critical=False)
        elif issuer and crl_dp:
            builder = builder.add_extension(
                x509.CRLDistributionPoints([x509.DistributionPoint(
                    full_name=[x509.UniformResourceIdentifier(self.crl_url)],
                    relative_name=None, reasons=None, crl_issuer=None)]),
                critical=False)
        signer_key = issuer.key if issuer else key
        return _Issued(builder.sign(signer_key, hashes.SHA256()), key)


def _write(directory: Path, slug: str, issued: _Issued, *, p12: bool,
           chain: tuple = ()) -> Identity:
    cert_pem = directory / f"{slug}.pem"
    key_pem = directory / f"{slug}.key.pem"
    cert_pem.write_bytes(issued.cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(issued.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    key_pem.chmod(0o600)
    p12_path = None
    if p12:
        p12_path = directory / f"{slug}.p12"
        p12_path.write_bytes(_p12_bytes(slug, issued, chain))
        p12_path.chmod(0o600)
    cn = issued.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return Identity(name=str(cn), cert_pem=cert_pem, key_pem=key_pem, p12=p12_path)


def _p12_bytes(slug: str, issued: _Issued, chain: tuple = ()) -> bytes:
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(TEST_PASSWORD.encode())
    )
    return pkcs12.serialize_key_and_certificates(
        slug.encode(), issued.key, issued.cert, list(chain) or None, encryption)


_SLUGS = ("root", "intermediate", "leader", "staff", "agency", "expired", "revoked",
          "not_for_signing", "untrusted_root", "untrusted_signer", "tsa", "ocsp_good",
          "ocsp_revoked")


def _generate(directory: Path, crl_base_url: str) -> None:
    now = dt.datetime.now(UTC).replace(microsecond=0)
    crl_url = f"{crl_base_url}/intermediate.crl"
    b = _Builder(now, crl_url, f"{crl_base_url}/ocsp")
    org = "UBND TỈNH ĐỒNG THÁP"
    root = b.issue(_name("QLVB Test Root CA", org="QLVB Test PKI"), None, ca=True,
                   not_before=now - dt.timedelta(days=365))
    inter = b.issue(_name("QLVB Test Signing CA", org="QLVB Test PKI"), root, ca=True,
                    not_before=now - dt.timedelta(days=365), crl_dp=False)
    issued = {
        "root": root,
        "intermediate": inter,
        "leader": b.issue(_name("Nguyễn Văn An", org=org, given="An", surname="Nguyễn Văn",
                                title="Chủ tịch"), inter, ca=False),
        "staff": b.issue(_name("Trần Thị Bình", org=org, given="Bình", surname="Trần Thị",
                               title="Chuyên viên"), inter, ca=False),
        "agency": b.issue(_name(org, org=org), inter, ca=False),
        "expired": b.issue(_name("Lê Văn Cũ", org=org, given="Cũ", surname="Lê Văn",
                                 title="Phó Chủ tịch"), inter, ca=False,
                           not_before=now - dt.timedelta(days=400),
                           not_after=now - dt.timedelta(days=10)),
        "revoked": b.issue(_name("Phạm Thị Thu", org=org, given="Thu", surname="Phạm Thị",
                                 title="Phó Chủ tịch"), inter, ca=False),
        "not_for_signing": b.issue(_name("Võ Văn Mã", org=org, given="Mã", surname="Võ Văn",
                                         title="Chuyên viên"), inter, ca=False,
                                   signing=False),
        "tsa": b.issue(_name("QLVB Test TSA", org="QLVB Test PKI"), inter, ca=False,
                       timestamping=True),
        "ocsp_good": b.issue(_name("Hoàng Văn Minh", org=org, given="Minh",
                                   surname="Hoàng Văn", title="Phó Chủ tịch"), inter,
                             ca=False, ocsp=True),
        "ocsp_revoked": b.issue(_name("Đỗ Thị Lan", org=org, given="Lan", surname="Đỗ Thị",
                                      title="Phó Chủ tịch"), inter, ca=False, ocsp=True),
    }
    fake_root = b.issue(_name("Fake Root CA", org="Fake PKI"), None, ca=True)
    issued["untrusted_root"] = fake_root
    issued["untrusted_signer"] = b.issue(
        _name("Nguyễn Văn An", org=org, given="An", surname="Nguyễn Văn", title="Chủ tịch"),
        fake_root, ca=False, crl_dp=False)

    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(inter.cert.subject)
        .last_update(now - dt.timedelta(days=1))
        .next_update(now + dt.timedelta(days=30))
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
            inter.key.public_key()), critical=False)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for slug in ("revoked", "ocsp_revoked"):
        crl = crl.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(issued[slug].cert.serial_number)
            .revocation_date(now - dt.timedelta(days=2))
            .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
            .build())
    crl = crl.sign(inter.key, hashes.SHA256())
    (directory / "intermediate.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    for slug in _SLUGS:
        cert = issued[slug].cert
        chain = (inter.cert,) if cert.issuer == inter.cert.subject else ()
        _write(directory, slug, issued[slug], chain=chain,
               p12=slug not in ("root", "intermediate", "untrusted_root"))
    (directory / "manifest.json").write_text(json.dumps(
        {"version": MANIFEST_VERSION, "crl_base_url": crl_base_url,
         "created": now.isoformat()}, indent=2))


def _load(directory: Path, crl_base_url: str) -> TestPKI:
    ids = {}
    for slug in _SLUGS:
        cert = x509.load_pem_x509_certificate((directory / f"{slug}.pem").read_bytes())
        cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        p12 = directory / f"{slug}.p12"
        ids[slug] = Identity(name=str(cn), cert_pem=directory / f"{slug}.pem",
                             key_pem=directory / f"{slug}.key.pem",
                             p12=p12 if p12.exists() else None)
    return TestPKI(directory=directory, crl_base_url=crl_base_url,
                   crl_path=directory / "intermediate.crl", **ids)


def _manifest_ok(directory: Path, crl_base_url: str) -> bool:
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
        cert = x509.load_pem_x509_certificate((directory / "leader.pem").read_bytes())
    except (OSError, ValueError):
        return False
    fresh = cert.not_valid_after_utc > dt.datetime.now(UTC) + dt.timedelta(days=30)
    return (manifest.get("version") == MANIFEST_VERSION
            and manifest.get("crl_base_url") == crl_base_url and fresh
            and all((directory / f"{s}.pem").exists() for s in _SLUGS))


def ensure_test_pki(directory, crl_base_url: str | None = None) -> TestPKI:
    """Create the test PKI in ``directory`` unless it is already there.

    :param directory: target directory (created if missing).
    :param crl_base_url: base URL written into the CRL distribution points;
        the CRL file is ``<directory>/intermediate.crl`` and is expected at
        ``<crl_base_url>/intermediate.crl``. Default: ``$QLVB_TEST_PKI_URL``,
        else :data:`DEFAULT_CRL_BASE_URL` (the demo's services); the test suite
        sets its own, so it never talks to a demo running on the same machine.
    :returns: a :class:`TestPKI` describing the files.
    """
    directory = Path(directory).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    crl_base_url = (crl_base_url or os.environ.get("QLVB_TEST_PKI_URL")
                    or DEFAULT_CRL_BASE_URL).rstrip("/")
    if not _manifest_ok(directory, crl_base_url):
        _generate(directory, crl_base_url)
    return _load(directory, crl_base_url)


def _revocation_pointers(cert: x509.Certificate) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(CRL distribution point URLs, AIA OCSP URLs) of ``cert``."""
    crls, ocsps = [], []
    try:
        for point in cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value:
            crls.extend(n.value for n in point.full_name or ())
    except x509.ExtensionNotFound:
        pass
    try:
        for desc in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value:
            if desc.access_method == AuthorityInformationAccessOID.OCSP:
                ocsps.append(desc.access_location.value)
    except x509.ExtensionNotFound:
        pass
    return tuple(crls), tuple(ocsps)


def issue_identity(pki: TestPKI, slug: str, *, common_name: str, organisation: str,
                   given: str | None = None, surname: str | None = None,
                   title: str | None = None, ocsp_url: str | None = None) -> Identity:
    """Issue (or re-use) an extra end-entity certificate under the test intermediate.

    ``given``/``surname`` make a **person** certificate; without them the
    certificate is an **organisation** (seal) certificate with ``CN == O``
    (``common_name`` is then ignored).  Files ``<slug>.pem``, ``<slug>.key.pem``
    and ``<slug>.p12`` (password :data:`TEST_PASSWORD`) in the PKI directory;
    an existing, still valid certificate with the same subject (and the same
    revocation pointers) is re-used.

    :param ocsp_url: give the certificate an AIA OCSP URL (e.g.
        ``pki.ocsp_url``, or a dead address) and **no** CRL distribution point;
        by default it points to the CRL ``pki.crl_url``.
    """
    directory = pki.directory
    person = bool(given or surname)
    subject = (_name(common_name, org=organisation, given=given, surname=surname, title=title)
               if person else _name(organisation, org=organisation))
    pointers = ((), (ocsp_url,)) if ocsp_url else ((pki.crl_url,), ())
    cert_pem = directory / f"{slug}.pem"
    if cert_pem.exists() and (directory / f"{slug}.p12").exists():
        existing = x509.load_pem_x509_certificate(cert_pem.read_bytes())
        try:
            existing.verify_directly_issued_by(pki.intermediate.certificate())
            same_ca = True
        except (ValueError, TypeError, InvalidSignature):
            same_ca = False
        if same_ca and existing.subject == subject and \
                _revocation_pointers(existing) == pointers and \
                existing.not_valid_after_utc > dt.datetime.now(UTC) + dt.timedelta(days=30):
            return Identity(name=str(common_name if person else organisation),
                            cert_pem=cert_pem, key_pem=directory / f"{slug}.key.pem",
                            p12=directory / f"{slug}.p12")
    inter = _Issued(pki.intermediate.certificate(), pki.intermediate.private_key())
    builder = _Builder(dt.datetime.now(UTC).replace(microsecond=0), pki.crl_url,
                       ocsp_url or "")
    builder.serial = x509.random_serial_number() >> 8
    issued = builder.issue(subject, inter, ca=False, ocsp=bool(ocsp_url))
    return _write(directory, slug, issued, p12=True, chain=(inter.cert,))
