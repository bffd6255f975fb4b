"""Virus scanning of uploaded files with a ClamAV daemon (clamd).

This module is the one scanning service used by every path through which a
file enters the system (forms, REST uploads, delivery, the exchange inbox,
imports).  It has no Plone/Zope dependency: it speaks the clamd protocol
(``INSTREAM``, ``PING``, ``VERSION``) over a unix or TCP socket through the
``clamd`` package, wrapped (see "Protocol" below) so that every failure is
classified precisely.

Policy: **fail closed**.  A file is accepted only when clamd has answered
``OK`` for the complete content.  Everything else - clamd unreachable, a
timeout, a connection reset (which is what clamd does when a stream exceeds
its ``StreamMaxLength``), a protocol error, a file larger than the configured
limit - is ``not_scanned`` and :func:`check_upload` refuses the file with
:class:`ScanFailed`.  An infected file is always refused with
:class:`VirusFound`.

*Degraded mode* (``ScannerConfig.degraded``, to be switched on explicitly by
an administrator, e.g. while clamd is being repaired) lets files through when
the *scanner* fails (unreachable, timeout, error); :func:`check_upload` then
returns a :class:`ScanResult` whose status is ``not_scanned`` so the caller
can log and mark the file - it is never reported ``clean``, and this module
logs a warning for it as well.  Degraded mode never lets through an infected
file nor one that is too large to be scanned (``oversize``).

``ScannerConfig.enabled = False`` switches scanning off completely (e.g. on a
developer's machine without clamd): results are ``not_scanned`` with reason
``disabled`` and are logged the same way.

Typical use::

    config = ScannerConfig(address="/work/main/var/clamd/clamd.sock")
    result = check_upload(data, "congvan.pdf", config)   # raises on refusal
    if not result.clean:
        log_unscanned_file(result)                        # degraded mode
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import socket
import tempfile
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from dongthap.qlvb.errors import interpolate as _interpolate  # English text (str(exc), logs)
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import boolean, size

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # clamd 1.0.2 asks the deprecated pkg_resources its version
    import clamd

logger = logging.getLogger("dongthap.qlvb.antivirus")

CLEAN = "clean"
INFECTED = "infected"
NOT_SCANNED = "not_scanned"

# Reasons of a ``not_scanned`` result.
UNREACHABLE = "unreachable"
TIMEOUT = "timeout"
OVERSIZE = "oversize"
ERROR = "error"
DISABLED = "disabled"

#: Reasons that degraded mode may let through (a failing scanner).
DEGRADABLE_REASONS = frozenset({UNREACHABLE, TIMEOUT, ERROR})

MB = 1024 * 1024
DEFAULT_ADDRESS = "/run/clamav/clamd.ctl"

# Signatures clamd reports (with AlertExceedsMax) when it could not scan a
# file completely; such a file was *not scanned*, it is not known infected.
_LIMIT_SIGNATURE_PREFIX = "Heuristics.Limits.Exceeded"


@dataclass(frozen=True)
class ScannerConfig:
    """How to reach clamd and what to do when scanning is impossible.

    ``address``
        Path of clamd's unix socket, or ``tcp://host:port``.
    ``timeout``
        Overall limit in seconds for one scan (connect, send, verdict).
    ``connect_timeout``
        Limit in seconds for establishing the connection.
    ``max_stream_size``
        Largest file (bytes) sent to clamd.  Keep it **below** clamd's
        ``StreamMaxLength`` (and ``MaxFileSize``): larger files are refused as
        ``oversize`` before anything is sent.
    ``chunk_size``
        Size of the INSTREAM chunks.
    ``enabled``
        False switches scanning off (results ``not_scanned``/``disabled``).
    ``degraded``
        True lets files through when the scanner fails (see module doc).
    """

    address: str = DEFAULT_ADDRESS
    timeout: float = 60.0
    connect_timeout: float = 5.0
    max_stream_size: int = 50 * MB
    chunk_size: int = 64 * 1024
    enabled: bool = True
    degraded: bool = False

    def __post_init__(self) -> None:
        """Validate the values (a broken configuration must not scan 'clean')."""
        if not self.address:
            raise ValueError("clamd address is empty")
        if self.timeout <= 0 or self.connect_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if self.max_stream_size <= 0 or self.chunk_size <= 0:
            raise ValueError("sizes must be positive")
        if self.is_tcp:
            _split_tcp(self.address)

    @property
    def is_tcp(self) -> bool:
        """True when ``address`` is a ``tcp://host:port`` URL."""
        return self.address.startswith("tcp://")

    @property
    def tcp_address(self) -> tuple:
        """``(host, port)`` of a ``tcp://`` address."""
        return _split_tcp(self.address)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str], prefix: str = "") -> ScannerConfig:
        """Build a config from string values (zope.conf product-config, env).

        Keys (after *prefix*): ``address``, ``timeout``, ``connect_timeout``,
        ``max_stream_size`` (bytes, or with a ``K``/``M`` suffix),
        ``chunk_size``, ``enabled``, ``degraded`` (``1/true/yes/on``).
        Missing keys keep their defaults.
        """
        kwargs = {}
        for name, kind in (
            ("address", str),
            ("timeout", float),
            ("connect_timeout", float),
            ("max_stream_size", size),
            ("chunk_size", size),
            ("enabled", boolean),
            ("degraded", boolean),
        ):
            raw = values.get(prefix + name)
            if raw is not None and str(raw).strip() != "":
                kwargs[name] = kind(str(raw).strip())
        return cls(**kwargs)


def _split_tcp(address: str) -> tuple:
    """``tcp://host:port`` -> ``(host, port)``; ValueError when malformed."""
    hostport = address[len("tcp://") :].rstrip("/")
    host, sep, port = hostport.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"invalid clamd address {address!r} (want tcp://host:port)")
    return host.strip("[]"), int(port)


@dataclass(frozen=True)
class ScanResult:
    """The outcome of scanning one file.

    ``status`` is ``clean``, ``infected`` or ``not_scanned``; ``reason`` is
    set for ``not_scanned`` (``unreachable``, ``timeout``, ``oversize``,
    ``error``, ``disabled``); ``signature`` for ``infected``.  ``sha256`` is
    always set by :func:`scan_bytes`; :func:`scan_stream` leaves it None when
    it did not read the whole content (oversize, or clamd failed mid-way).
    ``detail`` is technical text for logs, not for users.
    """

    status: str
    filename: str
    size: int
    sha256: str | None
    signature: str | None = None
    reason: str | None = None
    detail: str = ""
    duration: float = field(default=0.0, compare=False)

    @property
    def clean(self) -> bool:
        """True only when clamd answered OK for the whole content."""
        return self.status == CLEAN

    @property
    def infected(self) -> bool:
        """True when clamd found a signature."""
        return self.status == INFECTED

    @property
    def scanned(self) -> bool:
        """True when clamd gave a verdict (clean or infected)."""
        return self.status in (CLEAN, INFECTED)

    def log_line(self) -> str:
        """One line for the application log / audit trail."""
        parts = [
            f"antivirus {self.status}",
            f"file={self.filename!r}",
            f"size={self.size}",
        ]
        if self.sha256:
            parts.append(f"sha256={self.sha256}")
        if self.signature:
            parts.append(f"signature={self.signature}")
        if self.reason:
            parts.append(f"reason={self.reason}")
        if self.detail:
            parts.append(f"detail={self.detail!r}")
        parts.append(f"{self.duration:.3f}s")
        return " ".join(parts)


# --------------------------------------------------------------------------
# Exceptions with translatable messages


def _format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.0f} MB"
    return f"{max(1, size // 1024)} KB"


class AntivirusError(Exception):
    """Base class: a file was refused.  ``message`` is an i18n Message."""

    def __init__(self, result: ScanResult, message) -> None:
        """Keep the *result* (for logs) and the translatable *message*."""
        self.result = result
        self.message = message
        super().__init__(_interpolate(message))


class VirusFound(AntivirusError):
    """The file is infected (``result.signature`` names the signature)."""

    def __init__(self, result: ScanResult) -> None:
        """Build the message naming the file and the signature."""
        message = _(
            "virus_found",
            default="The file ${filename} is infected with malware "
            "(${signature}) and was not saved.",
            mapping={"filename": result.filename, "signature": result.signature or "?"},
        )
        super().__init__(result, message)


class ScanFailed(AntivirusError):
    """The file could not be scanned, so it was refused (fail closed)."""

    def __init__(self, result: ScanResult, max_size: int | None = None) -> None:
        """Build the message for ``result.reason``."""
        mapping = {"filename": result.filename}
        reason = result.reason
        if reason == UNREACHABLE:
            message = _(
                "scan_failed_unreachable",
                default="The file ${filename} could not be scanned for viruses: "
                "the antivirus service is not reachable. The file was not saved.",
                mapping=mapping,
            )
        elif reason == TIMEOUT:
            message = _(
                "scan_failed_timeout",
                default="The file ${filename} could not be scanned for viruses: "
                "the antivirus service did not answer in time. The file was not saved.",
                mapping=mapping,
            )
        elif reason == OVERSIZE:
            mapping["limit"] = _format_size(max_size) if max_size else "?"
            message = _(
                "scan_failed_oversize",
                default="The file ${filename} could not be scanned for viruses: "
                "it is larger than the scanning limit of ${limit}. The file was not saved.",
                mapping=mapping,
            )
        else:
            message = _(
                "scan_failed_error",
                default="The file ${filename} could not be scanned for viruses: "
                "the antivirus service reported an error. The file was not saved.",
                mapping=mapping,
            )
        super().__init__(result, message)


def not_scanned_message(result: ScanResult):
    """Translatable notice for a file accepted *without* a scan (degraded mode)."""
    return _(
        "scan_skipped",
        default="The file ${filename} was saved without a virus scan "
        "(antivirus degraded mode, reason: ${reason}).",
        mapping={"filename": result.filename, "reason": result.reason or "?"},
    )


# --------------------------------------------------------------------------
# Protocol: the ``clamd`` package, bounded by deadlines
#
# ``clamd`` (PyPI) frames the commands (``nINSTREAM``/``nPING``/``nVERSION``),
# streams the INSTREAM chunks, parses the verdict line and raises
# ``BufferTooLongError`` for clamd's "INSTREAM size limit exceeded" reply.
# What it lacks is added here, around it: a connect timeout and one overall
# deadline per conversation, complete sends (it calls ``socket.send`` once per
# chunk), our chunk size, replies ended by NUL as well as by a newline, the
# reply clamd sends just before it resets a stream that is too long.

#: The reply clamd gives to a stream longer than its StreamMaxLength (as ``clamd`` spells it).
_SIZE_LIMIT_REPLY = "INSTREAM size limit exceeded. ERROR"


class _Timeout(Exception):
    """The overall deadline of a clamd conversation has passed."""


class _ConnectTimeout(_Timeout):
    """The connection to clamd was not established in time."""


class _DeadlineSocket:
    """The socket ``clamd`` talks through: every operation within the deadline.

    ``send`` sends all of its data (``clamd`` assumes one ``send`` does);
    when clamd resets the connection mid-stream, what it said just before is
    kept in ``late_reply``.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self.late_reply = b""

    def _remaining(self) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Timeout()
        return remaining

    def send(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            self.sock.settimeout(self._remaining())
            try:
                sent = self.sock.send(view)
            except TimeoutError as exc:
                raise _Timeout() from exc
            except OSError:
                self.late_reply = self._read_late_reply()
                raise
            view = view[sent:]
        return len(data)

    def _read_late_reply(self) -> bytes:
        """Best effort: what clamd sent before resetting the connection."""
        try:
            self.sock.settimeout(0.2)
            return self.sock.recv(4096)
        except OSError:
            return b""

    def read_reply(self, limit: int = 4096) -> bytes:
        """One reply, ended by NUL (``z`` commands) or newline (``n``), or EOF."""
        buf = b""
        while not (b"\0" in buf or b"\n" in buf) and len(buf) < limit:
            self.sock.settimeout(self._remaining())
            try:
                chunk = self.sock.recv(limit)
            except TimeoutError as exc:
                raise _Timeout() from exc
            if not chunk:
                break
            buf += chunk
        return buf

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _reply_text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("utf-8", errors="replace").strip()


class _DeadlineClient:
    """Mixin for ``clamd``'s socket classes: connect with a timeout, read within the deadline."""

    connect_timeout = 5.0
    conversation_timeout = 60.0
    last_reply = ""
    late_reply = b""

    def _connect(self, wait: float) -> socket.socket:
        raise NotImplementedError

    def _init_socket(self) -> None:
        wait = min(self.connect_timeout, self.conversation_timeout)
        deadline = time.monotonic() + self.conversation_timeout
        try:
            sock = self._connect(wait)
        except TimeoutError as exc:
            raise _ConnectTimeout("connect timed out") from exc
        except OSError as exc:
            raise clamd.ConnectionError(self._error_message(exc)) from exc
        self.clamd_socket = _DeadlineSocket(sock, deadline)

    def _close_socket(self) -> None:
        # ``clamd`` closes in a ``finally`` that also runs when connecting failed
        sock = self.__dict__.pop("clamd_socket", None)
        if sock is not None:
            self.late_reply = sock.late_reply
            sock.close()

    def _recv_response(self) -> str:
        self.last_reply = _reply_text(self.clamd_socket.read_reply())
        return self.last_reply


class _UnixClient(_DeadlineClient, clamd.ClamdUnixSocket):
    def _connect(self, wait: float) -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(wait)
            sock.connect(self.unix_socket)
        except BaseException:
            sock.close()
            raise
        return sock


class _TcpClient(_DeadlineClient, clamd.ClamdNetworkSocket):
    def _connect(self, wait: float) -> socket.socket:
        return socket.create_connection((self.host, self.port), timeout=wait)


def _client(config: ScannerConfig, timeout: float | None = None) -> _DeadlineClient:
    """A ``clamd`` client for *config* whose conversations last at most *timeout* seconds."""
    if config.is_tcp:
        host, port = config.tcp_address
        client = _TcpClient(host, port)
    else:
        client = _UnixClient(config.address)
    client.conversation_timeout = timeout or config.timeout
    client.connect_timeout = config.connect_timeout
    return client


class _ChunkReader:
    """The chunks as the file object ``clamd``'s ``instream`` reads.

    It asks for 1 KiB at a time; it gets one of our chunks (``chunk_size``):
    each INSTREAM frame carries the real length.
    """

    def __init__(self, chunks, hasher) -> None:
        self._chunks = iter(chunks)
        self._hasher = hasher

    def read(self, _size: int = -1) -> bytes:
        chunk = next(self._chunks, b"")
        if chunk:
            self._hasher.update(chunk)
        return chunk


def _verdict(status: str, signature: str | None, text: str) -> tuple:
    """Map a parsed INSTREAM reply to ``(status, signature, reason, detail)``."""
    if status == "OK":
        return CLEAN, None, None, ""
    if status == "FOUND":
        signature = (signature or "").strip()
        if signature.startswith(_LIMIT_SIGNATURE_PREFIX):
            return NOT_SCANNED, None, OVERSIZE, f"clamd limit: {signature}"
        return INFECTED, signature or "unknown", None, ""
    return NOT_SCANNED, None, ERROR, f"clamd replied {text[:200]!r}"


def _verdict_of_text(client: _DeadlineClient, text: str) -> tuple:
    """The verdict of a reply line read outside ``instream`` (clamd's own parsing)."""
    if text == _SIZE_LIMIT_REPLY or "size limit exceeded" in text.lower():
        return NOT_SCANNED, None, OVERSIZE, f"clamd: {text}"
    try:
        _path, signature, status = client._parse_response(text)
    except clamd.ResponseError:
        return NOT_SCANNED, None, ERROR, f"clamd replied {text[:200]!r}"
    return _verdict(status, signature, text)


def _instream(config: ScannerConfig, chunks, hasher) -> tuple:
    """Stream *chunks* to clamd; return ``(status, signature, reason, detail)``."""
    client = _client(config)
    try:
        reply = client.instream(_ChunkReader(chunks, hasher))
    except _ConnectTimeout:
        return NOT_SCANNED, None, TIMEOUT, "connect timed out"
    except _Timeout:
        return NOT_SCANNED, None, TIMEOUT, f"no verdict within {config.timeout:.1f}s"
    except clamd.BufferTooLongError as exc:
        return NOT_SCANNED, None, OVERSIZE, f"clamd: {exc}"
    except clamd.ConnectionError as exc:  # only raised while connecting (replies are ours)
        return NOT_SCANNED, None, UNREACHABLE, str(exc)
    except clamd.ResponseError:
        return NOT_SCANNED, None, ERROR, f"clamd replied {client.last_reply[:200]!r}"
    except OSError as exc:
        # clamd resets the connection when a stream exceeds its
        # StreamMaxLength; it may have said why just before.
        detail = f"{type(exc).__name__}: {exc}"
        late = _reply_text(client.late_reply)
        if late:
            status, signature, reason, more = _verdict_of_text(client, late)
            if status == NOT_SCANNED:
                return status, signature, reason, f"{more}; {detail}"
        return NOT_SCANNED, None, ERROR, detail
    if not reply:
        return NOT_SCANNED, None, ERROR, "clamd closed the connection without a verdict"
    ((status, signature),) = reply.values()
    return _verdict(status, signature, client.last_reply)


# --------------------------------------------------------------------------
# Public scanning API


def _result(
    status, filename, size, sha256, signature=None, reason=None, detail="", started=0.0
):
    return ScanResult(
        status=status,
        filename=filename,
        size=size,
        sha256=sha256,
        signature=signature,
        reason=reason,
        detail=detail,
        duration=time.monotonic() - started if started else 0.0,
    )


def _chunks_of(view: memoryview, size: int):
    for start in range(0, len(view), size):
        yield view[start : start + size].tobytes()


def _not_sent(config: ScannerConfig, filename: str, size: int, sha256, started: float):
    """The result when nothing may go to clamd (scanning disabled, larger than the limit), else None."""
    if not config.enabled:
        return _result(NOT_SCANNED, filename, size, sha256, reason=DISABLED,
                       detail="scanning disabled", started=started)
    if size > config.max_stream_size:
        return _result(NOT_SCANNED, filename, size, sha256, reason=OVERSIZE,
                       detail=f"{size} bytes > max_stream_size {config.max_stream_size}", started=started)
    return None


def _scan_chunks(config: ScannerConfig, chunks, hasher, filename: str) -> tuple:
    """:func:`_instream`, with every unexpected failure turned into a ``not_scanned`` outcome."""
    try:
        return _instream(config, chunks, hasher)
    except _Oversize:
        # The object grew while being read: never send past the limit.
        return NOT_SCANNED, None, OVERSIZE, "stream grew beyond max_stream_size"
    except Exception as exc:
        logger.exception("antivirus: unexpected error scanning %r", filename)
        return NOT_SCANNED, None, ERROR, repr(exc)


def scan_bytes(data: bytes, filename: str, config: ScannerConfig) -> ScanResult:
    """Scan *data* (the whole file content) with clamd.

    Never raises for scanner problems: they come back as ``not_scanned``
    results.  Oversize content is refused before clamd is contacted.
    """
    started = time.monotonic()
    view = memoryview(data).cast("B")
    size = len(view)
    sha256 = hashlib.sha256(view).hexdigest()
    refused = _not_sent(config, filename, size, sha256, started)
    if refused is not None:
        return refused
    status, signature, reason, detail = _scan_chunks(
        config, _chunks_of(view, config.chunk_size), _NoHash(), filename)
    return _result(status, filename, size, sha256, signature, reason, detail, started)


def _stream_size(fileobj: BinaryIO) -> int | None:
    """Bytes left from the current position, or None when not seekable."""
    try:
        if hasattr(fileobj, "seekable") and not fileobj.seekable():
            return None
        pos = fileobj.tell()
        end = fileobj.seek(0, os.SEEK_END)
        fileobj.seek(pos)
        return end - pos
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def scan_stream(
    fileobj: BinaryIO,
    filename: str,
    config: ScannerConfig,
    size: int | None = None,
) -> ScanResult:
    """Scan a binary file object from its current position to its end.

    A seekable object is put back at its starting position afterwards, so
    the caller can store it.  A non-seekable one is first spooled (up to
    ``max_stream_size + 1`` bytes) so that oversize is always detected
    before clamd is contacted.  *size* may be given when known.
    """
    started = time.monotonic()
    if size is None:
        size = _stream_size(fileobj)
    if size is None:
        # Not seekable: spool at most one byte more than the limit.
        with tempfile.SpooledTemporaryFile(max_size=8 * MB) as spool:
            remaining = config.max_stream_size + 1
            while remaining > 0:
                chunk = fileobj.read(min(config.chunk_size, remaining))
                if not chunk:
                    break
                spool.write(chunk)
                remaining -= len(chunk)
            spooled = spool.tell()
            spool.seek(0)
            return _scan_sized(spool, spooled, filename, config, started)
    try:
        start_pos = fileobj.tell()
    except (OSError, AttributeError, ValueError):
        start_pos = None
    try:
        return _scan_sized(fileobj, size, filename, config, started)
    finally:
        if start_pos is not None:
            try:
                fileobj.seek(start_pos)
            except (OSError, ValueError):
                pass


def _scan_sized(
    source, size: int, filename: str, config: ScannerConfig, started: float
):
    """Scan *source* whose remaining length is *size* (checked before sending)."""
    refused = _not_sent(config, filename, size, None, started)
    if refused is not None:
        return refused
    hasher = hashlib.sha256()
    counted = [0]

    def chunks():
        while True:
            chunk = source.read(config.chunk_size)
            if not chunk:
                return
            counted[0] += len(chunk)
            if counted[0] > config.max_stream_size:
                raise _Oversize()
            yield bytes(chunk)

    status, signature, reason, detail = _scan_chunks(config, chunks(), hasher, filename)
    complete = status != NOT_SCANNED or (counted[0] == size and reason != OVERSIZE)
    return _result(
        status,
        filename,
        max(counted[0], size),
        hasher.hexdigest() if complete else None,
        signature,
        reason,
        detail,
        started,
    )


class _NoHash:
    """Stand-in hasher for :func:`scan_bytes`, which hashes the whole buffer."""

    def update(self, data: bytes) -> None:
        """Ignore *data*."""


class _Oversize(Exception):
    """A stream delivered more bytes than announced/allowed."""


Scannable = bytes | bytearray | memoryview | BinaryIO


def scan(data: Scannable, filename: str, config: ScannerConfig) -> ScanResult:
    """Scan bytes-like *data* or a binary file object."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return scan_bytes(data, filename, config)
    return scan_stream(data, filename, config)


def check_upload(
    data: Scannable,
    filename: str,
    config: ScannerConfig,
    log: logging.Logger | None = None,
) -> ScanResult:
    """Apply the upload policy to one file; raise when it must be refused.

    * infected -> :class:`VirusFound` (always, also in degraded mode);
    * not scanned -> :class:`ScanFailed` (fail closed), except that in
      degraded mode a scanner failure (unreachable, timeout, error) and a
      disabled scanner return the ``not_scanned`` result, logged as a
      warning: the caller must record it, it is *not* a clean file;
    * oversize is refused in every mode;
    * clean -> the ``clean`` result.
    """
    log = log or logger
    result = scan(data, filename, config)
    if result.infected:
        log.warning(result.log_line())
        raise VirusFound(result)
    if result.clean:
        log.info(result.log_line())
        return result
    if result.reason == DISABLED or (
        config.degraded and result.reason in DEGRADABLE_REASONS
    ):
        log.warning(
            "%s (accepted WITHOUT scan: %s)",
            result.log_line(),
            "scanning disabled" if result.reason == DISABLED else "degraded mode",
        )
        return result
    log.error(result.log_line())
    raise ScanFailed(result, max_size=config.max_stream_size)


# --------------------------------------------------------------------------
# Health checks


@dataclass(frozen=True)
class ClamdVersion:
    """Parsed ``VERSION`` reply, e.g. ``ClamAV 1.4.6/27830/Tue Nov 24 09:35:47 2026``.

    ``db_version``/``db_date`` are None when clamd runs with a custom
    database only (it then answers just ``ClamAV 1.4.6``).
    """

    raw: str
    engine: str
    db_version: int | None = None
    db_date: datetime | None = None


def parse_version(text: str) -> ClamdVersion:
    """Parse clamd's ``VERSION`` reply (raises ValueError when malformed)."""
    raw = text.strip().rstrip("\0")
    parts = raw.split("/")
    head = parts[0].strip()
    if not head.startswith("ClamAV "):
        raise ValueError(f"not a clamd VERSION reply: {raw!r}")
    engine = head[len("ClamAV ") :].strip()
    db_version = db_date = None
    if len(parts) >= 2 and parts[1].strip().isdigit():
        db_version = int(parts[1].strip())
    if len(parts) >= 3:
        try:
            stamp = " ".join(parts[2].split())
            # clamd prints the DB build time in its host's local time.
            db_date = datetime.strptime(stamp, "%a %b %d %H:%M:%S %Y").astimezone()
        except ValueError:
            db_date = None
    return ClamdVersion(raw=raw, engine=engine, db_version=db_version, db_date=db_date)


def ping(config: ScannerConfig, timeout: float | None = None) -> bool:
    """True when clamd answers ``PONG`` (never raises)."""
    try:
        return _client(config, timeout or config.connect_timeout).ping() == "PONG"
    except (clamd.ClamdError, OSError, _Timeout):
        return False


def version(config: ScannerConfig, timeout: float | None = None) -> ClamdVersion | None:
    """clamd's engine version and signature DB version/date; None if unreachable."""
    try:
        return parse_version(_client(config, timeout or config.connect_timeout).version())
    except (clamd.ClamdError, OSError, _Timeout, ValueError):
        return None


def eicar_bytes() -> bytes:
    """The 68-byte EICAR antivirus test string, built in memory.

    It is assembled from pieces so that this source file does not itself
    match the EICAR signature.
    """
    pieces = [
        "X5O!P%@AP",
        "[4\\PZX54(P^)7CC)7}$",
        "EICAR-STANDARD-",
        "ANTIVIRUS-TEST-FILE!",
        "$H+H*",
    ]
    return "".join(pieces).encode("ascii")
