"""The axis wire details (paths, header names, string to sign, encoding, limits) are settings, not code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dongthap.qlvb.exchange import settings
from dongthap.qlvb.exchange.transports import TransportError


class Capture(BaseHTTPRequestHandler):
    seen: list = []
    answer = b'{"status": "OK", "data": {"DocId": "AX-1"}}'

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Capture.seen.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(Capture.answer)))
        self.end_headers()
        self.wfile.write(Capture.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Capture.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api"
    httpd.shutdown()
    httpd.server_close()


def config(url, **extra):
    out = {name: settings.IExchangeSettings[name].default for name in settings.IExchangeSettings.names()}
    out.update(transport="axis", axis_url=url, axis_system_id="sys-dt", **extra)
    return out


def test_operator_settings_change_paths_headers_and_signing(server, monkeypatch):
    monkeypatch.setenv("QLVB_AXIS_SECRET", "s3cret")
    transport = settings.get_transport(config(
        server,
        axis_paths='{"sendEdoc": "/edoc/send"}',
        axis_headers='{"system_id": "X-SystemId", "signature": "X-Sign", "timestamp": "X-Time"}',
        axis_string_to_sign="{system_id}|{timestamp}|{nonce}|{body_hash}",
        axis_signature_encoding="base64",
        axis_extra_headers='{"X-Api-Version": "2"}'))
    assert transport.send(b"<edXML/>", "edoc") == "AX-1"
    [(path, headers, body)] = Capture.seen
    assert path == "/api/edoc/send"
    assert headers["X-SystemId"] == "sys-dt" and headers["X-Api-Version"] == "2"
    assert "X-Axis-Signature" not in headers
    text = "|".join([headers["X-SystemId"], headers["X-Time"], headers["X-Axis-Nonce"],
                     hashlib.sha256(body).hexdigest()])
    expected = base64.b64encode(hmac.new(b"s3cret", text.encode(), hashlib.sha256).digest()).decode()
    assert headers["X-Sign"] == expected
    assert json.loads(body)["messagetype"] == "edoc"


def test_environment_overrides_the_settings(server, monkeypatch):
    monkeypatch.setenv("QLVB_AXIS_SECRET", "s3cret")
    monkeypatch.setenv("QLVB_AXIS_PATHS", '{"sendEdoc": "/v2/send"}')
    monkeypatch.setenv("QLVB_AXIS_MAX_RESPONSE_MB", "1")
    monkeypatch.setattr(settings, "_registry", lambda: None)
    effective = dict(settings.values(), transport="axis", axis_url=server, axis_system_id="sys-dt")
    transport = settings.get_transport(effective)
    assert transport.max_response_size == 1024 * 1024
    transport.send(b"<edXML/>")
    assert Capture.seen[0][0] == "/api/v2/send"
    Capture.answer = b'{"status": "OK", "data": "' + b"A" * (2 * 1024 * 1024) + b'"}'
    try:
        with pytest.raises(TransportError):
            transport.send(b"<edXML/>")
    finally:
        Capture.answer = b'{"status": "OK", "data": {"DocId": "AX-1"}}'


def test_a_bad_template_falls_back_to_the_default(server, monkeypatch):
    monkeypatch.setenv("QLVB_AXIS_SECRET", "s3cret")
    transport = settings.get_transport(config(server, axis_string_to_sign="{method}{unknown}"))
    transport.send(b"<edXML/>")
    assert "X-Axis-Signature" in Capture.seen[0][1]
