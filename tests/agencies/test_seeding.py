"""Demo data is seeded once and never resurrected; the Zope admin is no ``admin/admin`` outside
demo mode (issue 11, item 9)."""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.demo import data as demo_data
from dongthap.qlvb.numbering.retry import savepoints_only
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.utils import zope_admin
from OFS.userfolder import UserFolder
from plone import api

import os
import stat


def _seed_again(portal):
    """What ``make start`` does on an existing site, twice."""
    setup = api.portal.get_tool("portal_setup")
    with savepoints_only(), api.env.adopt_roles(["Manager"]):
        for _ in range(2):
            setup.runAllImportStepsFromProfile("profile-dongthap.qlvb:demo", purge_old=False)
            demo_data.install()


def test_deleted_demo_accounts_and_revoked_roles_stay_gone(demo):
    agency = demo["so-tttt"]
    with api.env.adopt_roles(["Manager"]):
        api.user.delete(username="qtht")
        api.user.delete(username="stttt.vanthu")
        agencies.unassign(agency=agency, username="stttt.lanhdao", roles=[R.LEADER])
    _seed_again(demo)
    assert api.user.get(username="qtht") is None
    assert api.user.get(username="stttt.vanthu") is None
    staff = {m["username"]: m["roles"] for m in agencies.list_staff(agency=agency)}
    assert "stttt.lanhdao" not in staff
    assert "stttt.vanthu" not in staff
    assert demo_data.seeded_version(demo) == demo_data.DEMO_VERSION


def test_a_newer_demo_version_adds_only_its_own_step(demo, monkeypatch):
    added = []
    monkeypatch.setattr(demo_data, "DEMO_VERSION", demo_data.DEMO_VERSION + 1)
    monkeypatch.setattr(demo_data, "SEED_STEPS", demo_data.SEED_STEPS + (
        (demo_data.DEMO_VERSION, lambda: added.append("new")),))
    with api.env.adopt_roles(["Manager"]):
        api.user.delete(username="stttt.vanthu")
    _seed_again(demo)
    assert added == ["new"]  # once, although seeded twice
    assert api.user.get(username="stttt.vanthu") is None
    assert demo_data.seeded_version(demo) == demo_data.DEMO_VERSION


def test_upgrade_marks_a_site_seeded_before_the_marker(demo):
    from dongthap.qlvb.upgrades import v1004_accounts

    delattr(demo, demo_data.SEED_ATTR)
    assert demo_data.seeded_version(demo) == 0
    v1004_accounts.mark_demo_seeded(None)
    assert demo_data.seeded_version(demo) == 1
    with api.env.adopt_roles(["Manager"]):
        api.user.delete(username="stttt.vanthu")
    _seed_again(demo)
    assert api.user.get(username="stttt.vanthu") is None


def _can_log_in(folder, name, password):
    return folder.authenticate(name, password, None) is not None


def test_outside_demo_mode_the_admin_password_is_generated_and_printed_once(tmp_path):
    folder = UserFolder()
    printed = []
    password = zope_admin.ensure_zope_admin(folder, name="admin", password="", demo=False,
                                            var_dir=tmp_path, out=printed.append)
    assert password and len(password) >= 32 and password != "admin"
    assert not _can_log_in(folder, "admin", "admin")
    assert _can_log_in(folder, "admin", password)
    assert len(printed) == 1 and password in printed[0]
    # the user folder holds a hash, not the password
    assert folder.getUserById("admin")._getPassword() != password
    kept = tmp_path / zope_admin.PASSWORD_FILE
    assert kept.read_text().strip() == password
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    # the next start changes nothing and prints no password
    again = []
    assert zope_admin.ensure_zope_admin(folder, name="admin", password="", demo=False,
                                        var_dir=tmp_path, out=again.append) is None
    assert again == [] and _can_log_in(folder, "admin", password)
    # another site gets another password
    other = UserFolder()
    assert zope_admin.ensure_zope_admin(other, name="admin", demo=False, out=lambda _m: None) != password


def test_demo_mode_and_a_chosen_password(tmp_path):
    demo_folder = UserFolder()
    assert zope_admin.ensure_zope_admin(demo_folder, name="admin", demo=True, var_dir=tmp_path,
                                        out=lambda _m: None) is None
    assert _can_log_in(demo_folder, "admin", "admin")
    chosen = UserFolder()
    printed = []
    zope_admin.ensure_zope_admin(chosen, name="root", password="Chon@Mat-Khau-2026", demo=False,
                                 var_dir=tmp_path, out=printed.append)
    assert _can_log_in(chosen, "root", "Chon@Mat-Khau-2026")
    assert "Chon@Mat-Khau-2026" not in printed[0]
    assert not (tmp_path / zope_admin.PASSWORD_FILE).exists()
