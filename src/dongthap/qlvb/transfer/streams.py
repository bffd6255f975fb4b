"""Streaming pieces of the export and import: memory does not grow with the site.

* :class:`JsonArrayWriter` writes a JSON array one item a line (``[``, items
  separated by ``,`` at the start of the next line, ``]``): any JSON reader
  (collective.exportimport's ``json.loads`` included) reads it whole, and
  :func:`iter_json_array` reads it back one item at a time.
* :func:`walk` visits the catalogued content below a folder parents first,
  one folder's children at a time (a ``depth=1`` query, no sorting), without
  keeping the catalog brains: a ``LazyMap`` caches every brain it made, so a
  plain loop over a million results keeps a million brains.
* :func:`batched` cuts an iterable into lists; :class:`Batches` too, each list as long as a
  budget still allows (a resumable import stops at a batch boundary).
* :func:`content_files` lists an export's ``content/`` folder in collective.exportimport's order
  and :func:`content_items` reads it from a given position on, without reading what it skips.
"""

from itertools import islice
from pathlib import Path

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


def iter_json_array(path, start=0):
    """The items of a JSON array file, one at a time when it has :class:`JsonArrayWriter`'s layout
    (any other layout — e.g. collective.exportimport's indented files — is read whole); with
    ``start``, from the item at that index on (the lines before it are not parsed)."""
    if start:
        yield from _iter_json_array_from(path, start)
        return
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


def _one_item_a_line(path):
    """Whether the file has :class:`JsonArrayWriter`'s layout (``[``, then one item a line)."""
    with open(path, encoding="utf-8") as src:
        if src.readline().strip() != "[":
            return False
        second = src.readline().strip()
    if second in ("", "]"):
        return True
    try:
        json.loads(second[1:] if second.startswith(",") else second)
    except ValueError:  # an indented array
        return False
    return True


def _item_lines(src):
    src.readline()  # "["
    for line in src:
        line = line.strip()
        if line not in ("", "]"):
            yield line


def _iter_json_array_from(path, start):
    if not _one_item_a_line(path):
        yield from islice(iter_json_array(path), start, None)
        return
    with open(path, encoding="utf-8") as src:
        for line in islice(_item_lines(src), start, None):
            yield json.loads(line[1:] if line.startswith(",") else line)


def count_items(path):
    """How many items a JSON array file holds (in :class:`JsonArrayWriter`'s layout, its lines)."""
    with open(path, encoding="utf-8") as src:
        if _one_item_a_line(path):
            return sum(1 for _line in _item_lines(src))
        return len(json.load(src))


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


class Batches:
    """Lists taken from ``items``, each as long as ``size()`` says when it starts; with ``key``, a
    list goes on past that while ``key`` does not change. Stops when ``size()`` is 0 (a spent
    budget); ``complete`` then tells whether ``items`` had no more (it looks one item ahead)."""

    def __init__(self, items, size, key=None):
        self._items = iter(items)
        self._size = size
        self._key = key
        self.complete = False

    def __iter__(self):
        ahead = []
        while True:
            size = self._size()
            if size <= 0:
                if not ahead and next(self._items, _END) is _END:
                    self.complete = True
                return
            batch = ahead + list(islice(self._items, max(size - len(ahead), 0)))
            ahead = []
            if not batch:
                self.complete = True
                return
            if self._key is not None:
                for item in self._items:
                    if self._key(item) != self._key(batch[-1]):
                        ahead = [item]
                        break
                    batch.append(item)
            yield batch
            batch = None  # not kept while the next batch is read: one batch in memory, not two


_END = object()


def content_files(content_dir):
    """The item files of an export's ``content/`` folder, in the order collective.exportimport's
    ``filesystem_walker`` reads them (files of the folder itself, then each numbered folder's,
    numerically); one folder listed at a time."""
    root = Path(content_dir)
    yield from sorted((p for p in root.glob("*.json") if p.stem.isdecimal()), key=lambda p: int(p.stem))
    for folder in sorted((p for p in root.iterdir() if p.is_dir() and p.name.isdecimal()),
                         key=lambda p: int(p.name)):
        yield from sorted((p for p in folder.glob("*.json") if p.stem.isdecimal()), key=lambda p: int(p.stem))


def content_items(content_dir, start=0):
    """The items of ``content_files`` from index ``start`` on, with ``json_file`` as
    ``filesystem_walker`` gives them — one per file, even an empty one (``{"json_file": …}``,
    which the caller drops: positions count files); the files before ``start`` are not read."""
    for path in islice(content_files(content_dir), start, None):
        item = json.loads(path.read_text(encoding="utf-8")) or {}
        item["json_file"] = str(path)
        yield item


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
