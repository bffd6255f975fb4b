"""REST form of the list-of-files fields of the documents (``attachments``).

plone.restapi serializes a single file field as a download link with its
name, size and content type, but has no converter for a *list* of files: a
document with attachments answered 500 on ``GET`` and on
``@search?fullobjects=1``. Each attachment is given here the same form as a
single file, with the link of :class:`dongthap.qlvb.browser.attachments.AttachmentDownload`.
"""

from dongthap.qlvb.browser.attachments import VIEW_NAME
from plone.dexterity.interfaces import IDexterityContent
from plone.namedfile.interfaces import INamedFileField
from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.serializer.dxfields import CollectionFieldSerializer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface
from zope.schema.interfaces import IList


def file_info(named_file, download):
    """``{filename, content-type, size, download}`` like plone.restapi's single file fields."""
    return {
        "filename": named_file.filename,
        "content-type": named_file.contentType,
        "size": named_file.getSize(),
        "download": download,
    }


@adapter(IList, IDexterityContent, Interface)
@implementer(IFieldSerializer)
class FileListFieldSerializer(CollectionFieldSerializer):
    """A list whose items are files (``attachments``): one download link per file, in order."""

    def __call__(self):
        if not INamedFileField.providedBy(self.field.value_type):
            return super().__call__()
        base = f"{self.context.absolute_url()}/@@{VIEW_NAME}"
        return json_compatible([
            file_info(value, f"{base}/{index}")
            for index, value in enumerate(self.get_value() or ())
            if value is not None
        ])
