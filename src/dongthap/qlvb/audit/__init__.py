"""The audit trail (issue 19, item 5): who did what, when, from where, on which object.

See ``docs/audit.md``.  :func:`dongthap.qlvb.audit.log.log` queues one record;
records are written off the request path, after the transaction committed,
into an append-only, hash-chained store (PostgreSQL or JSON lines under var/).
"""
