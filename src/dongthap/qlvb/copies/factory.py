"""THE one way a ``DocumentCopy`` comes to exist (:func:`new_copy`), on the shared document factory."""

from dongthap.qlvb.documents import factory
from dongthap.qlvb.documents.factory import ensure_system_fields  # noqa: F401 - subscriber (zcml)
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.documents.pdfpages import count_pages
from dongthap.qlvb.numbering import counter
from plone import api
from plone.namedfile.file import NamedBlobFile


@factory.register_kind("DocumentCopy")
def stamp(doc, when):
    """A copy is numbered at its issue: no register entry before; the year of its folder."""
    doc.register_number = None
    doc.register_year = None
    doc.register_date = None
    doc.qlvb_prepared_year = counter.current_year(when)
    if not getattr(doc, "page_amount", None):
        doc.page_amount = count_pages(getattr(doc, "file", None))


def _filename(original, form):
    return f"ban-sao-{form.replace('_', '-')}.pdf"


def new_copy(agency, original, values, data, *, comment="", scan_dpi=None):
    """Create the copy (state ``draft``) of ``original`` in ``agency``'s register of copies."""
    from dongthap.qlvb.content.copies import REGISTER
    from plone.dexterity.utils import createContent

    from dongthap.qlvb.copies.api import original_notation

    fields = {k: values[k] for k in ("copy_form", "copy_medium", "page_from", "page_to", "place", "signer",
                                     "signer_position", "signing_authority", "recipients")}
    notation = original_notation(original)
    title = f"{values['copy_form'] and _FORM_WORDS[values['copy_form']]}: {original.title}"
    doc = createContent("DocumentCopy", title=title[:500], **{k: v for k, v in fields.items()
                                                             if v is not None})
    doc.file = NamedBlobFile(data=data, filename=_filename(original, values["copy_form"]),
                             contentType="application/pdf")
    attributes = {"original_uid": api.content.get_uuid(original),
                  "qlvb_made_by": api.user.get_current().getId()}  # (a double click is refused)
    if scan_dpi is not None:
        attributes["qlvb_original_scan_dpi"] = scan_dpi
    from dongthap.qlvb.copies.api import record_on_original

    copy = factory.add_document(agency, doc, REGISTER, when=now(), actor=None, attributes=attributes,
                                comment=comment or f"Bản sao của {notation or original.title}")
    record_on_original(copy)  # the original shows it while it is prepared, signed, issued
    return copy


_FORM_WORDS = {"sao_y": "Sao y", "sao_luc": "Sao lục", "trich_sao": "Trích sao"}
