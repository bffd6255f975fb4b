"""Views and services that take more path segments: ``@service/<segment>[/<segment>…]``.

Mix one of these in before the base class: ``class MyGet(PathSegments, Service)``.
"""

from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class PathSegments:
    """Mixin: the view or service answers for every path segment after its name, collected in
    order in ``self.segments`` (a tuple; ``()`` when there is none):
    ``GET …/@tasks/<id>/edit`` → ``self.segments == ("<id>", "edit")``.

    Nothing is checked here: ``reply``/``__call__`` refuses (404) the segments it does not know.
    """

    segments = ()

    def publishTraverse(self, request, name):
        self.segments = (*self.segments, name)
        return self


class OneSegment(PathSegments):
    """Mixin: the first path segment after the view or service is ``self.segment`` (None when
    there is none); further segments are ignored."""

    @property
    def segment(self):
        return self.segments[0] if self.segments else None
