"""The one error type (``docs/errors.md``) through a real WSGI server.

Two services of this module are registered for the test: they create a folder in the
site, then refuse (:class:`QlvbError`) or fail unexpectedly (``guarded``). The answer
is the translated JSON error, and the folder is not stored: the publisher aborted.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi.errors import guarded
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.component import getGlobalSiteManager
from zope.component import hooks
from zope.configuration import xmlconfig
from zope.interface import alsoProvides

import re
import requests
import pytest

ZCML = """
<configure xmlns="http://namespaces.zope.org/zope" xmlns:plone="http://namespaces.plone.org/plone">
  <include package="plone.rest" file="meta.zcml" />
  <plone:service method="POST" name="@qlvb-test-refuse" for="plone.base.interfaces.IPloneSiteRoot"
      factory="tests.test_errors.RefusingPost" permission="cmf.ManagePortal" />
  <plone:service method="POST" name="@qlvb-test-crash" for="plone.base.interfaces.IPloneSiteRoot"
      factory="tests.test_errors.CrashingPost" permission="cmf.ManagePortal" />
  <plone:service method="POST" name="@qlvb-test-guarded-refuse" for="plone.base.interfaces.IPloneSiteRoot"
      factory="tests.test_errors.GuardedRefusingPost" permission="cmf.ManagePortal" />
</configure>
"""


def _create_folder(request):
    alsoProvides(request, IDisableCSRFProtection)
    folder_id = request.form.get("id")
    api.content.create(container=api.portal.get(), type="Folder", id=folder_id, title=folder_id)
    return folder_id


class RefusingPost(Service):
    """Stores a folder, then refuses with a field error unless ``?refuse=no``."""

    def reply(self):
        folder_id = _create_folder(self.request)
        if self.request.form.get("refuse") != "no":
            message = _("error_forbidden", default="You are not allowed to do this.")
            raise QlvbError(_("error_bad_json", default="The request body must be a JSON object."),
                            [{"field": "id", "message": message}], status=409)
        self.request.response.setStatus(201)
        return {"id": folder_id}


class GuardedRefusingPost(RefusingPost):
    """The same refusal from a ``@guarded`` reply (as every service of the add-on has)."""

    @guarded
    def reply(self):
        return super().reply()


class CrashingPost(Service):
    """Stores a folder, then fails with an unexpected error."""

    @guarded
    def reply(self):
        _create_folder(self.request)
        raise RuntimeError("internal detail 4f2a")


@pytest.fixture
def url(demo_server):
    registered = {r.name for r in getGlobalSiteManager().registeredAdapters()}
    if "POST_application_json_@qlvb-test-refuse" not in registered:  # once per layer registry
        with hooks.site(None):  # in the global registry (the server's thread), not the test's site
            xmlconfig.string(ZCML)
    return demo_server["url"]


def owner():
    s = requests.Session()
    s.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    s.headers.update({"Accept": "application/json"})
    return s


def test_a_refusal_answers_the_translated_json_error_and_stores_nothing(url):
    r = owner().post(f"{url}/@qlvb-test-refuse?id=refused-folder", json={})
    assert r.status_code == 409, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"error": {
        "type": "Conflict",
        "message": "Nội dung yêu cầu phải là một đối tượng JSON.",
        "errors": [{"field": "id", "message": "Tài khoản không có quyền thực hiện thao tác này."}],
    }}
    assert owner().get(f"{url}/refused-folder").status_code == 404


def test_the_same_service_stores_when_it_does_not_refuse(url):
    r = owner().post(f"{url}/@qlvb-test-refuse?id=kept-folder&refuse=no", json={})
    assert r.status_code == 201, r.text
    assert owner().get(f"{url}/kept-folder").status_code == 200


def test_an_unexpected_error_is_a_translated_500_with_a_reference(url):
    r = owner().post(f"{url}/@qlvb-test-crash?id=crashed-folder", json={})
    assert r.status_code == 500, r.text
    error = r.json()["error"]
    assert error["type"] == "InternalServerError" and error["errors"] == []
    assert error["message"].startswith("Đã xảy ra lỗi không lường trước, không có gì được lưu.")
    assert re.search(r"\b[0-9a-f]{10}\b", error["message"])
    assert "4f2a" not in r.text and "RuntimeError" not in r.text
    assert owner().get(f"{url}/crashed-folder").status_code == 404


def test_a_guarded_refusal_answers_the_same_and_stores_nothing(url):
    """``@guarded`` answers a refusal itself (no traceback for the error log): same body, aborted."""
    r = owner().post(f"{url}/@qlvb-test-guarded-refuse?id=guarded-folder", json={})
    assert r.status_code == 409, r.text
    assert r.json()["error"]["message"] == "Nội dung yêu cầu phải là một đối tượng JSON."
    assert r.json()["error"]["errors"][0]["field"] == "id"
    assert owner().get(f"{url}/guarded-folder").status_code == 404


def test_one_type_for_every_refusal():
    """The document APIs, the workflow guards, signing and the registers raise the one type."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.errors import QlvbWorkflowError
    from dongthap.qlvb.exchange.subscribers import RecalledDocumentError
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming.events import IncomingWorkflowError
    from dongthap.qlvb.outgoing import api as outgoing
    from dongthap.qlvb.outgoing.workflow import OutgoingWorkflowError
    from dongthap.qlvb.registers import UnknownRegisterError
    from dongthap.qlvb.signing import errors as signing
    from Products.CMFCore.WorkflowCore import WorkflowException

    assert incoming.IncomingError is outgoing.OutgoingError is agencies.StaffError is QlvbError
    assert IncomingWorkflowError is OutgoingWorkflowError is RecalledDocumentError is QlvbWorkflowError
    assert issubclass(QlvbWorkflowError, QlvbError) and issubclass(QlvbWorkflowError, WorkflowException)
    pin = signing.WrongPinError("token 1")
    assert isinstance(pin, QlvbError) and (pin.status, pin.error_type) == (400, "WrongPinError")
    assert str(pin).endswith("(token 1)") and pin.errors == []
    assert (signing.SigningPermissionError().status, signing.SigningPermissionError().error_type) == \
        (403, "SigningPermissionError")
    register = UnknownRegisterError(key="x", known="incoming")
    assert isinstance(register, (QlvbError, ValueError)) and register.error_type == "NotFound"
    assert str(register) == 'Unknown register "x"; expected one of: incoming.'
    refused = QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
    assert (refused.status, refused.error_type) == (403, "Forbidden")
    assert str(refused) == "You are not allowed to do this."
