"""What the delegation's local-role provider costs at each permission check (same run baseline).

borg.localrole asks every ILocalRoleProvider of an object, for every principal of the user, at
every permission check on a document: :func:`dongthap.qlvb.delegation.api.delegated_roles` runs
on the hot path. Stand-in objects (an agency with annotations, a document inside it), no site:

* baseline — a provider that returns nothing at once (what a check costs without delegation);
* empty — an agency that never had a delegation (the common case);
* busy — an agency holding N delegations, none for the principal asking (a scan of the records).

    .venv/bin/python bench/bench_delegation.py [--calls 200000] [--n 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from Acquisition import Implicit  # noqa: E402
from zope.annotation.attribute import AttributeAnnotations  # noqa: E402
from zope.annotation.interfaces import IAnnotations  # noqa: E402
from zope.annotation.interfaces import IAttributeAnnotatable  # noqa: E402
from zope.component import provideAdapter  # noqa: E402
from zope.interface import implementer  # noqa: E402


def main():
    from dongthap.qlvb.content.agency import IAgency
    from dongthap.qlvb.delegation import api as D

    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    provideAdapter(AttributeAnnotations, (IAttributeAnnotatable,), IAnnotations)

    @implementer(IAgency, IAttributeAnnotatable)
    class Agency(Implicit):
        pass

    Agency.portal_type = "Agency"

    class Doc(Implicit):
        portal_type = "IncomingDocument"

    agency = Agency()
    doc = Doc().__of__(agency)

    def timed(fn):
        start = time.perf_counter()
        for _ in range(args.calls):
            fn(doc, "stttt.chuyenvien")
        return (time.perf_counter() - start) / args.calls * 1e6

    base = timed(lambda d, p: ())
    empty = timed(D.delegated_roles)
    for i in range(args.n):
        D._put(agency, {"id": f"{i:032x}", "delegate": f"user{i}", "delegator": "boss",
                        "start": "2026-01-01", "end": "2026-12-31", "scope": "both", "revoked_at": None})
    busy = timed(D.delegated_roles)
    print(f"calls per case: {args.calls}")
    print(f"baseline (provider returning nothing): {base:.2f} µs/call")
    print(f"empty agency: {empty:.2f} µs/call ({empty - base:+.2f} µs over baseline)")
    print(f"{args.n} delegations, none for the principal: {busy:.2f} µs/call ({busy - base:+.2f} µs)")


if __name__ == "__main__":
    main()
