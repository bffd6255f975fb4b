"""Events of dossiers, for the archive and anybody else who follows them.

:class:`DossierTransferred` is notified after a dossier reaches ``transferred``
(whichever path ran the transition): the archive capability makes its documents
``archived`` from it. :class:`DossierDisposed` after ``disposed``.
"""

from zope.interface import Attribute
from zope.interface import implementer
from zope.interface import Interface
from zope.interface.interfaces import IObjectEvent
from zope.interface.interfaces import ObjectEvent


class IDossierTransferred(IObjectEvent):
    """A dossier was transferred to the archive (``object`` is the dossier)."""

    comment = Attribute("The comment of the transition")


class IDossierDisposed(IObjectEvent):
    """A dossier was disposed (``object`` is the dossier)."""

    comment = Attribute("The comment of the transition")


class IDossierClosed(IObjectEvent):
    """A dossier was closed."""


@implementer(IDossierTransferred)
class DossierTransferred(ObjectEvent):
    def __init__(self, obj, comment=""):
        super().__init__(obj)
        self.comment = comment


@implementer(IDossierDisposed)
class DossierDisposed(ObjectEvent):
    def __init__(self, obj, comment=""):
        super().__init__(obj)
        self.comment = comment


@implementer(IDossierClosed)
class DossierClosed(ObjectEvent):
    pass


_EVENTS = {"transferred": DossierTransferred, "disposed": DossierDisposed}


def after_transition(dossier, event):
    """Workflow subscriber: notify our events for the states others follow."""
    from zope.event import notify

    if event.new_state is None:
        return
    new = event.new_state.getId()
    comment = (event.kwargs or {}).get("comment", "") if hasattr(event, "kwargs") else ""
    if new in _EVENTS:
        notify(_EVENTS[new](dossier, comment))
    elif new == "closed":
        notify(DossierClosed(dossier))


__all__ = ["Interface", "IDossierTransferred", "IDossierDisposed", "IDossierClosed",
           "DossierTransferred", "DossierDisposed", "DossierClosed"]
