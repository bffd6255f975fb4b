"""The Zope root administrator created on the first start (``scripts/create_site.py``).

* ``QLVB_ADMIN_PASSWORD`` set: that password.
* not set, demo mode (``QLVB_DEMO=1``): the documented demo password ``admin``.
* not set, outside demo mode: a strong random password, printed once and written to
  ``<var>/zope-admin-password`` (mode 0600) for the operator to pick up and delete.
  The user folder keeps only its hash; nothing else stores it.

An administrator that exists already is never touched (a changed password stays).
"""

from pathlib import Path

import os
import secrets

DEMO_PASSWORD = "admin"
PASSWORD_FILE = "zope-admin-password"


def generate_password():
    """A random password of 32 URL-safe characters (192 bits)."""
    return secrets.token_urlsafe(24)


def ensure_zope_admin(acl_users, *, name, password=None, demo=False, var_dir=None, out=print):
    """Create the administrator ``name`` in ``acl_users`` when missing.

    Returns the generated password (None when nothing was generated).
    """
    if acl_users.getUserById(name) is not None:
        return None
    generated = None
    if not password:
        if demo:
            password = DEMO_PASSWORD
        else:
            password = generated = generate_password()
    acl_users.userFolderAddUser(name, password, ["Manager"], [])
    if generated is None:
        out(f"Zope administrator '{name}' created")
        return None
    where = ""
    if var_dir:
        path = Path(var_dir) / PASSWORD_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(generated + "\n")
        where = f" (also in {path}, mode 0600: delete it once you have kept the password)"
    out(f"Zope administrator '{name}' created with the generated password: {generated}{where}")
    return generated
