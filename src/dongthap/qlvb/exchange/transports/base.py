"""The transport interface shared by every way of moving packages.

A transport moves opaque edXML bytes; it never parses them (except where a
drop folder needs nothing more).  ``messagetype`` is ``"edoc"`` for document
packages and ``"status"`` for status packages.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field

MESSAGE_TYPES = frozenset({"edoc", "status"})
ACK_STATUSES = frozenset({"done", "fail", "processing"})


class TransportError(Exception):
    """Moving a package failed (network, HTTP, protocol, file system)."""


class AxisError(TransportError):
    """The peer answered ``status: FAIL``; ``error_code``/``error_desc`` say why."""

    def __init__(self, error_code: str, error_desc: str, operation: str = ""):
        self.error_code = error_code
        self.error_desc = error_desc
        self.operation = operation
        super().__init__(f"{operation or 'axis'} failed: [{error_code}] {error_desc}")


@dataclass
class ReceivedItem:
    """A package waiting in our inbox."""

    doc_id: str
    sender: str = ""
    messagetype: str = "edoc"
    created: str = ""
    status: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class SentItem:
    """A package we sent, with per-recipient delivery status."""

    doc_id: str
    messagetype: str = "edoc"
    created: str = ""
    recipients: dict[str, str] = field(default_factory=dict)
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Agency:
    """An entry of the axis directory."""

    organ_id: str
    name: str = ""
    parent_id: str = ""
    email: str = ""
    raw: dict = field(default_factory=dict, compare=False, repr=False)


def check_messagetype(messagetype: str) -> str:
    """Return ``messagetype`` or raise :class:`ValueError`."""
    if messagetype not in MESSAGE_TYPES:
        raise ValueError(f"messagetype must be one of {sorted(MESSAGE_TYPES)}")
    return messagetype


def check_ack(status: str) -> str:
    """Return ``status`` or raise :class:`ValueError`."""
    if status not in ACK_STATUSES:
        raise ValueError(f"status must be one of {sorted(ACK_STATUSES)}")
    return status


class Transport(abc.ABC):
    """Send and receive edXML packages."""

    @abc.abstractmethod
    def send(self, package: bytes, messagetype: str = "edoc") -> str:
        """Send a package; return the id the transport gave it."""

    @abc.abstractmethod
    def list_received(self) -> list[ReceivedItem]:
        """Packages waiting for us."""

    @abc.abstractmethod
    def get(self, doc_id: str) -> bytes:
        """The edXML bytes of a received package."""

    @abc.abstractmethod
    def update_status(self, doc_id: str, status: str) -> None:
        """Acknowledge a received package: ``done``, ``fail`` or ``processing``."""

    @abc.abstractmethod
    def list_sent(self) -> list[SentItem]:
        """Packages we sent and their delivery status."""

    @abc.abstractmethod
    def agencies(self) -> list[Agency]:
        """The directory of agencies reachable through this transport."""
