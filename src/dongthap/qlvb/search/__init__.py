"""Vietnamese search of documents (docs/search.md)."""

from dongthap.qlvb.search import lexicon  # noqa: F401  (registers the pipeline element)
