"""Drop-folder transport for offline or manual exchange.

Layout::

    outbox/<id>.<messagetype>.edxml     packages we send (a courier takes them)
    inbox/<id>.<messagetype>.edxml      packages for us (a courier drops them)
    inbox/<id>.processing               marker written by update_status(processing)
    done/done/<file>, done/fail/<file>  acknowledged inbox packages

Every write goes to a hidden temporary file in the target folder and is then
renamed, so a reader never sees a half-written package; files whose name
starts with ``.`` are ignored.  Ids are restricted to ``[A-Za-z0-9_-]`` so
they cannot escape the folders.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
import uuid
from pathlib import Path

from .base import (
    Agency,
    ReceivedItem,
    SentItem,
    Transport,
    TransportError,
    check_ack,
    check_messagetype,
)

_VN_TZ = datetime.timezone(datetime.timedelta(hours=7))
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_FILE_RE = re.compile(r"^(?P<id>[A-Za-z0-9_-]{1,128})\.(?P<type>edoc|status)\.edxml$")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and an atomic rename."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _created(path: Path) -> str:
    stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=_VN_TZ)
    return stamp.strftime("%Y/%m/%d %H:%M:%S")


class DirectoryTransport(Transport):
    """Exchange packages through three folders (see module docstring)."""

    def __init__(self, outbox: str | os.PathLike, inbox: str | os.PathLike,
                 done: str | os.PathLike, *, agencies_file: str | os.PathLike | None = None):
        self.outbox, self.inbox, self.done = Path(outbox), Path(inbox), Path(done)
        self.agencies_file = Path(agencies_file) if agencies_file else None
        try:
            for folder in (self.outbox, self.inbox, self.done / "done", self.done / "fail"):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TransportError(f"cannot create exchange folders: {exc}") from exc

    @staticmethod
    def _scan(folder: Path):
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            raise TransportError(f"cannot list {folder}: {exc}") from exc
        for name in names:
            match = _FILE_RE.match(name)
            if match:
                yield match, folder / name

    def _inbox_file(self, doc_id: str) -> Path:
        if not _ID_RE.match(doc_id or ""):
            raise TransportError(f"invalid package id: {doc_id!r}")
        for match, path in self._scan(self.inbox):
            if match["id"] == doc_id:
                return path
        raise TransportError(f"no such package in the inbox: {doc_id}")

    def send(self, package: bytes, messagetype: str = "edoc") -> str:
        """Drop ``package`` into the outbox; return its new id."""
        check_messagetype(messagetype)
        doc_id = uuid.uuid4().hex
        try:
            atomic_write(self.outbox / f"{doc_id}.{messagetype}.edxml", package)
        except OSError as exc:
            raise TransportError(f"cannot write to the outbox: {exc}") from exc
        return doc_id

    def list_received(self) -> list[ReceivedItem]:
        """Packages in the inbox (``status`` is "processing" when marked)."""
        items = []
        for match, path in self._scan(self.inbox):
            marked = (self.inbox / f"{match['id']}.processing").exists()
            items.append(ReceivedItem(doc_id=match["id"], messagetype=match["type"],
                                      created=_created(path),
                                      status="processing" if marked else "new"))
        return items

    def get(self, doc_id: str) -> bytes:
        """Bytes of an inbox package."""
        path = self._inbox_file(doc_id)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise TransportError(f"cannot read {path.name}: {exc}") from exc

    def update_status(self, doc_id: str, status: str) -> None:
        """Mark processing, or move the package to ``done/done`` or ``done/fail``."""
        check_ack(status)
        path = self._inbox_file(doc_id)
        marker = self.inbox / f"{doc_id}.processing"
        try:
            if status == "processing":
                atomic_write(marker, b"")
                return
            os.replace(path, self.done / status / path.name)
            marker.unlink(missing_ok=True)
        except OSError as exc:
            raise TransportError(f"cannot acknowledge {doc_id}: {exc}") from exc

    def list_sent(self) -> list[SentItem]:
        """Packages still waiting in the outbox (status "queued"; ``raw["Sha256"]`` of the bytes)."""
        items = []
        for m, p in self._scan(self.outbox):
            try:
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError:  # taken by the courier meanwhile
                continue
            items.append(SentItem(doc_id=m["id"], messagetype=m["type"], created=_created(p),
                                  recipients={"*": "queued"}, raw={"Sha256": digest}))
        return items

    def agencies(self) -> list[Agency]:
        """Entries of the optional JSON directory file (list of objects)."""
        if self.agencies_file is None:
            return []
        try:
            entries = json.loads(self.agencies_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise TransportError(f"cannot read the agency directory: {exc}") from exc
        if not isinstance(entries, list):
            raise TransportError("the agency directory must be a JSON list")
        return [Agency(organ_id=str(e.get("OrganId", "")), name=str(e.get("Name", e.get("OrganName", ""))),
                       parent_id=str(e.get("ParentId", "")), email=str(e.get("Email", "")), raw=e)
                for e in entries if isinstance(e, dict)]
