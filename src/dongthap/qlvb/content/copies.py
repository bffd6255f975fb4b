"""Copies (bản sao) of a document: sao y, sao lục, trích sao (NĐ 30/2020 Art. 25-27).

Storage, like every document (:mod:`dongthap.qlvb.documents.storage`)::

    <agency>/ban-sao/            CopyFolder (the agency's register of copies)
    <agency>/ban-sao/2026/       CopyFolder (one per year, Vietnam time)
    <agency>/ban-sao/2026/bs-…   DocumentCopy

A copy is built on the document base: ``document_files`` (the copy's PDF),
``register_entry`` (its number in the ONE yearly series of copies the three forms
share, its year and date), ``document_trail``, ``signed_document`` (the agency's
digital signature on an electronic copy). Its own fields: the form, the medium,
the original it copies (and the pages of an excerpt), place, signer and authority.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.content.documents import alias
from dongthap.qlvb.content.outgoing import AUTHORITIES  # TM., KT., TL., TUQ., Q.
from dongthap.qlvb.content.documents import Document
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.documents.behaviors import fields_of
from dongthap.qlvb.documents.behaviors import IDocumentFiles
from dongthap.qlvb.documents.behaviors import IRegisterEntry
from dongthap.qlvb.documents.behaviors import system_field
from dongthap.qlvb.documents.behaviors import text_line
from dongthap.qlvb.documents.storage import DocumentRegister
from dongthap.qlvb.i18n import _
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary

ROOT_ID = "ban-sao"
ID_PREFIX = "bs-"
#: The register of copies of an agency: ``<agency>/ban-sao/<year>/bs-…``.
REGISTER = DocumentRegister(root_id=ROOT_ID, portal_type="CopyFolder", title="Bản sao",
                            id_prefix=ID_PREFIX, lock_name="copies")

#: form → (abbreviation in the notation, the words printed on the copy) — NĐ 30 Phụ lục III
FORMS = {
    "sao_y": ("SY", "SAO Y"),
    "sao_luc": ("SL", "SAO LỤC"),
    "trich_sao": ("TrS", "TRÍCH SAO"),
}
FORM_TITLES = {
    "sao_y": _("copy_form_sao_y", default="Certified true copy (sao y)"),
    "sao_luc": _("copy_form_sao_luc", default="Copy of a copy (sao lục)"),
    "trich_sao": _("copy_form_trich_sao", default="Excerpt (trích sao)"),
}
MEDIA = {
    "electronic": _("copy_medium_electronic", default="Electronic (agency's digital signature)"),
    "paper": _("copy_medium_paper", default="Paper (signed and sealed)"),
}


def _vocabulary(titles):
    return SimpleVocabulary([SimpleTerm(value=k, token=k, title=v) for k, v in titles.items()])


class ICopyFolder(model.Schema):
    """The register of copies of an agency, or one year of it."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(ICopyFolder)
class CopyFolder(DocumentFolder):
    """Unordered BTree folder, never shown in navigation."""


class IDocumentCopy(model.Schema):
    """What a copy (bản sao) has besides its file, register entry and trail."""

    title = text_line(_("label_title", default="Title"), 500, required=True)
    copy_form = schema.Choice(title=_("label_copy_form", default="Form of the copy"),
                              vocabulary=_vocabulary(FORM_TITLES), required=True, default="sao_y")
    copy_medium = schema.Choice(title=_("label_copy_medium", default="Copy made on"),
                                vocabulary=_vocabulary(MEDIA), required=True, default="electronic")
    page_from = schema.Int(title=_("label_page_from", default="From page"), required=False, min=1)
    page_to = schema.Int(title=_("label_page_to", default="To page"), required=False, min=1)
    place = text_line(_("label_copy_place", default="Place of copying"), 100, required=True)
    signer = schema.ASCIILine(title=_("label_signer", default="Signer"), required=True)
    signer_position = text_line(_("label_signer_position", default="Position of the signer"), 100,
                                required=True)
    signing_authority = schema.Choice(
        title=_("label_signing_authority", default="Signing authority"),
        values=tuple(AUTHORITIES), required=False, default="none")
    recipients = text_line(_("label_copy_recipients", default="Sent to (nơi nhận)"), 1000)
    original_uid = system_field(schema.ASCIILine, _("label_copy_original", default="Original document"))
    code_notation = system_field(schema.TextLine, _("label_notation", default="Number and notation"))


#: Every field of a copy.
FIELDS = fields_of(IDocumentFiles, IRegisterEntry, IDocumentCopy)


@implementer(IDocumentCopy)
class DocumentCopy(Document):
    """One copy; workflow ``qlvb_copy_workflow``. Its register entry is its number in the series."""

    security = ClassSecurityInfo()
    copy_form = "sao_y"
    copy_medium = "electronic"
    page_from = page_to = None
    place = signer = signer_position = recipients = None
    signing_authority = "none"
    original_uid = None
    code_notation = None
    issued_at = alias("register_date")

    @property
    def code_number(self):
        return f"{int(self.register_number):02d}" if self.register_number else None

    def notation(self):
        """``01/SY-UBND`` once numbered, else ``""``."""
        if not self.register_number:
            return ""
        return f"{self.code_number}/{self.code_notation}" if self.code_notation else self.code_number

    def form_words(self):
        """``SAO Y``, ``SAO LỤC``, ``TRÍCH SAO``: printed on the copy."""
        return FORMS.get(self.copy_form, ("", ""))[1]

    def qlvb_signature_rule(self):
        """A copy is legal by its OWN seal only (``signing.api.signature_rule``): once its agency
        signature is on (an electronic copy, at ``issue``), the agency signature covering the
        whole file decides (``"attachment"``); before that – and for a paper copy, legal on
        paper – the original's signatures its PDF carries make it no more than a reference."""
        if self.copy_medium == "electronic" and getattr(self, "qlvb_sealed_at", None):
            return "attachment"
        return None

    @security.public
    def qlvb_guard(self, transition):
        from dongthap.qlvb.copies.api import guard

        return guard(self, transition)


InitializeClass(DocumentCopy)
