"""Helpers of the copies tests: originals to copy, copies made and issued as the demo staff."""

from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import api as incoming
from plone import api
from tests.incoming.helpers import form_values


def registered_incoming(portal, *, agency="so-tttt", clerk="stttt.vanthu", data=None, source="paper",
                        **overrides):
    """An incoming document registered in ``agency`` (its file ``data``, default two pages)."""
    data = data or make_pdf(["UBND TỈNH ĐỒNG THÁP", "Quyết định"], pages=2)
    values = form_values(source=source, **overrides)
    values["file"] = (data, "goc.pdf")
    with api.env.adopt_user(username=clerk):
        result = incoming.create(portal[agency], incoming.clean(values), register=True)
    return portal.unrestrictedTraverse(result["path"])


def make_copy(portal, original, *, user="stttt.vanthu", agency="so-tttt", **overrides):
    raw = {"original": api.content.get_uuid(original), "copy_form": "sao_y", "copy_medium": "electronic",
           "place": "Đồng Tháp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
           "signing_authority": "none", "recipients": "Sở Nội vụ"}
    raw.update(overrides)
    with api.env.adopt_user(username=user):
        values = copies.clean(portal[agency], raw)
        result = copies.create(portal[agency], values)
    return portal.unrestrictedTraverse(result["path"])


def act(copy, user, transition, comment=""):
    with api.env.adopt_user(username=user):
        return copies.transition(copy, transition, comment)


def issue(copy, signer="stttt.lanhdao", clerk="stttt.vanthu"):
    act(copy, signer, "sign")
    act(copy, clerk, "issue")
    return copy
