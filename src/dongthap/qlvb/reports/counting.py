"""Counting on the catalog's indexes: sets of record ids (BTrees) and the indexes' reverse maps.

No Plone here: every function takes the ZCatalog's ``Catalog`` (``portal_catalog._catalog``)
or one of its indexes, so the benchmark (bench/bench_reports.py) runs the same code on a
catalog-only set-up. A report is a few hundred intersections of integer sets; it never
loads a document, nor even a brain: a report over many agencies groups the period's record ids by
the reverse maps (one pass), a report over one agency intersects sets.
"""

from BTrees.IIBTree import difference
from BTrees.IIBTree import IISet  # noqa: F401 - used by stats
from BTrees.IIBTree import intersection
from BTrees.IIBTree import multiunion

import datetime

EMPTY = IISet()


def index(catalog, name):
    return catalog.getIndex(name)


def _as_set(value):
    if value is None:
        return EMPTY
    if isinstance(value, int):
        return IISet((value,))
    return value


def exact(catalog, name, value):
    """Record ids whose index ``name`` holds ``value`` (Field or Keyword index)."""
    return _as_set(index(catalog, name)._index.get(value))


def any_of(catalog, name, values):
    return multiunion([exact(catalog, name, v) for v in values])


def between(catalog, name, low=None, high=None):
    """Record ids whose value of ``name`` is within [low, high] (either end may be None)."""
    tree = index(catalog, name)._index
    bounds = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    return multiunion([_as_set(s) for s in tree.values(**bounds)])


def keys(catalog, name, low=None, high=None):
    bounds = {k: v for k, v in (("min", low), ("max", high)) if v is not None}
    return list(index(catalog, name)._index.keys(**bounds))


#: below this size ratio, a set is intersected by looking its members up in the other
LOOKUP_RATIO = 16


def both(a, b):
    """a ∩ b. BTrees' intersection walks both sets; a small set against a large one is
    intersected by looking each of its members up in the large one (log n each) instead."""
    if a is None or b is None:
        return EMPTY
    la, lb = len(a), len(b)
    if not la or not lb:
        return EMPTY
    if la * LOOKUP_RATIO < lb:
        return IISet([r for r in a if r in b])
    if lb * LOOKUP_RATIO < la:
        return IISet([r for r in b if r in a])
    return intersection(a, b) or EMPTY


def minus(a, b):
    return difference(a, b) or EMPTY


def values(catalog, name):
    """The reverse map of index ``name``: record id → its value (a keyword index: the values)."""
    return index(catalog, name)._unindex


def size(s):
    return len(s) if s is not None else 0


def before(day):
    """The last day before ``day`` (range ends are inclusive)."""
    return day - datetime.timedelta(days=1)
