"""DirectoryTransport: drop folders with atomic writes."""

from __future__ import annotations

import json

import pytest
from exchange_samples import make_document

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.transports import DirectoryTransport, TransportError


@pytest.fixture
def folders(tmp_path):
    return tmp_path / "out", tmp_path / "in", tmp_path / "done"


def test_send_writes_atomically_to_outbox(folders):
    transport = DirectoryTransport(*folders)
    data = edxml.build_document(make_document())
    doc_id = transport.send(data)
    files = list(folders[0].iterdir())
    assert [f.name for f in files] == [f"{doc_id}.edoc.edxml"]
    assert files[0].read_bytes() == data
    [sent] = transport.list_sent()
    assert sent.doc_id == doc_id and sent.messagetype == "edoc"


def test_two_systems_exchange_through_shared_folders(tmp_path):
    alice = DirectoryTransport(tmp_path / "a2b", tmp_path / "b2a", tmp_path / "a_done")
    bob = DirectoryTransport(tmp_path / "b2a", tmp_path / "a2b", tmp_path / "b_done")
    data = edxml.build_document(make_document())
    doc_id = alice.send(data)
    [item] = bob.list_received()
    assert item.doc_id == doc_id and item.status == "new"
    assert bob.get(doc_id) == data
    bob.update_status(doc_id, "processing")
    assert bob.list_received()[0].status == "processing"
    bob.update_status(doc_id, "done")
    assert bob.list_received() == []
    assert (tmp_path / "b_done" / "done" / f"{doc_id}.edoc.edxml").read_bytes() == data
    assert not list((tmp_path / "a2b").glob("*.processing"))


def test_fail_moves_to_fail_folder(folders):
    _outbox, inbox, done = folders
    transport = DirectoryTransport(*folders)
    (inbox / "abc.status.edxml").write_bytes(b"<x/>")
    transport.update_status("abc", "fail")
    assert (done / "fail" / "abc.status.edxml").exists()


def test_temporary_and_foreign_files_are_ignored(folders):
    _outbox, inbox, _done = folders
    transport = DirectoryTransport(*folders)
    (inbox / ".tmp-123").write_bytes(b"half")
    (inbox / "notes.txt").write_text("x")
    (inbox / "ok.edoc.edxml").write_bytes(b"<x/>")
    assert [i.doc_id for i in transport.list_received()] == ["ok"]


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "", ".hidden", "x" * 200])
def test_ids_cannot_escape(folders, bad):
    transport = DirectoryTransport(*folders)
    with pytest.raises(TransportError):
        transport.get(bad)


def test_unknown_id_and_bad_status(folders):
    transport = DirectoryTransport(*folders)
    with pytest.raises(TransportError):
        transport.get("missing")
    with pytest.raises(ValueError):
        transport.update_status("missing", "archived")


def test_agencies_file(tmp_path, folders):
    path = tmp_path / "agencies.json"
    path.write_text(json.dumps([{"OrganId": "000.00.14.H20", "Name": "Sở TT&TT"}]), encoding="utf-8")
    [agency] = DirectoryTransport(*folders, agencies_file=path).agencies()
    assert agency.organ_id == "000.00.14.H20" and agency.name == "Sở TT&TT"
    assert DirectoryTransport(*folders).agencies() == []
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(TransportError):
        DirectoryTransport(*folders, agencies_file=path).agencies()
