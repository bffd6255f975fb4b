"""Helpers of the Plone-side signing tests: a minimal document type with the behavior."""

from __future__ import annotations

from pathlib import Path

from plone import api
from plone.dexterity.fti import DexterityFTI

TEST_TYPE = "QlvbSignedTestDoc"
BEHAVIOR = "dongthap.qlvb.signing.behaviors.ISignedDocument"
MODEL = """<model xmlns="http://namespaces.plone.org/supermodel/schema">
  <schema>
    <field name="file" type="plone.namedfile.field.NamedBlobFile">
      <title>File</title><required>False</required>
    </field>
    <field name="attachments" type="zope.schema.List">
      <title>Attachments</title><required>False</required>
      <value_type type="plone.namedfile.field.NamedBlobFile"><title>Attachment</title></value_type>
    </field>
  </schema>
</model>"""


def install_test_type(portal):
    """Register the test FTI (Item + ``file`` + ISignedDocument) and allow it in agencies."""
    types = api.portal.get_tool("portal_types")
    if TEST_TYPE not in types.objectIds():
        fti = DexterityFTI(TEST_TYPE)
        fti.title = "Signed test document"
        fti.klass = "plone.dexterity.content.Item"
        fti.model_source = MODEL
        fti.behaviors = ("plone.basic", BEHAVIOR)
        fti.global_allow = True
        types._setObject(TEST_TYPE, fti)
    agency_fti = types["Agency"]
    if TEST_TYPE not in agency_fti.allowed_content_types:
        agency_fti.allowed_content_types = (*agency_fti.allowed_content_types, TEST_TYPE)


def make_doc(container, pdf: bytes | None, id_="vb-test", filename="van-ban.pdf",
             attachments=()):
    """A test document; ``attachments``: ``(bytes, filename)`` pairs."""
    from plone.namedfile.file import NamedBlobFile

    kwargs = {}
    if pdf is not None:
        kwargs["file"] = NamedBlobFile(data=pdf, contentType="application/pdf",
                                       filename=filename)
    if attachments:
        kwargs["attachments"] = [NamedBlobFile(data=data, contentType="application/pdf",
                                               filename=name) for data, name in attachments]
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(container=container, type=TEST_TYPE, id=id_,
                                  title="Quyết định thử nghiệm", safe_id=False, **kwargs)


def demo_pki_dir() -> Path:
    from dongthap.qlvb.signing import settings as cfg

    return cfg.keys_dir().parent / "test-pki"
