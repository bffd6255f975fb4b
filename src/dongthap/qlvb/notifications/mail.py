"""Notification e-mail: queued with the action's transaction, sent after commit by the worker.

``queue`` writes the message into a maildir (``QLVB_MAIL_QUEUE_DIR``) through
``zope.sendmail``'s transactional :class:`QueuedMailDelivery`, the mechanism Plone's
MailHost uses for its own queue: the file is moved into the queue only when the
transaction of the action commits (an aborted action sends nothing), and nothing is
sent inside the action, so a slow or dead SMTP server never delays or breaks it.

``flush`` (each round of the worker, and the tests) hands the queued messages to the
SMTP server configured in Plone's MailHost (``smtp_host``/``smtp_port``, user,
TLS). A message the server does not take (connection refused, 4xx) stays in the queue
and is tried again next round; the failure is logged. A permanent refusal (5xx,
recipients refused) moves it aside (``.rejected-*`` in the maildir), logged.
"""

from __future__ import annotations

import logging
import os
from email.header import Header
from email.policy import compat32
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate

from dongthap.qlvb.notifications import settings
from zope.sendmail.delivery import QueuedMailDelivery
from zope.sendmail.maildir import Maildir
from zope.sendmail.queue import QueueProcessorThread

logger = logging.getLogger("dongthap.qlvb.notifications")


def _sender():
    from plone import api

    address = api.portal.get_registry_record("plone.email_from_address", default="") or "qlvb@localhost"
    name = api.portal.get_registry_record("plone.email_from_name", default="") or ""
    return address, name


def message(to, subject, body):
    """A UTF-8 text message (bytes) with a Vietnamese subject."""
    address, name = _sender()
    msg = MIMEText(body, "plain", "utf-8")
    msg["Subject"] = Header(subject, "utf-8")
    msg["From"] = formataddr((str(Header(name, "utf-8")) if name else "", address))
    msg["To"] = to
    msg["Date"] = formatdate(localtime=True)
    # CRLF line ends: smtplib sends bytes as they are, and SMTP servers read CRLF lines
    return address, msg.as_bytes(policy=compat32.clone(linesep="\r\n"))


def queue(to, subject, body):
    """Queue one message to ``to``; written to the queue when the current transaction commits."""
    sender, data = message(to, subject, body)
    path = settings.queue_dir()
    path.parent.mkdir(parents=True, exist_ok=True)
    QueuedMailDelivery(str(path)).send(sender, [to], data)


class _Processor(QueueProcessorThread):
    """zope.sendmail's queue processor, run one pass at a time (no thread is started).

    After a failed attempt zope.sendmail leaves its ``.sending-`` claim on the message for
    three hours (it takes a recent claim for another process still sending); a claim this
    pass made itself and left behind is a failure, removed so the next round retries.
    """

    log = logger

    def process(self, filename):
        head, tail = os.path.split(filename)
        claim = os.path.join(head, ".sending-" + tail)
        ours = not os.path.exists(claim)
        self._process_one_file(filename)
        if ours and os.path.exists(claim) and os.path.exists(filename):
            try:
                os.unlink(claim)
            except FileNotFoundError:
                pass


def flush(mailhost=None) -> dict:
    """Send what is queued through the MailHost's SMTP server; what fails stays queued."""
    from plone import api

    path = settings.queue_dir()
    if not path.is_dir():
        return {"sent": 0, "pending": 0}
    mailhost = mailhost or api.portal.get_tool("MailHost")
    processor = _Processor()
    processor.setMaildir(Maildir(str(path), True))
    processor.mailer = mailhost._makeMailer()
    before = pending()
    for filename in list(processor.maildir):
        processor.process(filename)
    after = pending()
    if after:
        logger.warning("notification mail: %d message(s) not sent yet, retried next round", after)
    return {"sent": max(0, before - after), "pending": after}


def pending() -> int:
    """Messages waiting in the queue."""
    path = settings.queue_dir()
    if not path.is_dir():
        return 0
    return sum(1 for _ in Maildir(str(path), True))
