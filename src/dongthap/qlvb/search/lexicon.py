"""The Vietnamese text indexes: one ZCTextIndex lexicon whose pipeline is our normaliser.

Plone's ``plone_lexicon`` ("Unicode Whitespace splitter" + "Unicode Ignoring Accents Case
Normalizer") leaves the diacritics of a word's first letter when it lies in U+1E00–U+1EFF
(Ủ, Ứ, Ở, Ấ…), and keeps old and new tone placements apart: "uy ban", "Uỷ ban" and "UY BAN"
found nothing where "Ủy ban" found the documents.  The pipeline element registered here,
"Vietnamese folding splitter (dongthap.qlvb)", splits *and* normalises with
:func:`dongthap.qlvb.utils.text.search_words` (every diacritic of every letter, đ → d, case,
numbers without leading zeros), at indexing and at query time alike, so a query typed with or
without diacritics finds both; ZCTextIndex's own query parser keeps phrases in quotes, AND/OR/NOT
and globs (``uy*``).

:data:`LEXICON_ID` holds that pipeline; :func:`install` makes the catalog's text indexes
(:data:`TEXT_INDEXES`) use it — re-created and re-filled when they used another lexicon — for
a fresh install (``setuphandlers.post_install``) and the 1006 upgrade alike.
"""

from dongthap.qlvb.utils.text import search_words
from Products.ZCTextIndex.interfaces import ISplitter
from Products.ZCTextIndex.PipelineFactory import element_factory
from zope.interface import implementer

import logging

logger = logging.getLogger("dongthap.qlvb.search")

LEXICON_ID = "qlvb_lexicon"
SPLITTER_GROUP = "Word Splitter"
SPLITTER_NAME = "Vietnamese folding splitter (dongthap.qlvb)"
#: The ZCTextIndexes of the catalog that use :data:`LEXICON_ID` (Plone's names kept).
TEXT_INDEXES = ("SearchableText", "Title", "Description")


def _texts(lst):
    for item in lst:
        yield item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)


@implementer(ISplitter)
class VietnameseSplitter:
    """Splits and folds in one element (a lexicon needs no other).

    Elements of one class are equal: GenericSetup's lexicon import empties a lexicon whose
    pipeline is not equal to the profile's, which would orphan every word of the indexes."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self).__name__)

    def process(self, lst):
        """Indexing (and exact words of a query): folded words, no glob characters."""
        return [w for text in _texts(lst) for w in search_words(text)]

    def processGlob(self, lst):
        """Query parsing: folded words with their ``*``/``?``."""
        return [w for text in _texts(lst) for w in search_words(text, glob=True)]

    def process_post_glob(self, lst):
        """Looking the words of a query up: folded, glob characters gone."""
        return [w.replace("*", "").replace("?", "") for w in self.processGlob(lst)]


try:
    element_factory.registerFactory(SPLITTER_GROUP, SPLITTER_NAME, VietnameseSplitter)
except ValueError:  # registered already (module reloaded)
    pass


def ensure_lexicon(catalog):
    """The lexicon :data:`LEXICON_ID` in ``catalog`` (created when missing)."""
    from Products.ZCTextIndex.ZCTextIndex import PLexicon

    if LEXICON_ID not in catalog.objectIds():
        lexicon = PLexicon(LEXICON_ID, "Vietnamese lexicon (dongthap.qlvb)", VietnameseSplitter())
        catalog._setObject(LEXICON_ID, lexicon)
    return catalog[LEXICON_ID]


def uses_our_lexicon(catalog, name):
    index = catalog._catalog.indexes.get(name)
    return index is not None and index.meta_type == "ZCTextIndex" and \
        getattr(index, "lexicon_id", None) == LEXICON_ID


def install(catalog, reindex=True):
    """The text indexes use :data:`LEXICON_ID`; returns the names re-created (and re-filled
    with every object of the catalog when ``reindex``)."""
    ensure_lexicon(catalog)
    changed = []
    for name in TEXT_INDEXES:
        if uses_our_lexicon(catalog, name):
            continue
        if name in catalog.indexes():
            catalog.delIndex(name)
        extra = type("Extra", (), {})()
        extra.doc_attr = name
        extra.index_type = "Okapi BM25 Rank"
        extra.lexicon_id = LEXICON_ID
        catalog.addIndex(name, "ZCTextIndex", extra)
        changed.append(name)
    if changed and reindex:
        _refill(catalog, changed)
    logger.info("Vietnamese text indexes: %s re-created", changed or "none")
    return changed


def every_brain(catalog):
    """Every object the catalog holds, by an explicit query on the site's path: an empty query
    is not a dependable "everything" (it answered no result at all in the 1005 → 1006 upgrade)."""
    from plone import api

    return catalog.unrestrictedSearchResults(path="/".join(api.portal.get().getPhysicalPath()))


def _refill(catalog, names):
    count = 0
    for brain in every_brain(catalog):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        catalog.catalog_object(obj, brain.getPath(), idxs=list(names), update_metadata=False)
        count += 1
    logger.info("Vietnamese text indexes: %d objects re-indexed", count)
