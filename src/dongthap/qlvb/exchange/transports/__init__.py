"""Pluggable transports moving edXML packages (pure Python).

* :class:`AxisHttpTransport` — the national axis, JSON over HTTP, HMAC-signed;
* :class:`DirectoryTransport` — drop folders for offline/manual exchange.

Both implement :class:`Transport`: ``send``, ``list_received``, ``get``,
``update_status``, ``list_sent``, ``agencies``.
"""

from .axis_http import AxisHttpTransport
from .base import (
    Agency,
    AxisError,
    ReceivedItem,
    SentItem,
    Transport,
    TransportError,
)
from .directory import DirectoryTransport
from .signing import SigningConfig

__all__ = [
    "Agency", "AxisError", "AxisHttpTransport", "DirectoryTransport", "ReceivedItem",
    "SentItem", "SigningConfig", "Transport", "TransportError",
]
