"""Transport to the national document axis (trục liên thông) over HTTP/JSON.

The deployed SDKs speak JSON over HTTP; the exact paths, header names and
signing recipe are not published, so every one of them is configurable.

**Requests** are ``POST {base_url}{path}`` with a JSON body, ``path`` taken
from :attr:`AxisHttpTransport.paths` (default ``/<operation>``).  Bodies:

============================  ==================================================
operation                     JSON body
============================  ==================================================
``sendEdoc``                  ``{"messagetype": "edoc"|"status", "content": base64 edXML}``
``getReceivedEdocList``       ``{"messagetype"?, "fromDate"?, "toDate"?}`` (yyyy/MM/dd)
``getEdoc``                   ``{"DocId": id}``
``updateStatus``              ``{"DocId": id, "status": "done"|"fail"|"processing"}``
``getSentEdocList``           ``{"fromDate"?, "toDate"?}``
``countReceiveEdoc``          ``{}``
``getAgenciesList``           ``{}``
============================  ==================================================

**Authentication**: HMAC-SHA256 signed headers, see
:mod:`dongthap.qlvb.exchange.transports.signing` (defaults ``X-Axis-SystemId``,
``X-Axis-Timestamp``, ``X-Axis-Nonce``, ``X-Axis-Signature``).

**Responses**: ``{"status": "OK"|"FAIL", "ErrorCode": ..., "ErrorDesc": ...,
"data": ...}``; ``FAIL`` raises :class:`AxisError`.  ``data`` is read
tolerantly: ``sendEdoc`` → ``{"DocId"}`` or a string; ``getEdoc`` →
``{"content": base64}`` or a base64 string; lists → list of objects whose keys
are matched case-insensitively (``DocId``, ``From``, ``MessageType``,
``Created``, ``Status``, ``Recipients`` [{``OrganId``, ``Status``}];
agencies ``OrganId``/``Code``, ``Name``, ``ParentId``, ``Email``/``Mail``).

Network, HTTP and protocol failures raise :class:`TransportError`; every
request has a (connect, read) timeout and the response size is capped.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from urllib.parse import urlsplit

import requests

from .base import (
    Agency,
    AxisError,
    ReceivedItem,
    SentItem,
    Transport,
    TransportError,
    check_ack,
    check_messagetype,
)
from .signing import SigningConfig, sign_headers

OPERATIONS = (
    "sendEdoc", "getReceivedEdocList", "getEdoc", "updateStatus",
    "getSentEdocList", "countReceiveEdoc", "getAgenciesList",
)
DEFAULT_MAX_RESPONSE = 48 * 1024 * 1024


def _pick(obj: dict, *names: str, default=""):
    """Case-insensitive lookup of the first present key."""
    if not isinstance(obj, dict):
        return default
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value is not None:
            return value
    return default


def _date(value: datetime.date | None) -> str | None:
    return value.strftime("%Y/%m/%d") if value else None


class AxisHttpTransport(Transport):
    """JSON-over-HTTP client of the national axis (see module docstring)."""

    def __init__(self, base_url: str, system_id: str, secret: str, *,
                 paths: dict[str, str] | None = None,
                 signing: SigningConfig | None = None,
                 timeout: tuple[float, float] = (5.0, 60.0),
                 max_response_size: int = DEFAULT_MAX_RESPONSE,
                 verify: bool | str = True,
                 extra_headers: dict[str, str] | None = None,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.system_id = system_id
        self._secret = secret
        self.paths = {op: f"/{op}" for op in OPERATIONS}
        self.paths.update(paths or {})
        self.signing = signing or SigningConfig()
        self.timeout = timeout
        self.max_response_size = max_response_size
        self.verify = verify
        self.extra_headers = dict(extra_headers or {})
        self.session = session or requests.Session()

    def __repr__(self) -> str:  # never show the secret
        return f"<AxisHttpTransport {self.base_url} system={self.system_id}>"

    # -- plumbing ------------------------------------------------------------
    def call(self, operation: str, payload: dict | None = None):
        """POST one operation and return its ``data`` (raises on failure)."""
        url = self.base_url + self.paths[operation]
        body = json.dumps(payload or {}, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        headers.update(self.extra_headers)
        headers.update(sign_headers(self.signing, self.system_id, self._secret, "POST",
                                    urlsplit(url).path or "/", body))
        try:
            with self.session.post(url, data=body, headers=headers, timeout=self.timeout,
                                   verify=self.verify, stream=True) as resp:
                raw = self._read(resp, operation)
                status_code = resp.status_code
        except requests.RequestException as exc:
            raise TransportError(f"{operation}: {type(exc).__name__}: {exc}") from exc
        try:
            doc = json.loads(raw.decode("utf-8")) if raw else None
        except (UnicodeDecodeError, ValueError):
            doc = None
        if not isinstance(doc, dict):
            raise TransportError(f"{operation}: HTTP {status_code}, response is not a JSON object")
        status = str(_pick(doc, "status")).upper()
        if status == "OK" and status_code < 400:
            return _pick(doc, "data", default=None)
        if status == "FAIL" or status_code >= 400:
            raise AxisError(str(_pick(doc, "ErrorCode", default=status_code)),
                            str(_pick(doc, "ErrorDesc", default="")), operation)
        raise TransportError(f"{operation}: unexpected response status {status!r}")

    def _read(self, resp, operation: str) -> bytes:
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_response_size:
            raise TransportError(f"{operation}: response larger than {self.max_response_size} bytes")
        chunks, size = [], 0
        for chunk in resp.iter_content(1 << 16):
            size += len(chunk)
            if size > self.max_response_size:
                raise TransportError(f"{operation}: response larger than {self.max_response_size} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    # -- operations ----------------------------------------------------------
    def send(self, package: bytes, messagetype: str = "edoc") -> str:
        """``sendEdoc``: return the axis DocId."""
        check_messagetype(messagetype)
        data = self.call("sendEdoc", {"messagetype": messagetype,
                                      "content": base64.b64encode(package).decode("ascii")})
        doc_id = data if isinstance(data, str) else _pick(data, "DocId", "docid", "id")
        if not doc_id:
            raise TransportError("sendEdoc: the response carries no DocId")
        return str(doc_id)

    def list_received(self, messagetype: str | None = None,
                      from_date: datetime.date | None = None,
                      to_date: datetime.date | None = None) -> list[ReceivedItem]:
        """``getReceivedEdocList``, optionally filtered."""
        payload = {"messagetype": messagetype, "fromDate": _date(from_date),
                   "toDate": _date(to_date)}
        data = self.call("getReceivedEdocList", {k: v for k, v in payload.items() if v})
        return [
            ReceivedItem(doc_id=str(_pick(d, "DocId", "id")), sender=str(_pick(d, "From")),
                         messagetype=str(_pick(d, "MessageType", default="edoc")),
                         created=str(_pick(d, "Created")), status=str(_pick(d, "Status")),
                         raw=d)
            for d in self._list(data, "getReceivedEdocList")
        ]

    def get(self, doc_id: str) -> bytes:
        """``getEdoc``: the decoded edXML bytes."""
        data = self.call("getEdoc", {"DocId": doc_id})
        content = data if isinstance(data, str) else _pick(data, "content", "edxml", "data")
        if not isinstance(content, str) or not content:
            raise TransportError("getEdoc: the response carries no content")
        try:
            return base64.b64decode(content, validate=False)
        except (binascii.Error, ValueError) as exc:
            raise TransportError(f"getEdoc: content is not base64: {exc}") from exc

    def update_status(self, doc_id: str, status: str) -> None:
        """``updateStatus``: acknowledge done / fail / processing."""
        self.call("updateStatus", {"DocId": doc_id, "status": check_ack(status)})

    def list_sent(self, from_date: datetime.date | None = None,
                  to_date: datetime.date | None = None) -> list[SentItem]:
        """``getSentEdocList`` with per-recipient status."""
        payload = {"fromDate": _date(from_date), "toDate": _date(to_date)}
        data = self.call("getSentEdocList", {k: v for k, v in payload.items() if v})
        items = []
        for d in self._list(data, "getSentEdocList"):
            recipients = {str(_pick(r, "OrganId", "To")): str(_pick(r, "Status"))
                          for r in _pick(d, "Recipients", default=[]) or []
                          if isinstance(r, dict)}
            items.append(SentItem(doc_id=str(_pick(d, "DocId", "id")),
                                  messagetype=str(_pick(d, "MessageType", default="edoc")),
                                  created=str(_pick(d, "Created")),
                                  recipients=recipients, raw=d))
        return items

    def count_received(self) -> int:
        """``countReceiveEdoc``."""
        data = self.call("countReceiveEdoc", {})
        value = _pick(data, "count", "total") if isinstance(data, dict) else data
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise TransportError("countReceiveEdoc: the response carries no count") from exc

    def agencies(self) -> list[Agency]:
        """``getAgenciesList``: the directory."""
        data = self.call("getAgenciesList", {})
        return [
            Agency(organ_id=str(_pick(d, "OrganId", "Code", "id")),
                   name=str(_pick(d, "Name", "OrganName")),
                   parent_id=str(_pick(d, "ParentId", "Pid")),
                   email=str(_pick(d, "Email", "Mail")), raw=d)
            for d in self._list(data, "getAgenciesList")
        ]

    @staticmethod
    def _list(data, operation: str) -> list[dict]:
        if data is None:
            return []
        if not isinstance(data, list):
            raise TransportError(f"{operation}: data is not a list")
        return [d for d in data if isinstance(d, dict)]
