"""What a data generator run made, read back from the site.

Used by ``test_generator`` (in-process) and by ``tests/instance/generator_check.py`` (the
``zconsole`` script of the RelStorage test with worker processes).
"""

from dongthap.qlvb.demo import generator
from plone import api

import re


def numbers_by_register(portal, agency_paths):
    """``{(agency path, register): [numbers]}`` of the documents of the generated agencies."""
    root = "/".join(portal.getPhysicalPath())
    generated = {f"{root}/{path}" for path in agency_paths}
    by_register = {}
    for attr, portal_type in (("arrival_number", "IncomingDocument"), ("code_number", "OutgoingDocument")):
        for brain in api.content.find(portal_type=portal_type, unrestricted=True):
            doc = brain._unrestrictedGetObject()
            number = getattr(doc, attr, None)
            agency = "/".join(doc.getPhysicalPath()[:3])
            if number and agency in generated:
                series = getattr(doc, "register_series", None) or "incoming"
                by_register.setdefault((agency, series), []).append(int(number))
    return by_register


def gaps(portal, agency_paths):
    """The registers of the generated agencies whose numbers are not exactly 1…n."""
    return {f"{agency} {series}": sorted(numbers)
            for (agency, series), numbers in numbers_by_register(portal, agency_paths).items()
            if sorted(numbers) != list(range(1, len(numbers) + 1))}


def is_incoming(seed, i, agencies):
    """Whether step ``i`` is an incoming document (drawn as ``Generator.document`` does)."""
    rng = generator.step_rng(seed, i)
    generator.pick_agency(rng, agencies)
    return rng.random() < 0.58


def incoming_steps_made(portal):
    """The step of every incoming document the generator registered itself (``XX-G<step>`` notation)."""
    made = []
    for brain in api.content.find(portal_type="IncomingDocument", unrestricted=True):
        found = re.fullmatch(r"[A-Z]{2}-G(\d+)", brain._unrestrictedGetObject().code_notation or "")
        if found:
            made.append(int(found.group(1)))
    return made


def steps_check(portal, steps, agencies):
    """Every step made once, as a dict whose two sides must match (and the lists be empty).

    Incoming steps: the documents the generator registered (one per step, its index in the
    notation) plus the delivered copies registered instead. Outgoing steps: the outgoing
    documents of the generated agencies.
    """
    state = generator.summary(generator.progress(portal))
    made = incoming_steps_made(portal)
    planned = {i for i in range(steps) if is_incoming(state["seed"], i, agencies)}
    root = "/".join(portal.getPhysicalPath())
    outgoing = [b for b in api.content.find(portal_type="OutgoingDocument", unrestricted=True)
                if any(b.getPath().startswith(f"{root}/{path}/") for path in state["agency_paths"])]
    return {"made twice": sorted({i for i in made if made.count(i) > 1}),
            "not incoming steps": sorted(set(made) - planned),
            "incoming": (len(planned), len(made) + state.get("registered_copies", 0)),
            "outgoing": (steps - len(planned), len(outgoing))}


def assert_steps_made_once(portal, steps, agencies):
    check = steps_check(portal, steps, agencies)
    assert check["made twice"] == check["not incoming steps"] == [], check
    (planned_in, made_in), (planned_out, made_out) = check["incoming"], check["outgoing"]
    assert planned_in == made_in and planned_out == made_out, check
