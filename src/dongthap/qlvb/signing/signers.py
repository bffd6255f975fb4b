"""Pluggable key stores behind one small interface.

A :class:`DocumentSigner` knows its certificate (and chain) and opens a
*session* that yields a pyHanko ``Signer``.  Implementations:

* :class:`Pkcs12Signer` – a PKCS#12 file on the server (agency seal);
* :class:`Pkcs11Signer` – a USB token / HSM through a PKCS#11 module;
* the two-step external flow for staff signing with their own token in a
  client lives in :mod:`.external` (``prepare_external`` /
  ``complete_external``) because it needs the PDF layout code.

Errors are mapped to :mod:`.errors` types.  PINs, passwords and private
keys are kept in name-mangled attributes, never logged, and never shown by
``repr``.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import errors
from .certs import (
    CertificatePolicy,
    check_signing_certificate,
    common_name,
    to_asn1,
    to_crypto,
)


class DocumentSigner(ABC):
    """A signing key with its certificate.

    :param policy: what :meth:`check` verifies before each signature.
    """

    def __init__(self, policy: CertificatePolicy | None = None):
        self.policy = policy or CertificatePolicy()

    @property
    @abstractmethod
    def certificate(self) -> x509.Certificate:
        """The signer certificate."""

    @property
    def chain(self) -> list[x509.Certificate]:
        """Intermediate CA certificates shipped with the key."""
        return []

    @abstractmethod
    @contextmanager
    def session(self):
        """Context manager yielding a ready pyHanko ``Signer``."""

    def check(self, at: dt.datetime | None = None) -> None:
        """Refuse expired / revoked / untrusted / not-for-signing certificates."""
        check_signing_certificate(self.certificate, self.chain, self.policy, at)

    def __repr__(self) -> str:
        try:
            cert = self.certificate
            who = f"subject={common_name(cert)!r} serial={cert.serial_number:x}"
        except errors.SigningError:
            who = "unopened"
        return f"<{type(self).__name__} {who}>"


def _simple_signer(key, cert: x509.Certificate, chain) -> SimpleSigner:
    key_info = asn1_keys.PrivateKeyInfo.load(key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return SimpleSigner(
        signing_cert=to_asn1(cert), signing_key=key_info,
        cert_registry=SimpleCertificateStore.from_certs([to_asn1(c) for c in chain]))


class Pkcs12Signer(DocumentSigner):
    """Signs with a key from a PKCS#12 (.p12/.pfx) file.

    :param source: path or the file's bytes.
    :param password: the file password (not kept after loading).
    :raises WrongPinError: wrong password or unreadable file.
    :raises KeyNotFoundError: the file has no key or no certificate.
    """

    def __init__(self, source: str | Path | bytes, password: str | bytes | None, *,
                 policy: CertificatePolicy | None = None):
        super().__init__(policy)
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        pwd = password.encode() if isinstance(password, str) else password
        try:
            key, cert, chain = pkcs12.load_key_and_certificates(data, pwd)
        except ValueError as exc:
            # cryptography does not tell a wrong password from a damaged file
            raise errors.WrongPinError() from exc
        finally:
            del pwd, password
        if key is None or cert is None:
            raise errors.KeyNotFoundError()
        self._cert = cert
        self._chain = [c for c in chain if c.subject != c.issuer]
        self.__signer = _simple_signer(key, cert, self._chain)

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)

    @contextmanager
    def session(self):
        yield self.__signer


class KeySigner(DocumentSigner):
    """Signs with an in-memory private key (tests, demo data)."""

    def __init__(self, private_key, certificate, chain=(), *,
                 policy: CertificatePolicy | None = None):
        super().__init__(policy)
        self._cert = to_crypto(certificate)
        self._chain = [to_crypto(c) for c in chain]
        self.__signer = _simple_signer(private_key, self._cert, self._chain)

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._chain)

    @contextmanager
    def session(self):
        yield self.__signer


class Pkcs11Signer(DocumentSigner):
    """Signs with a key on a PKCS#11 token (USB token, HSM, SoftHSM2).

    :param module: path of the PKCS#11 library (``libsofthsm2.so``, vendor DLL).
    :param token_label: label of the token.
    :param pin: user PIN (kept privately until the session is opened).
    :param key_label: label of the private key / certificate objects.
    :param key_id: CKA_ID of the key / certificate, alternative to the label.
    :param chain: extra intermediate certificates (if not on the token).
    """

    def __init__(self, module: str, token_label: str, pin: str, *,
                 key_label: str | None = None, key_id: bytes | None = None,
                 chain=(), policy: CertificatePolicy | None = None):
        super().__init__(policy)
        self.module = str(module)
        self.token_label = token_label
        self.key_label = key_label
        self.key_id = key_id
        self.__pin = pin
        self._extra_chain = [to_crypto(c) for c in chain]
        self._cert: x509.Certificate | None = None

    def _open_token_session(self):
        import pkcs11
        from pkcs11 import exceptions as p11e

        if not Path(self.module).exists():
            raise errors.TokenNotFoundError(f"module {self.module} missing",
                                            token=self.token_label)
        try:
            token = pkcs11.lib(self.module).get_token(token_label=self.token_label)
        except (p11e.NoSuchToken, p11e.TokenNotPresent, p11e.TokenNotRecognised,
                p11e.SlotIDInvalid) as exc:
            raise errors.TokenNotFoundError(token=self.token_label) from exc
        try:
            return token.open(user_pin=self.__pin)
        except p11e.PinLocked as exc:
            raise errors.PinLockedError() from exc
        except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange,
                p11e.PinExpired) as exc:
            raise errors.WrongPinError() from exc

    @contextmanager
    def session(self):
        from pyhanko.sign.pkcs11 import PKCS11Signer as _P11

        p11_session = self._open_token_session()
        try:
            signer = _P11(p11_session, key_label=self.key_label, key_id=self.key_id,
                          cert_label=self.key_label, cert_id=self.key_id,
                          ca_chain=[to_asn1(c) for c in self._extra_chain])
            try:
                cert = signer.signing_cert
            except Exception as exc:  # pyHanko raises PKCS11Error / others
                raise errors.KeyNotFoundError(type(exc).__name__) from exc
            self._cert = to_crypto(cert)
            yield signer
        finally:
            p11_session.close()

    @property
    def certificate(self) -> x509.Certificate:
        if self._cert is None:
            with self.session():
                pass
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        return list(self._extra_chain)
