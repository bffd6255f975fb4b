"""Our Vietnamese catalogs of other domains fill what plone.app.locales leaves untranslated."""

from zope.i18n import translate


def test_untranslated_plone_domains_are_vietnamese(site):
    request = site.REQUEST
    request["LANGUAGE"] = "vi"
    request.environ["HTTP_ACCEPT_LANGUAGE"] = "vi"
    assert translate("label_update_security", domain="cmfplacefulworkflow", target_language="vi",
                     default="Update security") == "Cập nhật phân quyền"
    assert translate("No value", domain="z3c.form", target_language="vi") == "Chưa chọn"
