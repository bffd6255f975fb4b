"""Concatenate PDFs into one, written out as it goes (one source in memory at a time).

pyHanko's writers (our PDF library, already pinned) keep every object of the
output in memory until the end; a dossier of 1,000 documents would then be
held whole.  :class:`PdfConcatenator` instead copies the pages of each source
PDF straight to the output stream: it reads a source with pyHanko's reader,
renumbers the objects its pages need (contents, resources, fonts, images,
annotations with their appearance streams), writes them at once, and keeps
only object offsets and page numbers.  The page tree, the outline (one
bookmark per document), the page labels and the cross-reference table are
written by :meth:`PdfConcatenator.finish`.  The output never needs seeking, so
it can go straight into a ZIP member.

Page order is free: pages can be written in any order and arranged in
:meth:`finish` (the package writes the documents first, then the cover and the
table of contents that need their page numbers, and puts those in front).

Not copied: the document catalogue of a source (forms, structure tree,
JavaScript, embedded files, its own outline), the ``/Parent`` of a widget
(so signature fields become plain annotations: the signed originals stay in the
package as files, this PDF is the reading copy).  Encrypted or unreadable
sources raise :class:`PdfSourceError` and leave nothing referenced in the output.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

logger = logging.getLogger("dongthap.qlvb.archive")

MAX_PAGES = 100000
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
DROP_PAGE_KEYS = frozenset({"/Parent", "/B", "/StructParents", "/Thumb", "/PieceInfo"})
A4 = (0, 0, 595.28, 841.89)
CATALOG_ID = 1
PAGES_ID = 2


class PdfSourceError(Exception):
    """A source PDF could not be copied (encrypted, damaged, no pages)."""


class _CountingWriter:
    def __init__(self, out):
        self._out = out
        self.position = 0

    def write(self, data) -> int:
        self._out.write(data)
        self.position += len(data)
        return len(data)


def _ref(idnum: int) -> generic.IndirectObject:
    return generic.IndirectObject(idnum, 0, None)


class PdfConcatenator:
    """Streaming PDF writer: :meth:`add_pdf` each source, then :meth:`finish`."""

    def __init__(self, out):
        self._out = _CountingWriter(out)
        self._offsets: dict[int, int] = {}
        self._next_id = PAGES_ID + 1
        self._out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.page_count = 0

    # -- objects ----------------------------------------------------------
    def _allocate(self) -> int:
        idnum = self._next_id
        self._next_id += 1
        return idnum

    def _write_object(self, idnum: int, obj: generic.PdfObject) -> None:
        # serialised in memory first: pyHanko writes token by token, and every small write
        # would go through the hashing and ZIP layers below
        buf = io.BytesIO()
        buf.write(b"%d 0 obj\n" % idnum)
        obj.write_to_stream(buf, None)
        buf.write(b"\nendobj\n")
        self._offsets[idnum] = self._out.position
        self._out.write(buf.getvalue())

    def write_new_object(self, obj: generic.PdfObject) -> int:
        """Write *obj* (with no references into a source) as a new object; its number."""
        idnum = self._allocate()
        self._write_object(idnum, obj)
        return idnum

    # -- sources ----------------------------------------------------------
    def add_pdf(self, stream) -> list[int]:
        """Copy every page of the PDF in *stream* (seekable); the new page object numbers."""
        try:
            reader = PdfFileReader(stream, strict=False)
            if reader.encrypted:
                raise PdfSourceError("the PDF is encrypted")
            pages = _leaf_pages(reader)
        except PdfSourceError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure means "unreadable"
            raise PdfSourceError(f"unreadable PDF ({type(exc).__name__})") from None
        if not pages:
            raise PdfSourceError("the PDF has no pages")
        try:
            return self._copy_pages(reader, pages)
        finally:
            # the reader's objects form reference cycles: empty its cache so that large
            # streams are freed now, not at the next garbage collection
            reader.resolved_objects.clear()

    def _copy_pages(self, reader, pages) -> list[int]:
        copier = _Copier(self, reader)
        for ref, _page, _inherited in pages:
            copier.mapping[(ref.idnum, ref.generation)] = self._allocate()
        for node in _page_tree_nodes(reader):
            copier.mapping[node] = PAGES_ID
        try:
            for ref, page, inherited in pages:
                new = generic.DictionaryObject()
                for key in page:
                    if key not in DROP_PAGE_KEYS:
                        new[generic.NameObject(key)] = copier.remap(page.raw_get(key))
                for key, value in inherited.items():
                    if key not in new:
                        new[generic.NameObject(key)] = copier.remap(value)
                if "/MediaBox" not in new:
                    new[generic.NameObject("/MediaBox")] = generic.ArrayObject(
                        generic.FloatObject(v) for v in A4
                    )
                new[generic.NameObject("/Type")] = generic.NameObject("/Page")
                new[generic.NameObject("/Parent")] = _ref(PAGES_ID)
                self._write_object(copier.mapping[(ref.idnum, ref.generation)], new)
                copier.drain()
        except Exception as exc:  # noqa: BLE001
            copier.abandon()
            raise PdfSourceError(f"damaged PDF ({type(exc).__name__})") from None
        new_ids = [copier.mapping[(ref.idnum, ref.generation)] for ref, _p, _i in pages]
        self.page_count += len(new_ids)
        return new_ids

    # -- end ----------------------------------------------------------------
    def finish(
        self,
        page_order: Iterable[int],
        *,
        outline: Iterable[tuple[str, int]] = (),
        page_labels: Iterable[tuple[int, str, int]] = (),
        title: str = "",
        author: str = "",
        lang: str = "vi-VN",
    ) -> None:
        """Write the page tree, catalogue, outline, info and cross-reference table.

        *outline*: ``(title, page_id)`` bookmarks, in order; *page_labels*:
        ``(page_index, style, first_number)`` with style ``"D"`` (1, 2…) or
        ``"r"`` (i, ii…).
        """
        kids = [_ref(i) for i in page_order]
        pages = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Pages"),
                generic.NameObject("/Kids"): generic.ArrayObject(kids),
                generic.NameObject("/Count"): generic.NumberObject(len(kids)),
            }
        )
        self._write_object(PAGES_ID, pages)
        catalog = generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Catalog"),
                generic.NameObject("/Pages"): _ref(PAGES_ID),
                generic.NameObject("/Lang"): generic.TextStringObject(lang),
            }
        )
        labels = list(page_labels)
        if labels:
            nums = generic.ArrayObject()
            for index, style, first in labels:
                nums.append(generic.NumberObject(index))
                nums.append(
                    generic.DictionaryObject(
                        {
                            generic.NameObject("/S"): generic.NameObject("/" + style),
                            generic.NameObject("/St"): generic.NumberObject(first),
                        }
                    )
                )
            catalog[generic.NameObject("/PageLabels")] = generic.DictionaryObject(
                {generic.NameObject("/Nums"): nums}
            )
        marks = list(outline)
        if marks:
            catalog[generic.NameObject("/Outlines")] = _ref(self._write_outline(marks))
            catalog[generic.NameObject("/PageMode")] = generic.NameObject("/UseOutlines")
        self._write_object(CATALOG_ID, catalog)
        info = generic.DictionaryObject(
            {
                generic.NameObject("/Producer"): generic.TextStringObject("dongthap.qlvb"),
            }
        )
        if title:
            info[generic.NameObject("/Title")] = generic.TextStringObject(title)
        if author:
            info[generic.NameObject("/Author")] = generic.TextStringObject(author)
        info_id = self.write_new_object(info)

        size = self._next_id
        xref_at = self._out.position
        self._out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for idnum in range(1, size):
            offset = self._offsets.get(idnum)
            if offset is None:  # allocated but never written (cannot happen; stay valid anyway)
                self._out.write(b"0000000000 65535 f \n")
            else:
                self._out.write(b"%010d 00000 n \n" % offset)
        trailer = generic.DictionaryObject(
            {
                generic.NameObject("/Size"): generic.NumberObject(size),
                generic.NameObject("/Root"): _ref(CATALOG_ID),
                generic.NameObject("/Info"): _ref(info_id),
            }
        )
        self._out.write(b"trailer\n")
        trailer.write_to_stream(self._out, None)
        self._out.write(b"\nstartxref\n%d\n%%%%EOF\n" % xref_at)

    def _write_outline(self, marks: list[tuple[str, int]]) -> int:
        root = self._allocate()
        ids = [self._allocate() for _ in marks]
        for n, ((title, page_id), idnum) in enumerate(zip(marks, ids, strict=True)):
            item = generic.DictionaryObject(
                {
                    generic.NameObject("/Title"): generic.TextStringObject(title[:250]),
                    generic.NameObject("/Parent"): _ref(root),
                    generic.NameObject("/Dest"): generic.ArrayObject(
                        [_ref(page_id), generic.NameObject("/Fit")]
                    ),
                }
            )
            if n:
                item[generic.NameObject("/Prev")] = _ref(ids[n - 1])
            if n + 1 < len(ids):
                item[generic.NameObject("/Next")] = _ref(ids[n + 1])
            self._write_object(idnum, item)
        self._write_object(
            root,
            generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/Outlines"),
                    generic.NameObject("/First"): _ref(ids[0]),
                    generic.NameObject("/Last"): _ref(ids[-1]),
                    generic.NameObject("/Count"): generic.NumberObject(len(ids)),
                }
            ),
        )
        return root


class _Copier:
    """Renumbers the objects of one source and writes them to the concatenator."""

    def __init__(self, cat: PdfConcatenator, reader):
        self.cat = cat
        self.reader = reader
        self.mapping: dict[tuple[int, int], int] = {}
        self.queue: list[tuple[generic.IndirectObject, int]] = []

    def remap(self, obj):
        if isinstance(obj, generic.IndirectObject):
            key = (obj.idnum, obj.generation)
            idnum = self.mapping.get(key)
            if idnum is None:
                idnum = self.mapping[key] = self.cat._allocate()
                self.queue.append((obj, idnum))
            return _ref(idnum)
        if isinstance(obj, generic.StreamObject):
            data = generic.DictionaryObject()
            for key in obj:
                if key != "/Length":
                    data[generic.NameObject(key)] = self.remap(obj.raw_get(key))
            return generic.StreamObject(data, encoded_data=obj.encoded_data)
        if isinstance(obj, generic.DictionaryObject):
            widget = obj.raw_get("/Subtype") == "/Widget" if "/Subtype" in obj else False
            return generic.DictionaryObject(
                {
                    generic.NameObject(key): self.remap(obj.raw_get(key))
                    for key in obj
                    if not (widget and key == "/Parent")
                }
            )
        if isinstance(obj, generic.ArrayObject):
            return generic.ArrayObject(self.remap(obj.raw_get(i)) for i in range(len(obj)))
        return obj

    def drain(self) -> None:
        while self.queue:
            ref, idnum = self.queue.pop()
            self.cat._write_object(idnum, self.remap(ref.get_object()))
            # written once, never needed again: let large streams go at once
            self.reader.resolved_objects.pop((ref.generation, ref.idnum), None)

    def abandon(self) -> None:
        """Write ``null`` for every object allocated but not written (keeps the xref whole)."""
        for _source, idnum in self.queue:
            self.cat._write_object(idnum, generic.NullObject())
        self.queue.clear()
        for idnum in self.mapping.values():
            if idnum != PAGES_ID and idnum not in self.cat._offsets:
                self.cat._write_object(idnum, generic.NullObject())


def _page_tree_nodes(reader) -> set[tuple[int, int]]:
    """(idnum, generation) of the intermediate nodes of the page tree (mapped to our root)."""
    nodes = set()
    stack = [reader.root.raw_get("/Pages")]
    while stack:
        ref = stack.pop()
        if not isinstance(ref, generic.IndirectObject):
            continue
        key = (ref.idnum, ref.generation)
        if key in nodes:
            continue
        node = ref.get_object()
        if isinstance(node, generic.DictionaryObject) and "/Kids" in node and node.get("/Type") != "/Page":
            nodes.add(key)
            kids = node["/Kids"]
            stack.extend(kids.raw_get(i) for i in range(len(kids)))
    return nodes


def _leaf_pages(reader) -> list[tuple[generic.IndirectObject, generic.DictionaryObject, dict]]:
    """``(ref, page, inherited attributes)`` of every page, in order; loops and bombs refused."""
    result = []
    seen = set()
    stack = [(reader.root.raw_get("/Pages"), {})]
    while stack:
        ref, inherited = stack.pop()
        if not isinstance(ref, generic.IndirectObject):
            raise PdfSourceError("page tree node is not an indirect object")
        key = (ref.idnum, ref.generation)
        if key in seen:
            continue
        seen.add(key)
        node = ref.get_object()
        if not isinstance(node, generic.DictionaryObject):
            continue
        here = dict(inherited)
        for name in INHERITED:
            if name in node:
                here[name] = node.raw_get(name)
        if "/Kids" in node and node.get("/Type") != "/Page":
            kids = node["/Kids"]
            stack.extend(reversed([(kids.raw_get(i), here) for i in range(len(kids))]))
        else:
            result.append((ref, node, {k: v for k, v in here.items() if k not in node}))
            if len(result) > MAX_PAGES:
                raise PdfSourceError("too many pages")
    return result
