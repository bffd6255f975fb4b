"""Notifications (thông báo) and reminders (nhắc việc): the in-app centre, e-mail, the daily job.

``api.py`` is what pages, REST services and other packages call; ``subscribers.py`` turns
document events into notifications; ``mail.py`` queues e-mail after commit and sends it
(retried) from the worker; ``reminders.py`` is the daily job of due-soon and overdue work.
"""
