"""Local network peers of the test PKI: CRL files, an OCSP responder and a TSA.

TEST SERVICES ONLY – they answer anybody on the address they listen on,
with the keys of :mod:`.testpki`.  One :class:`PeerServer` (standard library
``http.server``, one thread per request, port ``0`` = any free port) serves:

``GET  <base>/<name>.crl`` (and certificates ``<name>.pem``)
    the files of the test PKI directory (never ``*.key.pem`` or ``*.p12``);
``POST <base>/ocsp`` (``application/ocsp-request``), ``GET <base>/ocsp/<b64>``
    an RFC 6960 OCSP responder for the test intermediate CA
    (:class:`OcspResponder`), signed by that CA: ``revoked`` for the serials
    on the CA's CRL, ``good`` for the certificates of the PKI directory it
    issued, ``unknown`` otherwise, ``unauthorized`` for other CAs (one
    certificate per request);
``POST <base>/tsa`` (``application/timestamp-query``)
    an RFC 3161 time-stamping authority (:class:`TimestampAuthority`)
    signing with the ``tsa`` identity of the test PKI;
``POST <base>/tsa/reject`` and ``POST <base>/tsa/garbage``
    the same TSA answering with status ``rejection``, or with bytes that are
    no ``TimeStampResp`` at all (for error-path tests).

``<base>`` is the ``crl_base_url`` of the PKI, so the OCSP URL written into
the ``ocsp_*`` certificates (``<crl_base_url>/ocsp``) reaches this server.
Tests start it on a free port first and create the PKI for its URL::

    peers = start_test_peers(directory)      # server + PKI + TSA + OCSP
    peers.tsa_url, peers.ocsp_url, peers.pki
    peers.stop()

For a demo instance (the default ``crl_base_url`` of :mod:`.testpki`)::

    python -m dongthap.qlvb_testing.testpeers --dir var/test-pki --port 8765 --base-path /pki
"""

from __future__ import annotations

import argparse
import base64
import collections
import datetime as dt
import hashlib
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from asn1crypto import algos, cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp

from dongthap.qlvb.signing.pdfsign import TimeStampResponse as TimeStampResp  # the token is optional there

UTC = dt.UTC
TSA_POLICY = "2.999.3161.1"
"""Policy OID of the test TSA (under ``2.999``, the arc reserved for examples)."""

_DIGESTS = {"sha256": 32, "sha384": 48, "sha512": 64}
_OCSP_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
                "sha384": hashes.SHA384, "sha512": hashes.SHA512}
_FILE_TYPES = {".crl": "application/pkix-crl", ".pem": "application/x-pem-file",
               ".crt": "application/pkix-cert", ".cer": "application/pkix-cert",
               ".der": "application/pkix-cert"}
GARBAGE = b"\x30\x82\x01\x00 this is not a TimeStampResp \x00\xff" * 4


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _sign(key, data: bytes) -> tuple[str, bytes]:
    """(CMS signature algorithm name, signature) of ``data`` with SHA-256."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "sha256_rsa", key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "sha256_ecdsa", key.sign(data, ec.ECDSA(hashes.SHA256()))
    raise TypeError(f"unsupported TSA key: {type(key).__name__}")


# --------------------------------------------------------------------------
# RFC 3161 time-stamping authority


class TimestampAuthority:
    """Answers ``TimeStampReq`` DER bytes with ``TimeStampResp`` DER bytes.

    :param certificate: the TSA certificate (extendedKeyUsage timeStamping).
    :param private_key: its key (RSA or EC, :mod:`cryptography`).
    :param chain: CA certificates sent along when the request asks for
        certificates (``certReq``).
    :param policy: the TSA policy OID written into every token.

    Serial numbers increase from the start time in microseconds, so they
    stay unique across restarts.  :attr:`clock_offset` shifts ``genTime``
    (tests: a TSA clock different from the signer's).  :attr:`issued` lists
    the granted tokens (``serial``, ``gen_time``, ``nonce``, ``digest``).
    """

    def __init__(self, certificate: x509.Certificate, private_key, chain=(), *,
                 policy: str = TSA_POLICY):
        self.certificate = certificate
        self._key = private_key
        self.chain = list(chain)
        self.policy = policy
        self.clock_offset = dt.timedelta(0)
        self.issued: list[dict] = []
        self._serial = time.time_ns() // 1000
        self._lock = threading.Lock()

    @classmethod
    def from_identity(cls, identity, chain=(), **kwargs) -> TimestampAuthority:
        """From a :class:`~.testpki.Identity` (certificate + key files)."""
        return cls(identity.certificate(), identity.private_key(), chain, **kwargs)

    # -- answers ------------------------------------------------------------
    @staticmethod
    def refusal(fail_info: str, text: str) -> bytes:
        """A ``TimeStampResp`` with status ``rejection`` (RFC 3161 §2.4.2)."""
        return TimeStampResp({"status": tsp.PKIStatusInfo({
            "status": "rejection", "status_string": [text],
            "fail_info": tsp.PKIFailureInfo({fail_info})})}).dump()

    def respond(self, body: bytes, *, reject: bool = False) -> bytes:
        """Check the request and grant a token (or refuse, with ``failInfo``)."""
        try:
            req = tsp.TimeStampReq.load(body)
            req.native  # noqa: B018 - parse everything now, not lazily later
        except (ValueError, TypeError, OverflowError):
            return self.refusal("bad_data_format", "The request is not a TimeStampReq.")
        if req["version"].native != "v1":
            return self.refusal("bad_request", "Only version 1 requests are supported.")
        imprint = req["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        if _DIGESTS.get(algorithm) != len(imprint["hashed_message"].native):
            return self.refusal("bad_alg", f"Unsupported message imprint ({algorithm}).")
        if req["req_policy"].native not in (None, self.policy):
            return self.refusal("unaccepted_policy", f"Only policy {self.policy} is supported.")
        if req["extensions"].native:
            return self.refusal("unaccepted_extensions", "No extension is supported.")
        if reject:
            return self.refusal("time_not_available", "The test TSA rejects this request.")
        return TimeStampResp({
            "status": tsp.PKIStatusInfo({"status": "granted"}),
            "time_stamp_token": self.token(req),
        }).dump()

    def _next(self) -> tuple[int, dt.datetime]:
        with self._lock:
            self._serial += 1
            now = dt.datetime.now(UTC) + self.clock_offset
            return self._serial, now.replace(microsecond=0)

    def token(self, req: tsp.TimeStampReq) -> cms.ContentInfo:
        """The ``TimeStampToken``: CMS SignedData over a ``TSTInfo``."""
        serial, gen_time = self._next()
        cert = asn1_x509.Certificate.load(_der(self.certificate))
        nonce = req["nonce"].native
        info = {
            "version": "v1",
            "policy": self.policy,
            # the imprint is copied byte for byte from the request (§2.4.2)
            "message_imprint": tsp.MessageImprint.load(req["message_imprint"].dump()),
            "serial_number": serial,
            "gen_time": gen_time,
            "accuracy": {"seconds": 1},
            "tsa": asn1_x509.GeneralName(name="directory_name", value=cert.subject),
        }
        if nonce is not None:
            info["nonce"] = nonce
        tst_info = tsp.TSTInfo(info)
        tst_der = tst_info.dump()
        signing_cert = tsp.SigningCertificateV2({"certs": [tsp.ESSCertIDv2({
            # hashAlgorithm left out: its DEFAULT is sha256 (RFC 5035)
            "cert_hash": hashlib.sha256(cert.dump()).digest(),
            "issuer_serial": {
                "issuer": [asn1_x509.GeneralName(name="directory_name", value=cert.issuer)],
                "serial_number": cert.serial_number,
            },
        })]})
        signed_attrs = cms.CMSAttributes([
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
            cms.CMSAttribute({"type": "message_digest",
                              "values": [hashlib.sha256(tst_der).digest()]}),
            cms.CMSAttribute({"type": "signing_certificate_v2", "values": [signing_cert]}),
        ])
        # the signature covers the DER of the attributes as a SET OF (RFC 5652 §5.4)
        sig_alg, signature = _sign(self._key, signed_attrs.dump())
        signer_info = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value={
                "issuer": cert.issuer, "serial_number": cert.serial_number}),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_alg}),
            "signature": signature,
        })
        signed_data = {
            "version": "v3",  # eContentType is not id-data (RFC 5652 §5.1)
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "tst_info", "content": tst_info},
            "signer_infos": [signer_info],
        }
        if req["cert_req"].native:  # otherwise the field MUST be absent (§2.4.2)
            signed_data["certificates"] = [
                cert, *(asn1_x509.Certificate.load(_der(c)) for c in self.chain)]
        with self._lock:
            self.issued.append({"serial": serial, "gen_time": gen_time, "nonce": nonce,
                                "digest": req["message_imprint"]["hashed_message"].native})
        return cms.ContentInfo({"content_type": "signed_data",
                                "content": cms.SignedData(signed_data)})


# --------------------------------------------------------------------------
# RFC 6960 OCSP responder


def _key_bits(cert: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING value (what ``issuerKeyHash`` hashes)."""
    spki = asn1_keys.PublicKeyInfo.load(cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))
    return spki["public_key"].contents[1:]  # without the "unused bits" octet


class OcspResponder:
    """Answers ``OCSPRequest`` DER bytes for one CA, signed by that CA.

    :param pki: a :class:`~.testpki.TestPKI`; the responder is its
        intermediate CA.  The revocation list is the CA's CRL file (read at
        every request, so a re-issued CRL is honoured at once); the issued
        certificates are the ``*.pem`` files of the PKI directory.  The
        nonce of the request is echoed; requests for several certificates
        are answered ``malformedRequest``.
    """

    def __init__(self, pki, *, validity: dt.timedelta = dt.timedelta(hours=1)):
        self.pki = pki
        self.issuer = pki.intermediate.certificate()
        self._key = pki.intermediate.private_key()
        self.validity = validity
        self._name_der = self.issuer.subject.public_bytes()
        self._key_bits = _key_bits(self.issuer)
        self.answers: list[tuple[int, str]] = []  # (serial, status) for tests

    def _issued_serials(self) -> set[int]:
        serials = set()
        for path in self.pki.directory.glob("*.pem"):
            if path.name.endswith(".key.pem"):
                continue
            try:
                cert = x509.load_pem_x509_certificate(path.read_bytes())
            except ValueError:
                continue
            if cert.issuer == self.issuer.subject:
                serials.add(cert.serial_number)
        return serials

    def respond(self, body: bytes) -> bytes:
        try:
            req = ocsp.load_der_ocsp_request(body)
            algorithm = req.hash_algorithm
        except (ValueError, TypeError, NotImplementedError):  # one certificate per request
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(serialization.Encoding.DER)
        name = algorithm.name
        if name not in _OCSP_HASHES or \
                req.issuer_name_hash != hashlib.new(name, self._name_der).digest() or \
                req.issuer_key_hash != hashlib.new(name, self._key_bits).digest():
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(serialization.Encoding.DER)
        now = dt.datetime.now(UTC).replace(microsecond=0)
        serial = req.serial_number
        entry = self.pki.revoked_serials().get(serial)
        revoked_at = reason = None
        if entry is not None:
            status = ocsp.OCSPCertStatus.REVOKED
            revoked_at = entry.revocation_date_utc
            try:
                reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
            except x509.ExtensionNotFound:
                reason = None
        elif serial in self._issued_serials():
            status = ocsp.OCSPCertStatus.GOOD
        else:
            status = ocsp.OCSPCertStatus.UNKNOWN
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=req.issuer_name_hash, issuer_key_hash=req.issuer_key_hash,
                serial_number=serial, algorithm=_OCSP_HASHES[name](), cert_status=status,
                this_update=now, next_update=now + self.validity,
                revocation_time=revoked_at, revocation_reason=reason)
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.issuer)
        )
        try:
            nonce = req.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
            builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
        except x509.ExtensionNotFound:
            pass
        self.answers.append((serial, status.name.lower()))
        return builder.sign(self._key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


# --------------------------------------------------------------------------
# the HTTP server


class _Handler(BaseHTTPRequestHandler):
    server: PeerServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> str | None:
        path = urllib.parse.urlsplit(self.path).path
        base = self.server.base_path
        if base:
            if not path.startswith(base + "/"):
                return None
            path = path[len(base):]
        return path

    def do_POST(self):  # noqa: N802 - http.server API
        try:
            self._post()
        except Exception:  # noqa: BLE001 - answer 500 rather than drop the connection
            self._send(500)

    def _post(self):
        path = self._route()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        server = self.server
        if path in ("/tsa", "/tsa/reject", "/tsa/garbage") and server.tsa is not None:
            server.hits[path] += 1
            if ctype != "application/timestamp-query":
                return self._send(415)
            if path == "/tsa/garbage":
                return self._send(200, GARBAGE, "application/timestamp-reply")
            answer = server.tsa.respond(body, reject=path == "/tsa/reject")
            return self._send(200, answer, "application/timestamp-reply")
        if path in ("/ocsp", "/ocsp/") and server.ocsp is not None:
            server.hits["/ocsp"] += 1
            if ctype != "application/ocsp-request":
                return self._send(415)
            return self._send(200, server.ocsp.respond(body), "application/ocsp-response")
        return self._send(404)

    def do_GET(self):  # noqa: N802 - http.server API
        path = self._route() or ""
        server = self.server
        if path.startswith("/ocsp/") and server.ocsp is not None:  # RFC 6960 A.1 GET form
            server.hits["/ocsp"] += 1
            try:
                body = base64.b64decode(urllib.parse.unquote(path[len("/ocsp/"):]))
            except ValueError:
                body = b""
            return self._send(200, server.ocsp.respond(body), "application/ocsp-response")
        name = path.lstrip("/")
        target = server.directory / name
        suffix = target.suffix.lower()
        if "/" in name or not name or name.endswith(".key.pem") or suffix not in _FILE_TYPES \
                or not target.is_file():
            return self._send(404)
        server.hits[path] += 1
        return self._send(200, target.read_bytes(), _FILE_TYPES[suffix])


class PeerServer(ThreadingHTTPServer):
    """The local HTTP server of the test PKI (see the module docstring).

    :param directory: the PKI directory (CRL and certificates are served).
    :param base_path: URL path prefix (``"/pki"`` for the demo default).

    Created before the PKI (``port=0`` picks a free port, :attr:`base_url`
    is then known), it answers OCSP and TSA requests once :meth:`attach`
    was given the PKI.  :attr:`hits` counts the requests per route.
    """

    daemon_threads = True

    def __init__(self, directory, host: str = "127.0.0.1", port: int = 0, base_path: str = ""):
        super().__init__((host, port), _Handler)
        self.directory = Path(directory)
        stripped = base_path.strip("/")
        self.base_path = f"/{stripped}" if stripped else ""
        self.pki = None
        self.tsa: TimestampAuthority | None = None
        self.ocsp: OcspResponder | None = None
        self.hits: collections.Counter = collections.Counter()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}{self.base_path}"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    @property
    def tsa_reject_url(self) -> str:
        return f"{self.base_url}/tsa/reject"

    @property
    def tsa_garbage_url(self) -> str:
        return f"{self.base_url}/tsa/garbage"

    @property
    def ocsp_url(self) -> str:
        return f"{self.base_url}/ocsp"

    def attach(self, pki) -> PeerServer:
        """Answer OCSP for ``pki``'s intermediate CA and time-stamp with ``pki.tsa``."""
        self.pki = pki
        self.directory = pki.directory
        self.tsa = TimestampAuthority.from_identity(pki.tsa, [pki.intermediate.certificate()])
        self.ocsp = OcspResponder(pki)
        return self

    def start(self) -> PeerServer:
        self._thread = threading.Thread(target=self.serve_forever, name="qlvb-test-peers",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_test_peers(directory, *, host: str = "127.0.0.1", port: int = 0,
                     base_path: str = "") -> PeerServer:
    """Start the server, create (or re-use) the test PKI for its URL, attach it."""
    from .testpki import ensure_test_pki

    server = PeerServer(directory, host, port, base_path).start()
    try:
        server.attach(ensure_test_pki(directory, crl_base_url=server.base_url))
    except BaseException:
        server.stop()
        raise
    return server


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="var/test-pki", help="test PKI directory")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--base-path", default="/pki")
    args = parser.parse_args(argv)
    server = start_test_peers(args.dir, host=args.host, port=args.port,
                              base_path=args.base_path)
    print(f"CRL  {server.pki.crl_url}\nOCSP {server.ocsp_url}\nTSA  {server.tsa_url}",
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
