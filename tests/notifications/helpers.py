"""Helpers of the notification tests."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from plone import api
from tests.incoming.helpers import form_values

import datetime


def uid(username):
    return api.user.get(username=username).getId()


def create_registered(portal, user="stttt.vanthu", **overrides):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username=user):
        values = incoming.clean(form_values(**overrides))
        result = incoming.create(agency, values, register=True)
    return portal.unrestrictedTraverse(result["path"])


def assign(doc, days=5, lead="stttt.truongphong", department="cntt", fyi=("stttt.luutru",),
           coordinators=()):
    deadline = (incoming.now().date() + datetime.timedelta(days=days)).isoformat()
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {
            "lead": {"user": lead, "department": department, "deadline": deadline},
            "coordinators": [{"user": c, "deadline": deadline} for c in coordinators],
            "fyi": list(fyi), "direction": "Chủ trì tham mưu"})
    return doc
