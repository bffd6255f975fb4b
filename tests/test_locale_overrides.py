"""Our Vietnamese catalogs of other domains fill what plone.app.locales leaves untranslated."""

from zope.i18n import translate


def test_untranslated_plone_domains_are_vietnamese(site):
    request = site.REQUEST
    request["LANGUAGE"] = "vi"
    request.environ["HTTP_ACCEPT_LANGUAGE"] = "vi"
    assert translate("label_update_security", domain="cmfplacefulworkflow", target_language="vi",
                     default="Update security") == "Cập nhật phân quyền"
    assert translate("No value", domain="z3c.form", target_language="vi") == "Chưa chọn"


def test_vietnamese_texts_never_address_the_user_as_ban():
    """Administrative style: the notifications and messages are impersonal ("Được giao chủ trì
    giải quyết: …"), never "bạn" (no layer: reads the catalogs)."""
    import pathlib
    import re

    folder = pathlib.Path(__file__).parent.parent / "src/dongthap/qlvb/locales/vi/LC_MESSAGES"
    lines = [line for po in sorted(folder.glob("*.po"))
             for line in po.read_text(encoding="utf-8").splitlines()]
    found = [line for line in lines if line.startswith(("msgstr", '"')) and re.search(r"\b[bB]ạn\b", line)]
    assert found == []
