"""AxisHttpTransport against the test relay (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import datetime
import json
import socket

import pytest
from exchange_samples import (
    FINANCE,
    PROVINCE,
    SENDER,
    SYSTEMS,
    make_document,
    make_status,
)

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.transports import (
    AxisError,
    AxisHttpTransport,
    SigningConfig,
    TransportError,
)
from dongthap.qlvb.exchange.transports.signing import compute_signature, sign_headers

TODAY = datetime.date(2024, 3, 10)


def client(url, system="sys-stttt", **kw):
    secret, _organ = SYSTEMS[system]
    return AxisHttpTransport(url, system, secret, timeout=(2, 5), **kw)


def package():
    return edxml.build_document(make_document(), today=TODAY)


def test_send_list_get_ack(relay):
    _app, url = relay
    sender, province, finance = client(url), client(url, "sys-ubnd"), client(url, "sys-stc")
    data = package()
    doc_id = sender.send(data)
    assert doc_id

    for receiver in (province, finance):
        [item] = receiver.list_received()
        assert item.doc_id == doc_id and item.sender == SENDER and item.messagetype == "edoc"
        assert receiver.count_received() == 1
        got = receiver.get(doc_id)
        assert got == data
        assert edxml.parse(got) == make_document()

    province.update_status(doc_id, "processing")
    assert [i.status for i in province.list_received()] == ["processing"]
    province.update_status(doc_id, "done")
    finance.update_status(doc_id, "fail")
    assert province.list_received() == [] and finance.list_received() == []
    assert sender.list_received() == []

    [sent] = sender.list_sent()
    assert sent.doc_id == doc_id
    assert sent.recipients == {PROVINCE: "done", FINANCE: "fail"}


def test_status_package_goes_back_to_the_sender(relay):
    _app, url = relay
    sender, province = client(url), client(url, "sys-ubnd")
    doc_id = sender.send(package())
    province.update_status(doc_id, "done")
    status = edxml.build_status(make_status("03"))
    province.send(status, "status")
    [item] = sender.list_received(messagetype="status")
    assert item.messagetype == "status" and item.sender == PROVINCE
    back = edxml.parse(sender.get(item.doc_id))
    assert back.message_header.status_code == "03"
    assert sender.list_received(messagetype="edoc") == []


def test_agencies(relay):
    _app, url = relay
    agencies = client(url).agencies()
    assert [a.organ_id for a in agencies] == [SENDER, PROVINCE, FINANCE, "000.00.00.G22"]
    assert agencies[0].name == "Sở Thông tin và Truyền thông"
    assert agencies[0].parent_id == PROVINCE


def test_wrong_secret_is_refused(relay):
    app, url = relay
    bad = AxisHttpTransport(url, "sys-stttt", "not-the-secret", timeout=(2, 5))
    with pytest.raises(AxisError) as info:
        bad.send(package())
    assert info.value.error_code == "401"
    assert isinstance(info.value, TransportError)
    assert app.records == {}


def test_unknown_system_is_refused(relay):
    _app, url = relay
    with pytest.raises(AxisError, match="unknown system"):
        AxisHttpTransport(url, "nobody", "x").agencies()


def test_cannot_read_someone_elses_document(relay):
    _app, url = relay
    doc_id = client(url).send(package())
    outsider = client(url, "sys-stttt")
    with pytest.raises(AxisError):
        outsider.get(doc_id)


def test_relay_refuses_spoofed_sender(relay):
    _app, url = relay
    with pytest.raises(AxisError, match="E_FROM|not the sending"):
        client(url, "sys-stc").send(package())


def test_relay_refuses_garbage_package(relay):
    _app, url = relay
    with pytest.raises(AxisError) as info:
        client(url).send(b"<not-edxml/>")
    assert info.value.error_code == "E_PACKAGE"


def test_send_validates_messagetype(relay):
    _app, url = relay
    with pytest.raises(ValueError):
        client(url).send(package(), "fax")
    with pytest.raises(ValueError):
        client(url).update_status("x", "archived")


def test_persistent_relay_survives_restart(relay_on_disk):
    _app, url, data_dir = relay_on_disk
    doc_id = client(url).send(package())
    assert (data_dir / PROVINCE / f"{doc_id}.edxml").is_file()
    index = json.loads((data_dir / "index.json").read_text(encoding="utf-8"))
    assert index[doc_id]["recipients"] == {PROVINCE: "pending", FINANCE: "pending"}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_is_a_transport_error():
    transport = AxisHttpTransport(f"http://127.0.0.1:{_free_port()}", "s", "k", timeout=(1, 1))
    with pytest.raises(TransportError) as info:
        transport.agencies()
    assert not isinstance(info.value, AxisError)


def test_read_timeout_is_a_transport_error():
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        transport = AxisHttpTransport(f"http://127.0.0.1:{listener.getsockname()[1]}", "s", "k",
                                      timeout=(1, 0.3))
        with pytest.raises(TransportError, match="Timeout"):
            transport.agencies()


def test_response_size_is_capped(relay):
    _app, url = relay
    doc_id = client(url).send(package())
    small = client(url, "sys-ubnd", max_response_size=1000)
    with pytest.raises(TransportError, match="larger than"):
        small.get(doc_id)


def test_custom_paths_and_headers(relay):
    _app, url = relay
    transport = client(url, paths={"getAgenciesList": "/getAgenciesList"},
                       extra_headers={"X-Trace": "1"})
    assert transport.agencies()
    with pytest.raises(AxisError):  # the relay does not know this path
        client(url, paths={"getAgenciesList": "/directory"}).agencies()


def test_non_json_response_is_a_transport_error():
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b"<html>maintenance</html>"
            self.send_response(502)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(TransportError, match="502"):
            AxisHttpTransport(f"http://127.0.0.1:{server.server_port}", "s", "k").agencies()
    finally:
        server.shutdown()
        server.server_close()


def test_signature_scheme_is_stable():
    headers = sign_headers(SigningConfig(), "sys", "secret", "post", "/sendEdoc", b"{}",
                           now=1700000000, nonce="abc")
    canonical = ("POST\n/sendEdoc\nsys\n1700000000\nabc\n"
                 "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
    assert headers == {
        "X-Axis-SystemId": "sys", "X-Axis-Timestamp": "1700000000", "X-Axis-Nonce": "abc",
        "X-Axis-Signature": compute_signature("secret", canonical),
    }
    b64 = sign_headers(SigningConfig(encoding="base64", signature_header="Sig"), "sys", "secret",
                       "POST", "/x", b"", now=1, nonce="n")
    assert b64["Sig"].endswith("=")


def test_repr_hides_secret(relay):
    _app, url = relay
    assert "secret" not in repr(client(url))


def test_relay_runs_as_a_script(tmp_path):
    """``python tests/exchange/axis_relay.py --port N --data DIR --agencies FILE``."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    from exchange_samples import AGENCIES

    agencies = tmp_path / "agencies.json"
    agencies.write_text(json.dumps(AGENCIES, ensure_ascii=False), encoding="utf-8")
    port = _free_port()
    script = Path(__file__).with_name("axis_relay.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--data", str(tmp_path / "data"),
         "--agencies", str(agencies), "--system", "sys-stttt:secret-stttt:000.00.14.H20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        transport = client(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 15
        while True:
            try:
                assert len(transport.agencies()) == len(AGENCIES)
                break
            except TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
