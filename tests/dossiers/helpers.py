"""Helpers of the dossier tests."""

from dongthap.qlvb.incoming import api as incoming
from plone import api
from tests.incoming.helpers import form_values


def fresh(request):
    """Forget borg.localrole's per-request cache (several users act in one test request)."""
    from zope.annotation.interfaces import IAnnotations

    annotations = IAnnotations(request)
    for key in [k for k in annotations if "borg.localrole" in str(k)]:
        del annotations[key]


def incoming_doc(portal, agency="so-tttt", clerk="stttt.vanthu", register=True, **overrides):
    """An incoming document of ``agency`` (registered unless told), as its clerk."""
    overrides.setdefault("page_amount", "2")
    with api.env.adopt_user(username=clerk):
        values = incoming.clean(form_values(**overrides))
        result = incoming.create(portal[agency], values, register=register)
    return portal.unrestrictedTraverse(result["path"])


def dossier_values(**overrides):
    values = {"title": "Hồ sơ chuyển đổi số năm 2026", "notation": "01.CNTT", "retention": "10"}
    values.update(overrides)
    return values
