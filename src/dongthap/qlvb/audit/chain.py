"""The hash chain of the audit trail, and its verification.

Every record carries ``seq`` (1, 2, 3, … without gaps), ``prev`` (the hash of
the record before it, or of the anchor left by the last purge; 64 zeros at
the very start) and ``hash`` = SHA-256 of ``prev`` followed by the record's
canonical JSON (every field but ``hash``, keys sorted, no blanks, UTF-8).
Changing a record changes its hash; removing or reordering records breaks
the ``seq``/``prev`` sequence; removing the last records is caught by the
head (the store keeps the last ``seq``/``hash`` apart from the records).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

GENESIS = "0" * 64


def canonical(record: dict) -> str:
    """The canonical JSON text of *record* without its ``hash``."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(prev: str, record: dict) -> str:
    return hashlib.sha256((prev + canonical(record)).encode("utf-8")).hexdigest()


def seal(records: list[dict], last_seq: int, last_hash: str) -> tuple[int, str]:
    """Give *records* (in order) their ``seq``, ``prev`` and ``hash``; the new head."""
    for record in records:
        last_seq += 1
        record["seq"] = last_seq
        record["prev"] = last_hash
        record["hash"] = last_hash = digest(last_hash, record)
    return last_seq, last_hash


@dataclass
class Problem:
    seq: int | None
    reason: str

    def __str__(self):
        return f"record {self.seq}: {self.reason}" if self.seq is not None else self.reason


@dataclass
class Verification:
    count: int = 0
    first: int | None = None
    last: int | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"OK: {self.count} records ({self.first}..{self.last}), chain intact"
        return "BROKEN: " + "; ".join(str(p) for p in self.problems[:20])


def verify(records, anchor: tuple[int, str] = (0, GENESIS),
           head: tuple[int, str] | None = None) -> Verification:
    """Check *records* (an iterable of dicts in stored order) against *anchor* and *head*."""
    result = Verification()
    expected_seq, prev = anchor
    expected_seq += 1
    for record in records:
        seq = record.get("seq")
        result.count += 1
        if result.first is None:
            result.first = seq
        result.last = seq
        if seq != expected_seq:
            if isinstance(seq, int) and seq > expected_seq:
                reason = f"records {expected_seq}..{seq - 1} are missing before it"
            else:
                reason = f"out of order (expected record {expected_seq})"
            result.problems.append(Problem(seq, reason))
        if record.get("prev") != prev:
            result.problems.append(Problem(seq, "does not follow the record before it (chain broken)"))
        if digest(record.get("prev") or "", record) != record.get("hash"):
            result.problems.append(Problem(seq, "was changed (its hash does not match its content)"))
        prev = record.get("hash")
        expected_seq = (seq if isinstance(seq, int) else expected_seq) + 1
    if head is not None:
        head_seq, head_hash = head
        if head_seq != expected_seq - 1 or (head_seq > anchor[0] and head_hash != prev):
            result.problems.append(Problem(
                head_seq, f"the last record written was {head_seq}, the log ends at {expected_seq - 1} "
                          "(records removed or added at the end)"))
    return result
