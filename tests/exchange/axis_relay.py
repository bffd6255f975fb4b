"""TEST PEER — a stand-in for the national axis; NOT product code.

A small WSGI server speaking the JSON/HMAC API of
:mod:`dongthap.qlvb.exchange.transports.axis_http` so that two systems can
exchange documents on one machine, and so that the HTTP transport can be
tested.  It verifies the HMAC signature (own implementation of the default
scheme), files each package under every recipient OrganId read from the
edXML (To for documents, ResponseFor for status packages) and serves
getReceivedEdocList / getEdoc / updateStatus / getSentEdocList /
countReceiveEdoc / getAgenciesList.

Run::

    python tests/exchange/axis_relay.py --port 8765 --data /tmp/relay \\
        --agencies agencies.json --system SYSID:SECRET:000.00.14.H20 [...]

``agencies.json`` is a list of ``{"OrganId", "Name", ...}`` objects;
``--systems systems.json`` may give ``{"SYSID": {"secret", "organ_id"}}``.
With ``--data`` packages survive a restart (``<DIR>/<OrganId>/<id>.edxml``
plus ``<DIR>/index.json``); without it they live in memory.

A system may stand for several agencies (a provincial system connects all of
its agencies): give their OrganIds separated by commas
(``SYSID:SECRET:000.00.14.H20,000.00.09.H20``).  ``sendEdoc`` is idempotent
per sender: the same package bytes sent again return the first DocId (what a
sender retrying after a lost response needs).  ``getSentEdocList`` also
reports ``DocumentId``, ``StatusCode``, ``BussinessDocType`` and ``Sha256``.
``sends_seen`` counts sendEdoc calls, ``packages_stored`` distinct packages.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

try:
    from dongthap.qlvb.exchange import edxml
except ImportError:  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
    from dongthap.qlvb.exchange import edxml

MAX_BODY = 64 * 1024 * 1024
MAX_SKEW = 300


def ok(data=None):
    return {"status": "OK", "ErrorCode": "0", "ErrorDesc": "", "data": data}


def fail(code, desc):
    return {"status": "FAIL", "ErrorCode": code, "ErrorDesc": desc, "data": None}


class RelayError(Exception):
    def __init__(self, code, desc, http_status=200):
        super().__init__(desc)
        self.code, self.desc, self.http_status = code, desc, http_status


class AxisRelay:
    """WSGI application; ``systems`` maps system id -> (secret, organ_id)."""

    def __init__(self, systems, agencies=(), data_dir=None):
        self.systems = dict(systems)
        self.agencies = list(agencies)
        self.data_dir = Path(data_dir) if data_dir else None
        self.lock = threading.Lock()
        self.records: dict[str, dict] = {}
        self.contents: dict[str, bytes] = {}
        self.nonces: dict[str, float] = {}
        self.requests_seen = 0
        self.sends_seen = 0
        self.down = False  # fault injection: answer every request with HTTP 503
        if self.data_dir:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            index = self.data_dir / "index.json"
            if index.exists():
                self.records = json.loads(index.read_text(encoding="utf-8"))

    # -- storage ---------------------------------------------------------------
    def _save(self, doc_id, content):
        if not self.data_dir:
            self.contents[doc_id] = content
            return
        for organ in self.records[doc_id]["recipients"]:
            folder = self.data_dir / organ
            folder.mkdir(exist_ok=True)
            (folder / f"{doc_id}.edxml").write_bytes(content)
        self._write_index()

    def _write_index(self):
        if self.data_dir:
            tmp = self.data_dir / ".index.json.tmp"
            tmp.write_text(json.dumps(self.records, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.data_dir / "index.json")

    def _load(self, doc_id, organ):
        if not self.data_dir:
            return self.contents[doc_id]
        return (self.data_dir / organ / f"{doc_id}.edxml").read_bytes()

    # -- authentication --------------------------------------------------------
    def authenticate(self, environ, body):
        system_id = environ.get("HTTP_X_AXIS_SYSTEMID", "")
        stamp = environ.get("HTTP_X_AXIS_TIMESTAMP", "")
        nonce = environ.get("HTTP_X_AXIS_NONCE", "")
        signature = environ.get("HTTP_X_AXIS_SIGNATURE", "")
        if system_id not in self.systems:
            raise RelayError("401", "unknown system id", 401)
        secret, organs = self.systems[system_id]
        canonical = "\n".join([environ["REQUEST_METHOD"].upper(), environ.get("PATH_INFO", "/"),
                               system_id, stamp, nonce, hashlib.sha256(body).hexdigest()])
        expected = hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            raise RelayError("401", "bad signature", 401)
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > MAX_SKEW:
            raise RelayError("401", "stale or missing timestamp", 401)
        with self.lock:
            if nonce in self.nonces:
                raise RelayError("401", "replayed nonce", 401)
            self.nonces[nonce] = time.time()
        return _organ_set(organs)

    # -- WSGI ------------------------------------------------------------------
    def __call__(self, environ, start_response):
        self.requests_seen += 1
        try:
            if self.down:
                raise RelayError("503", "relay down (fault injection)", 503)
            if environ["REQUEST_METHOD"] != "POST":
                raise RelayError("405", "POST only", 405)
            length = int(environ.get("CONTENT_LENGTH") or 0)
            if length > MAX_BODY:
                raise RelayError("413", "request too large", 413)
            body = environ["wsgi.input"].read(length) if length else b""
            organ = self.authenticate(environ, body)
            operation = environ.get("PATH_INFO", "/").strip("/")
            handler = getattr(self, f"op_{operation}", None)
            if handler is None:
                raise RelayError("404", f"unknown operation {operation}", 404)
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                raise RelayError("400", "body is not JSON", 400) from None
            status, result = "200 OK", ok(handler(organ, payload if isinstance(payload, dict) else {}))
        except RelayError as exc:
            status, result = f"{exc.http_status} ERR", fail(exc.code, exc.desc)
        out = json.dumps(result, ensure_ascii=False).encode("utf-8")
        start_response(status, [("Content-Type", "application/json; charset=utf-8"),
                                ("Content-Length", str(len(out)))])
        return [out]

    # -- operations ------------------------------------------------------------
    def op_sendEdoc(self, organs, payload):
        self.sends_seen += 1
        messagetype = payload.get("messagetype", "edoc")
        try:
            content = base64.b64decode(payload.get("content", ""), validate=True)
            pkg = edxml.parse(content)
        except (binascii.Error, ValueError, edxml.EdXMLError) as exc:
            raise RelayError("E_PACKAGE", f"unreadable package: {exc}") from None
        extra = {"Sha256": hashlib.sha256(content).hexdigest()}
        if isinstance(pkg, edxml.StatusPackage):
            sender = pkg.message_header.from_.organ_id
            recipients = [pkg.message_header.response_for.organ_id]
            kind = "status"
            extra.update(DocumentId=pkg.message_header.response_for.document_id,
                         StatusCode=pkg.message_header.status_code)
        else:
            sender = pkg.message_header.from_.organ_id
            recipients = list(dict.fromkeys(o.organ_id for o in pkg.message_header.to))
            kind = "edoc"
            extra.update(DocumentId=pkg.message_header.document_id,
                         BussinessDocType=str(pkg.business_doc_type))
        if kind != messagetype:
            raise RelayError("E_TYPE", f"messagetype {messagetype} but package is {kind}")
        if sender not in organs:
            raise RelayError("E_FROM", f"From {sender} is not one of the sending system's {sorted(organs)}")
        known = {a.get("OrganId") for a in self.agencies}
        unknown = [r for r in recipients if not r or (known and r not in known)]
        if unknown:
            raise RelayError("E_TO", f"unknown recipients: {unknown}")
        with self.lock:
            for record in self.records.values():  # idempotent: same sender, same bytes
                if record["From"] == sender and record.get("Sha256") == extra["Sha256"]:
                    return {"DocId": record["DocId"]}
            doc_id = uuid.uuid4().hex
            self.records[doc_id] = {
                "DocId": doc_id, "From": sender, "MessageType": kind,
                "Created": datetime.datetime.now().strftime("%Y/%m/%d %H:%M:%S"),  # noqa: DTZ005
                "recipients": dict.fromkeys(recipients, "pending"), **extra,
            }
            self._save(doc_id, content)
        return {"DocId": doc_id}

    @property
    def packages_stored(self):
        return len(self.records)

    @staticmethod
    def _mine(record, organs):
        return [o for o in record["recipients"] if o in organs]

    def _received(self, organs, payload):
        wanted = payload.get("messagetype")
        return [r for r in self.records.values()
                if any(r["recipients"][o] in ("pending", "processing") for o in self._mine(r, organs))
                and (not wanted or r["MessageType"] == wanted)]

    def op_getReceivedEdocList(self, organs, payload):
        with self.lock:
            return [{"DocId": r["DocId"], "From": r["From"], "MessageType": r["MessageType"],
                     "Created": r["Created"], "Status": r["recipients"][self._mine(r, organs)[0]]}
                    for r in self._received(organs, payload)]

    def op_countReceiveEdoc(self, organs, payload):
        with self.lock:
            return {"count": len(self._received(organs, payload))}

    def _record_for(self, organs, payload):
        record = self.records.get(str(payload.get("DocId", "")))
        if record is None or not self._mine(record, organs):
            raise RelayError("E_NOT_FOUND", "no such document for this agency")
        return record

    def op_getEdoc(self, organs, payload):
        with self.lock:
            record = self._record_for(organs, payload)
            content = self._load(record["DocId"], self._mine(record, organs)[0])
        return {"content": base64.b64encode(content).decode("ascii")}

    def op_updateStatus(self, organs, payload):
        status = payload.get("status")
        if status not in ("done", "fail", "processing"):
            raise RelayError("E_STATUS", f"invalid status {status!r}")
        with self.lock:
            record = self._record_for(organs, payload)
            for organ in self._mine(record, organs):
                record["recipients"][organ] = status
            self._write_index()

    def op_getSentEdocList(self, organs, payload):
        with self.lock:
            return [{"DocId": r["DocId"], "MessageType": r["MessageType"], "Created": r["Created"],
                     "DocumentId": r.get("DocumentId", ""), "StatusCode": r.get("StatusCode", ""),
                     "BussinessDocType": r.get("BussinessDocType", ""), "Sha256": r.get("Sha256", ""),
                     "Recipients": [{"OrganId": o, "Status": s} for o, s in r["recipients"].items()]}
                    for r in self.records.values() if r["From"] in organs]

    def op_getAgenciesList(self, organs, payload):
        return self.agencies


def _organ_set(organs):
    if isinstance(organs, str):
        return frozenset(o.strip() for o in organs.split(",") if o.strip())
    return frozenset(organs)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def start_in_thread(app, host="127.0.0.1", port=0):
    """Serve ``app`` in a daemon thread; return ``(server, base_url)``."""
    server = make_server(host, port, app, server_class=_ThreadingServer,
                         handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server, f"http://{host}:{server.server_port}"


def _allow_reuse():
    _ThreadingServer.allow_reuse_address = True


_allow_reuse()


def _systems_from_args(args):
    systems = {}
    if args.systems:
        for sid, entry in json.loads(Path(args.systems).read_text(encoding="utf-8")).items():
            systems[sid] = (entry["secret"], entry["organ_id"])
    for spec in args.system or []:
        sid, secret, organ = spec.split(":", 2)
        systems[sid] = (secret, organ)
    return systems


def main(argv=None):
    parser = argparse.ArgumentParser(description="Test relay imitating the national axis.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data", help="directory for packages (default: memory)")
    parser.add_argument("--agencies", help="JSON list of agencies")
    parser.add_argument("--systems", help="JSON {system_id: {secret, organ_id}}")
    parser.add_argument("--system", action="append", metavar="ID:SECRET:ORGANID")
    args = parser.parse_args(argv)
    agencies = []
    if args.agencies:
        agencies = json.loads(Path(args.agencies).read_text(encoding="utf-8"))
    app = AxisRelay(_systems_from_args(args), agencies, args.data)
    try:
        from waitress import serve
    except ImportError:
        server = make_server(args.host, args.port, app, server_class=_ThreadingServer)
        print(f"axis relay on http://{args.host}:{args.port}")
        server.serve_forever()
    else:
        serve(app, host=args.host, port=args.port)


if __name__ == "__main__":
    main()
