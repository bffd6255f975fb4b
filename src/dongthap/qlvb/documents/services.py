"""What the REST services of every kind of document share.

:class:`DocumentPost` is ``POST <agency>/@incoming`` and ``POST <agency>/@outgoing``: the JSON
body is read once, the files decoded, the kind's ``clean`` checks every field (with the
service's own options), and the kind's one factory (``create`` of its ``api``) stores the
document. A refusal is raised (:class:`dongthap.qlvb.errors.QlvbError`, see docs/errors.md).
"""

from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import refusing
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.errors import translate_tree
from dongthap.qlvb.utils.secrecy import SECRECY_FIELD
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class DocumentPost(Service):
    """Create a document of one kind from a JSON body; 201 with its URL."""

    #: the kind's API module: ``INPUT_FIELDS`` and ``create(agency, values, comment=…, **options)``
    api = None
    #: file names given to a main file / an attachment sent without one
    main_filename = attachment_filename = ""
    #: whether an empty body is read as ``{}`` (and refused field by field)
    empty_ok = True
    #: the message of a refusal for wrong fields
    invalid_message = None

    def clean(self, raw):
        """The checked values of ``raw`` (the kind's ``clean``)."""
        raise NotImplementedError

    def options(self, data):
        """Keyword arguments of ``create`` read from ``data``, and the list of their errors."""
        return {}, []

    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, empty_ok=self.empty_ok)
        raw = {k: data.get(k) for k in (*self.api.INPUT_FIELDS, SECRECY_FIELD) if k in data}
        raw["file"] = body.decode_file(data.get("file"), self.main_filename)
        raw["attachments"] = body.decode_files(data.get("attachments"), self.attachment_filename)
        options, problems = self.options(data)
        comment, bad_comment = validation.text(data, "comment", _("label_comment", default="Comment"))
        problems = [p for p in (*problems, bad_comment) if p]
        values = refusing(lambda: self.clean(raw), problems, self.invalid_message)
        result = self.api.create(self.context, values, comment=comment, **options)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", result["url"])
        return translate_tree(dict(result, **{"@id": result["url"]}), self.request)
