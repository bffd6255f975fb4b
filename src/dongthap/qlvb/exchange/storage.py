"""Where the exchange store lives in a Plone site (an annotation of the site root)."""

from __future__ import annotations

from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.interface import Interface

from .queue import ExchangeStore

ANNOTATION_KEY = "dongthap.qlvb.exchange"


class IExchangedDocument(Interface):
    """Marker: a document received through the exchange (axis, drop folder or import)."""


def get_store(site=None, create=True) -> ExchangeStore | None:
    """The site's :class:`~.queue.ExchangeStore` (created on first use)."""
    site = site if site is not None else api.portal.get()
    annotations = IAnnotations(site)
    store = annotations.get(ANNOTATION_KEY)
    if store is None and create:
        store = annotations[ANNOTATION_KEY] = ExchangeStore()
    return store
