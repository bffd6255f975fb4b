"""Demo keys for ``make start`` and the demo test fixture (TEST KEYS ONLY).

:func:`install` creates the test PKI in ``<var>/test-pki`` (next to the
key directory), then for every demo agency a seal certificate in
``<keys>/<agency code>/seal.p12`` (+ ``seal.pass``, ``seal.png``) and for
every demo leader (``<prefix>.lanhdao``) a personal certificate in
``<keys>/users/<userid>/person.p12`` (+ ``person.pass``,
``signature.png``), registers the leaders' certificates in their profiles
and trusts the test root.  Idempotent.  The password of every file is
:data:`~.testpki.TEST_PASSWORD`: never use these keys for real documents.
"""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from plone import api

from dongthap.qlvb.signing import settings as cfg
from dongthap.qlvb.signing import usercerts

from .testpki import TEST_PASSWORD, ensure_test_pki, issue_identity

logger = logging.getLogger("dongthap.qlvb.signing")


def _png(kind: str) -> bytes:
    from PIL import Image, ImageDraw

    if kind == "seal":
        img = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.ellipse((6, 6, 294, 294), outline=(210, 0, 0, 255), width=12)
        draw.ellipse((60, 60, 240, 240), outline=(210, 0, 0, 255), width=6)
    else:
        img = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
        draw = ImageDraw.Draw(img)
        draw.line((10, 95, 90, 25, 150, 90, 290, 20), fill=(0, 0, 190, 255), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _install_key(target: Path, stem: str, identity, image: bytes) -> None:
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o700)
    shutil.copyfile(identity.p12, target / f"{stem}.p12")
    (target / f"{stem}.p12").chmod(0o600)
    secret = target / f"{stem}.pass"
    secret.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    secret.chmod(0o600)
    png = target / ("seal.png" if stem == "seal" else "signature.png")
    if not png.exists():
        png.write_bytes(image)


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def install(context=None, pki_dir=None):
    """Create the demo keys, register the leaders' certificates, trust the test root."""
    from dongthap.qlvb.demo.data import AGENCIES, LOGINS
    from dongthap.qlvb.security import roles as R

    keys = cfg.keys_dir()
    pki = ensure_test_pki(Path(pki_dir) if pki_dir else keys.parent / "test-pki")
    root_pem = pki.root.certificate().public_bytes(serialization.Encoding.PEM)
    inter_pem = pki.intermediate.certificate().public_bytes(serialization.Encoding.PEM)
    cfg.add_trusted(root_pem)
    cfg.add_trusted(inter_pem)
    seal_png, sig_png = _png("seal"), _png("signature")
    portal = api.portal.get()
    for path, title, code, _abbr, _level, _depts, prefix in AGENCIES:
        org = title.upper()
        seal = issue_identity(pki, f"seal_{_slug(code)}", common_name=org, organisation=org)
        _install_key(keys / code, "seal", seal, seal_png)
        username = f"{prefix}.{LOGINS[R.LEADER][0]}"
        user = api.user.get(username=username)
        if user is None or portal.unrestrictedTraverse(path, None) is None:
            continue
        fullname = user.getProperty("fullname") or username
        family, _, given = fullname.rpartition(" ")
        person = issue_identity(pki, f"person_{_slug(username)}", common_name=fullname,
                                organisation=org, given=given, surname=family or given,
                                title="Lãnh đạo")
        _install_key(keys / "users" / user.getId(), "person", person, sig_png)
        usercerts.register(userid=user.getId(), data=person.cert_pem.read_bytes())
    logger.info("demo signing keys in %s (test PKI %s)", keys, pki.directory)
    return pki
