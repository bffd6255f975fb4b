"""Verify every PDF that enters a document with the ``ISignedDocument`` behavior.

Runs on creation and on every modification (form, REST, internal delivery,
exchange inbox), but only when the file changed since the last
verification; likewise for the separate attachment files (``attachments``),
whose reports are stored by :func:`.api.verify_attachments`.  It never
blocks an upload: any failure is logged and the document keeps (or gets)
``reference``/``unsigned``.
"""

from __future__ import annotations

import logging

from . import api

logger = logging.getLogger("dongthap.qlvb.signing")


def verify_on_change(obj, event):
    try:
        if api.needs_verification(obj):
            api.verify(document=obj)
    except Exception:  # noqa: BLE001 - never block an upload
        logger.exception("verification of %s failed", getattr(obj, "getId", lambda: "?")())
    try:
        if api.needs_attachment_verification(obj):
            api.verify_attachments(document=obj)
    except Exception:  # noqa: BLE001 - never block an upload
        logger.exception("verification of the attachments of %s failed",
                         getattr(obj, "getId", lambda: "?")())
