"""Views and services that take one more path segment: ``@service/<segment>``."""

from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class OneSegment:
    """Mixin: the first path segment after the view or service is ``self.segment`` (None when
    there is none); further segments are ignored."""

    segment = None

    def publishTraverse(self, request, name):
        if self.segment is None:
            self.segment = name
        return self
