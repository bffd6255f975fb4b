"""The hooks on every entry path of files (all call :func:`..api.check_file`).

1. Classic UI: :class:`FileFieldValidator`, a z3c.form validator for every
   file/image field (``INamedField``) of every form on our browser layer - the
   error is shown on the field, nothing is stored.
2. plone.restapi: :class:`NamedFieldDeserializer` overrides the field
   deserializer for our browser layer (POST/PATCH with base64 data, and the
   final chunk of a TUS upload): a refusal is a ``ValueError`` with the
   translated message, which plone.restapi turns into a 400 JSON error.
3. Safety net: :func:`object_added` / :func:`object_modified` scan every file
   of a Dexterity object that carries no valid clean marker (delivery, imports,
   scripts, anything that bypasses 1 and 2) and a before-commit hook, added for
   every published request, checks the Dexterity objects modified in the
   transaction (code that sets a file without an event).  A refusal dooms the
   transaction and raises: no blob, object or catalog entry can be committed.
"""

from __future__ import annotations

import logging

import transaction
from dongthap.qlvb.antivirus import api
from dongthap.qlvb.antivirus.scanner import AntivirusError
from dongthap.qlvb.interfaces import IQlvbLayer
from plone.dexterity.interfaces import IDexterityContent
from plone.formwidget.namedfile.validator import NamedFileWidgetValidator
from plone.namedfile.interfaces import INamedField
from plone.restapi.deserializer.dxfields import NamedFieldDeserializer as BaseDeserializer
from plone.restapi.interfaces import IFieldDeserializer
from plone.restapi.services.content.tus import TUSUpload
from z3c.form import validator
from zope.component import adapter
from zope.i18n import translate
from zope.interface import Invalid, implementer

logger = logging.getLogger("dongthap.qlvb.antivirus")

_HOOK_FLAG = object()


def _layer_active(request):
    return request is not None and IQlvbLayer.providedBy(request)


# --------------------------------------------------------------------------
# 1. z3c.form


class FileFieldValidator(NamedFileWidgetValidator):
    """Plone's file widget validation, then the virus scan of a new file."""

    def validate(self, value, force=False):
        super().validate(value, force)
        if value is None or not api._is_named_file(value) or api.is_verified(value):
            return
        context = self.context
        try:
            api.check_file(
                value,
                getattr(value, "filename", None),
                path_of_entry="form",
                context=context,
                request=self.request,
            )
        except AntivirusError as exc:
            raise Invalid(exc.message) from exc


validator.WidgetValidatorDiscriminators(FileFieldValidator, request=IQlvbLayer, field=INamedField)


# --------------------------------------------------------------------------
# 2. plone.restapi


@implementer(IFieldDeserializer)
@adapter(INamedField, IDexterityContent, IQlvbLayer)
class NamedFieldDeserializer(BaseDeserializer):
    """plone.restapi's file deserializer plus the virus scan (400 on refusal)."""

    def __call__(self, value):
        entry = "tus" if isinstance(value, TUSUpload) else "rest"
        current = getattr(self.field.context, self.field.__name__, None)
        result = super().__call__(value)
        if result is None or result is current or api.is_verified(result):
            return result
        try:
            api.check_file(
                result,
                getattr(result, "filename", None),
                path_of_entry=entry,
                context=self.context,
                request=self.request,
            )
        except AntivirusError as exc:
            raise ValueError(translate(exc.message, context=self.request)) from exc
        return result


# --------------------------------------------------------------------------
# 3. Safety net


def installed():
    """True on a site where the add-on (its browser layer) is installed."""
    try:
        from plone.browserlayer.utils import registered_layers

        return IQlvbLayer in registered_layers()
    except Exception:
        return False


def object_added(obj, event):
    """Scan the files of a new Dexterity object that bypassed the form/REST hooks."""
    if installed():
        api.verify_object(obj, "event")


def object_modified(obj, event):
    """Scan files set since the last verification (e.g. a new version)."""
    if installed():
        api.verify_object(obj, "event")


def _before_commit(request):
    """Verify the Dexterity objects modified in this transaction."""
    txn = transaction.get()
    seen = set()
    for resource in list(getattr(txn, "_resources", ())):
        registered = list(getattr(resource, "_registered_objects", ()) or ())
        added = getattr(resource, "_added", None) or {}
        for obj in registered + list(added.values()):
            if id(obj) in seen or not IDexterityContent.providedBy(obj):
                continue
            seen.add(id(obj))
            try:
                files = api.named_file_values(obj)
            except Exception:
                continue
            if files and not all(api.is_verified(value) for _n, value in files):
                api.verify_object(obj, "commit", request=request)


def add_commit_hook(event):
    """IPubAfterTraversal: add the before-commit check to the request's transaction."""
    request = event.request
    if not _layer_active(request):
        return
    txn = transaction.get()
    try:
        txn.data(_HOOK_FLAG)
        return
    except KeyError:
        txn.set_data(_HOOK_FLAG, True)
    txn.addBeforeCommitHook(_before_commit, (request,))
