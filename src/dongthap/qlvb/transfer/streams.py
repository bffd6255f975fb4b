"""Streaming pieces of the export and import: memory does not grow with the site.

* :class:`JsonArrayWriter` writes a JSON array one item a line (``[``, items
  separated by ``,`` at the start of the next line, ``]``): any JSON reader
  (collective.exportimport's ``json.loads`` included) reads it whole, and
  :func:`iter_json_array` reads it back one item at a time.
* :func:`walk` visits the catalogued content below a folder parents first,
  one folder's children at a time (a ``depth=1`` query, no sorting), without
  keeping the catalog brains: a ``LazyMap`` caches every brain it made, so a
  plain loop over a million results keeps a million brains.
* :func:`batched` cuts an iterable into lists.
"""

from itertools import islice

import json


class JsonArrayWriter:
    def __init__(self, path):
        self.path = path
        self.count = 0
        self._out = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by close()
        self._out.write("[")

    def add(self, item):
        self._out.write("\n" if not self.count else "\n,")
        self._out.write(json.dumps(item, ensure_ascii=False, sort_keys=True))
        self.count += 1

    def close(self):
        self._out.write("\n]\n")
        self._out.close()
        return self.count

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self._out.closed:
            self.close()


def iter_json_array(path):
    """The items of a JSON array file, one at a time when it has :class:`JsonArrayWriter`'s layout
    (any other layout — e.g. collective.exportimport's indented files — is read whole)."""
    with open(path, encoding="utf-8") as src:
        ours = src.readline().strip() == "["
        second = src.readline().strip()
        if ours and second not in ("", "]"):
            try:
                first_item = json.loads(second)
            except ValueError:  # an indented array: not one item a line
                ours = False
        if not ours:
            src.seek(0)
            yield from json.load(src)
            return
        if second in ("", "]"):
            return
        yield first_item
        for line in src:
            line = line.strip()
            if line in ("", "]"):
                continue
            yield json.loads(line[1:] if line.startswith(",") else line)


def iter_lines(path):
    """JSON Lines: one object a line."""
    with open(path, encoding="utf-8") as src:
        for line in src:
            if line.strip():
                yield json.loads(line)


def batched(iterable, size, key=None):
    """Lists of ``size`` items; with ``key``, a list is cut only where ``key(item)`` changes
    (it may then grow past ``size`` by one run of items sharing a key)."""
    if key is None:
        iterator = iter(iterable)
        while batch := list(islice(iterator, size)):
            yield batch
        return
    batch = []
    for item in iterable:
        if len(batch) >= size and key(item) != key(batch[-1]):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


def _uncached(results):
    """The brains of a catalog result one by one, dropped from the ``LazyMap``'s cache once given."""
    cache = getattr(results, "_data", None)
    for index in range(len(results)):
        brain = results[index]
        if isinstance(cache, dict):
            cache.pop(index, None)
        yield brain


def walk(catalog, root_path):
    """Brains of every catalogued object below ``root_path`` (not itself), parents before children.

    Depth first; what is kept is the stack of folders still to visit (their paths) and the
    integer record ids of one folder's children — never the brains of the whole site.
    """
    stack = [root_path]
    while stack:
        path = stack.pop()
        children = catalog.unrestrictedSearchResults(path={"query": path, "depth": 1})
        folders = []
        for brain in _uncached(children):
            yield brain
            if brain.is_folderish:
                folders.append(brain.getPath())
        stack.extend(reversed(folders))
