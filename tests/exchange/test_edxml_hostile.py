"""Hostile input: the parser must fail cleanly, fast, without reading files or the network."""

from __future__ import annotations

import http.server
import random
import threading
import time

import pytest
from exchange_samples import make_document

from dongthap.qlvb.exchange import edxml

HEADER = (b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
          b'<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
          b"<edXML:edXMLHeader><edXML:MessageHeader>")
TRAILER = b"</edXML:MessageHeader></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>"


#: A bound against a parser that expands or loops (minutes, or never ending), not a speed
#: measure: a clean refusal takes well under a second, but a loaded CI machine once took 9 s.
HANG = 60


def timed_parse(data, **kw):
    start = time.perf_counter()
    try:
        return edxml.parse(data, **kw)
    finally:
        assert time.perf_counter() - start < HANG, "parser took too long"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
""" + HEADER + b"<edXML:Subject>&lol9;</edXML:Subject>" + TRAILER

XXE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
""" + HEADER + b"<edXML:Subject>&xxe;</edXML:Subject>" + TRAILER

PARAMETER_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>
""" + HEADER + b"<edXML:Subject>x</edXML:Subject>" + TRAILER


@pytest.mark.parametrize("recover", [False, True])
def test_billion_laughs(recover):
    with pytest.raises(edxml.UnsafeXMLError):
        timed_parse(BILLION_LAUGHS, recover=recover)


@pytest.mark.parametrize("payload", [XXE, PARAMETER_XXE], ids=["general", "parameter"])
@pytest.mark.parametrize("recover", [False, True])
def test_xxe_never_reads_files(payload, recover):
    with pytest.raises(edxml.UnsafeXMLError) as info:
        timed_parse(payload, recover=recover)
    assert "root:" not in str(info.value)


def test_xxe_not_resolved_even_if_prolog_scan_is_bypassed(monkeypatch):
    """Defence in depth: the lxml settings alone must not expand entities."""
    from dongthap.qlvb.exchange.edxml import safexml
    monkeypatch.setattr(safexml, "check_prolog", lambda data: None)
    for payload in (XXE, BILLION_LAUGHS, PARAMETER_XXE):
        with pytest.raises(edxml.ParseError) as info:
            timed_parse(payload)
        assert "root:" not in str(info.value)


def test_doctype_in_utf16_is_refused():
    with pytest.raises(edxml.UnsafeXMLError):
        timed_parse(XXE.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16"))


def test_doctype_after_comment_is_refused():
    with pytest.raises(edxml.UnsafeXMLError):
        timed_parse(b"<?xml version='1.0'?><!-- hi -->" + XXE.split(b"?>", 1)[1])


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        body = b'<!ENTITY ext "EXTERNAL">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_external_dtd_is_never_fetched():
    server = http.server.HTTPServer(("127.0.0.1", 0), _CountingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/evil.dtd".encode()
        payloads = [
            b'<?xml version="1.0"?><!DOCTYPE edXML SYSTEM "' + url + b'">' + HEADER
            + b"<edXML:Subject>&ext;</edXML:Subject>" + TRAILER,
            b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY e SYSTEM "' + url + b'">]>'
            + HEADER + b"<edXML:Subject>&e;</edXML:Subject>" + TRAILER,
        ]
        for payload in payloads:
            for recover in (False, True):
                with pytest.raises(edxml.ParseError):
                    timed_parse(payload, recover=recover)
        assert _CountingHandler.hits == 0
    finally:
        server.shutdown()
        server.server_close()


def test_fifty_megabyte_package_refused_quickly():
    doc = make_document()
    doc.attachments[0].data = b"\x00" * (38 * 1024 * 1024)  # ~50 MB once base64-encoded
    data = edxml.build_document(doc)
    assert len(data) > 50 * 1000 * 1000
    start = time.perf_counter()
    with pytest.raises(edxml.PackageTooLargeError):
        edxml.parse(data)
    assert time.perf_counter() - start < 0.5


def test_size_limit_is_configurable():
    data = edxml.build_document(make_document())
    with pytest.raises(edxml.PackageTooLargeError):
        edxml.parse(data, max_size=len(data) - 1)
    assert edxml.parse(data, max_size=len(data)).message_header.subject


def test_large_package_under_a_raised_limit_parses():
    doc = make_document()
    doc.attachments[0].data = b"\x07" * (12 * 1024 * 1024)  # > 10 MB of base64 text
    data = edxml.build_document(doc)
    back = edxml.parse(data, max_size=len(data))
    assert back.attachments[0].data == doc.attachments[0].data


@pytest.mark.parametrize("levels", [200, 100_000])
def test_deep_nesting(levels):
    data = HEADER + b"<a>" * levels + b"</a>" * levels + TRAILER
    with pytest.raises(edxml.ParseError):
        timed_parse(data)


def test_depth_limit_is_configurable():
    data = edxml.build_document(make_document())
    with pytest.raises(edxml.UnsafeXMLError, match="deeper"):
        edxml.parse(data, max_depth=5)


def test_element_flood():
    data = HEADER + b"<x/>" * 300_000 + TRAILER
    with pytest.raises(edxml.UnsafeXMLError, match="elements"):
        timed_parse(data)


@pytest.mark.parametrize("data", [
    b"", b"   ", b"\x00\x01\x02garbage", b"<html><body>Not edXML</body></html>",
    b"<edXML>", b"<?xml version='1.0' encoding='x-nonexistent'?><a/>",
    "<a>ký tự</a>".encode("cp1258", errors="replace"),
], ids=["empty", "blank", "binary", "html", "truncated", "bad-encoding", "wrong-charset"])
def test_garbage_gives_parse_error(data):
    with pytest.raises(edxml.ParseError):
        timed_parse(data)


def test_rejects_non_bytes():
    with pytest.raises(TypeError):
        edxml.parse("<edXML/>")


def test_random_corruption_never_crashes():
    """Truncated/mutated packages: a package or an EdXMLError, nothing else."""
    original = edxml.build_document(make_document())
    rng = random.Random(20240305)
    outcomes = {"parsed": 0, "refused": 0}
    for _ in range(300):
        data = bytearray(original)
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            edxml.parse(bytes(data))
            outcomes["parsed"] += 1
        except edxml.EdXMLError:
            outcomes["refused"] += 1
        try:
            edxml.parse(bytes(data), recover=True)
        except edxml.EdXMLError:
            pass
    assert outcomes["refused"] > 0
