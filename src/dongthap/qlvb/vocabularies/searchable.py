"""A vocabulary the pickers search the Vietnamese way.

Plone's select widgets ask ``@@getVocabulary?query=…``; a vocabulary with ``search`` answers
with its terms whose title holds every word typed, compared by
:func:`dongthap.qlvb.utils.text.search_words` ("so noi vu" finds "Sở Nội vụ", "uy ban" finds
"UBND… Ủy ban…", "Uỷ" finds "Ủy").
"""

from dongthap.qlvb.utils.text import search_words
from zope.schema.vocabulary import SimpleVocabulary


def matches(query, title):
    """Whether every word of ``query`` starts a word of ``title`` (both folded)."""
    words = search_words(title)
    return all(any(w.startswith(q) for w in words) for q in search_words(query))


class FoldingVocabulary(SimpleVocabulary):
    def search(self, query):
        return [term for term in self if matches(query, term.title or str(term.value))]
