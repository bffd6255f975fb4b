"""The add-on's own state of an object, as JSON, and back.

collective.exportimport serializes the schema fields through plone.restapi;
what the add-on keeps *beside* the schema is not seen by it: the trail
(``qlvb_trail``), assignments, delivery and exchange records, dossier items
and log, register counters (``_qlvb_register_counters`` on the agency), the
signing history and verification reports (annotations ``dongthap.qlvb.*``),
read-only system fields (numbers, register dates) that a deserializer refuses
to set. :func:`dump` reads all of it — the attributes whose name starts with
``qlvb_`` or ``_qlvb_``, the values of every schema field (raw, so files stay
byte-identical), and the annotations whose key starts with ``dongthap.qlvb`` —
into a JSON-safe tree with type tags; :func:`load` puts it back.

Tags (a one-key dict): ``~b`` bytes (base64), ``~t`` tuple, ``~l`` list,
``~pl`` PersistentList, ``~s`` set, ``~fs`` frozenset, ``~d`` dict,
``~pm`` PersistentMapping, ``~oo`` OOBTree (items as pairs: keys may be
tuples), ``~dt`` datetime, ``~date`` date, ``~DT`` Zope DateTime (microseconds, zone), ``~f``
a plone.namedfile file, ``~obj`` any other persistent object (its class and
its ``__getstate__``), ``~dec`` Decimal.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

import base64
import datetime as dt
import decimal
import importlib

PREFIXES = ("qlvb_", "_qlvb_")
ANNOTATION_PREFIX = "dongthap.qlvb"
#: Attributes never copied: volatile, or kept by Plone/collective.exportimport themselves, or
#: the site's record of the imports done into it (``checkpoint``: not part of what is exported).
SKIP = frozenset({"_qlvb_demo_seeded", "_qlvb_import_progress"})
#: Classes of persistent objects :func:`load` may rebuild (module prefixes).
TRUSTED_MODULES = ("dongthap.qlvb.", "persistent.", "BTrees.", "plone.namedfile.")


class StateError(ValueError):
    """A value of the state cannot be written or read."""


def _file_classes():
    from plone.namedfile import file as nf

    return {cls.__name__: cls for cls in (nf.NamedBlobFile, nf.NamedBlobImage, nf.NamedFile,
                                          nf.NamedImage)}


def encode(value):  # noqa: C901 - one branch per type
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, bytes):
        return {"~b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, PersistentList):
        return {"~pl": [encode(v) for v in value]}
    if isinstance(value, tuple):
        return {"~t": [encode(v) for v in value]}
    if isinstance(value, list):
        return {"~l": [encode(v) for v in value]}
    if isinstance(value, frozenset):
        return {"~fs": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, set):
        return {"~s": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, PersistentMapping):
        return {"~pm": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dict):
        return {"~d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, OOBTree):
        return {"~oo": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, dt.datetime):
        return {"~dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"~date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"~dec": str(value)}
    from DateTime import DateTime

    if isinstance(value, DateTime):
        return {"~DT": [value.micros(), value.timezone()]}
    cls = type(value)
    if cls.__name__ in _file_classes() and cls.__module__.startswith("plone.namedfile"):
        extra = {k: encode(v) for k, v in value.__dict__.items() if k.startswith(PREFIXES)}
        return {"~f": {"cls": cls.__name__, "data": base64.b64encode(bytes(value.data)).decode("ascii"),
                       "filename": value.filename, "contentType": value.contentType,
                       "extra": extra}}
    if isinstance(value, Persistent) and cls.__module__.startswith(TRUSTED_MODULES):
        return {"~obj": f"{cls.__module__}:{cls.__qualname__}", "state": encode(value.__getstate__())}
    raise StateError(f"cannot export a value of type {cls.__module__}.{cls.__qualname__}")


def decode(value):  # noqa: C901
    if not isinstance(value, dict):
        return value
    if len(value) == 2 and "~obj" in value:
        module, _sep, name = value["~obj"].partition(":")
        if not module.startswith(TRUSTED_MODULES):
            raise StateError(f"refused class {value['~obj']}")
        cls = getattr(importlib.import_module(module), name)
        obj = cls.__new__(cls)
        obj.__setstate__(decode(value["state"]))
        return obj
    if len(value) != 1:
        raise StateError("untagged mapping")
    (tag, body), = value.items()
    if tag == "~b":
        return base64.b64decode(body)
    if tag == "~pl":
        return PersistentList(decode(v) for v in body)
    if tag == "~t":
        return tuple(decode(v) for v in body)
    if tag == "~l":
        return [decode(v) for v in body]
    if tag == "~s":
        return {decode(v) for v in body}
    if tag == "~fs":
        return frozenset(decode(v) for v in body)
    if tag == "~pm":
        return PersistentMapping((decode(k), decode(v)) for k, v in body)
    if tag == "~d":
        return {decode(k): decode(v) for k, v in body}
    if tag == "~oo":
        tree = OOBTree()
        for k, v in body:
            tree[decode(k)] = decode(v)
        return tree
    if tag == "~dt":
        return dt.datetime.fromisoformat(body)
    if tag == "~date":
        return dt.date.fromisoformat(body)
    if tag == "~dec":
        return decimal.Decimal(body)
    if tag == "~DT":
        from DateTime import DateTime

        if isinstance(body, list):
            return DateTime(body[0] / 1e6, body[1])
        return DateTime(body)
    if tag == "~f":
        cls = _file_classes()[body["cls"]]
        value = cls(data=base64.b64decode(body["data"]), contentType=body["contentType"],
                    filename=body["filename"])
        for k, v in body.get("extra", {}).items():
            setattr(value, k, decode(v))
        return value
    raise StateError(f"unknown tag {tag}")


def schema_names(obj):
    """The names of every schema field of a dexterity object (behaviors included)."""
    try:
        from plone.dexterity.utils import iterSchemata
    except ImportError:  # pragma: no cover
        return []
    names = []
    try:
        for schema in iterSchemata(obj):
            names.extend(schema.names())
    except Exception:
        return []
    return names


def dump(obj):
    """``{"attributes": {...}, "annotations": {...}}`` of ``obj`` (its own state only)."""
    from Acquisition import aq_base

    base = aq_base(obj)
    own = base.__dict__
    names = {k for k in own if k.startswith(PREFIXES) and k not in SKIP}
    names.update(n for n in schema_names(obj) if n in own)
    attributes = {name: encode(own[name]) for name in sorted(names)}
    annotations = {}
    store = own.get("__annotations__")
    if store is not None:
        for key in sorted(k for k in store.keys() if isinstance(k, str) and k.startswith(ANNOTATION_PREFIX)):
            annotations[key] = encode(store[key])
    return {"attributes": attributes, "annotations": annotations}


def load(obj, state):
    """Put the state written by :func:`dump` on ``obj`` (replacing what is there)."""
    from Acquisition import aq_base
    from zope.annotation.interfaces import IAnnotations

    base = aq_base(obj)
    for name, value in state.get("attributes", {}).items():
        setattr(base, name, decode(value))
    annotations = state.get("annotations") or {}
    if annotations:
        store = IAnnotations(obj)
        for key, value in annotations.items():
            store[key] = decode(value)
