"""The hooks on every entry path of files (all call :func:`..api.check_file`).

1. Classic UI: :class:`FileFieldValidator`, a z3c.form validator for every
   file/image field (``INamedField``) of every form on our browser layer - the
   error is shown on the field, nothing is stored.  The scan comes first, so
   malware is recorded as an incident even when the field would refuse the
   file anyway (e.g. "not a PDF").
2. plone.restapi: :class:`NamedFieldDeserializer` overrides the field
   deserializer for our browser layer (POST/PATCH with base64 data, the
   final chunk of a TUS upload, and each file of a list field such as
   ``attachments``): a refusal is a ``ValueError`` with the translated
   message, which plone.restapi turns into a 400 JSON error.  Here too the
   scan runs before the field's own validation.
3. Safety net: :func:`object_added` / :func:`object_modified` scan every file
   of a Dexterity object that carries no valid clean marker (delivery, imports,
   scripts, anything that bypasses 1 and 2), and :data:`SAFETY_NET`, a
   transaction *synchronizer*, checks the Dexterity objects modified in
   **every** transaction before it commits (code that sets a file without an
   event).  Every file counts: single file fields and lists/tuples of files,
   in every schema (behaviors too) - see :func:`..api.named_file_values`.
   The synchronizer is registered with the thread's transaction manager, so
   it sees the request's first transaction, the transactions that
   ``numbering.run_in_transaction`` begins and commits inside a request, the
   implicit transaction that follows them, and the transactions of code
   without a request (the exchange worker, scripts) - it is registered when
   this module is imported (the thread that loads the configuration: scripts,
   ``zconsole``) and at the start of every published request (the server's
   worker threads); :func:`register_safety_net` registers it in any other
   thread.  A refusal dooms the transaction and raises: no blob, object or
   catalog entry can be committed.
"""

from __future__ import annotations

import logging

import transaction
from transaction._transaction import Status
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

# --------------------------------------------------------------------------
# 1. z3c.form


class FileFieldValidator(NamedFileWidgetValidator):
    """The virus scan of a new file, then Plone's file widget validation."""

    def validate(self, value, force=False):
        if value is not None and api._is_named_file(value) and not api.is_verified(value):
            try:
                api.check_file(
                    value,
                    getattr(value, "filename", None),
                    path_of_entry="form",
                    context=self.context,
                    request=self.request,
                )
            except AntivirusError as exc:
                raise Invalid(exc.message) from exc
        super().validate(value, force)


validator.WidgetValidatorDiscriminators(FileFieldValidator, request=IQlvbLayer, field=INamedField)


# --------------------------------------------------------------------------
# 2. plone.restapi


class _Unvalidated:
    """The deserializer's field, with its validation put off until after the scan."""

    def __init__(self, field):
        self._field = field

    def validate(self, value):
        pass

    def __getattr__(self, name):
        return getattr(self._field, name)


@implementer(IFieldDeserializer)
@adapter(INamedField, IDexterityContent, IQlvbLayer)
class NamedFieldDeserializer(BaseDeserializer):
    """plone.restapi's file deserializer plus the virus scan (400 on refusal).

    The scan runs before the field's own validation (constraints such as
    "PDF only"), so that malware is refused *as malware* and recorded.
    """

    def __call__(self, value):
        entry = "tus" if isinstance(value, TUSUpload) else "rest"
        field = self.field
        current = getattr(field.context, field.__name__, None) if field.__name__ else None
        self.field = _Unvalidated(field)
        try:
            result = super().__call__(value)
        finally:
            self.field = field
        if result is not None and result is not current and not api.is_verified(result):
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
        field.validate(result)
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


def check_transaction(txn):
    """Verify the files of the Dexterity objects modified or added in *txn*.

    Raises :class:`AntivirusError` (after recording the incident) on the
    first refused file.
    """
    if not installed():
        return
    seen = set()
    for resource in list(getattr(txn, "_resources", ())):
        registered = list(getattr(resource, "_registered_objects", ()) or ())
        added = getattr(resource, "_added", None) or {}
        for obj in registered + list(added.values()):
            if id(obj) in seen or not IDexterityContent.providedBy(obj):
                continue
            seen.add(id(obj))
            try:
                unverified = api.unverified_files(obj)
            except Exception:
                logger.exception("antivirus: cannot read the files of %r", obj)
                continue
            if not unverified:
                continue
            context = _wrapped(obj)
            for name, value in unverified:
                api.check_file(value, getattr(value, "filename", None) or name,
                               path_of_entry="commit", context=context)


def _wrapped(obj):
    """*obj* in its acquisition context when it can be found (to name its agency)."""
    if getattr(obj, "aq_chain", None) and len(obj.aq_chain) > 1:
        return obj
    try:
        from plone.app.uuid.utils import uuidToObject
        from plone.uuid.interfaces import IUUID

        uid = IUUID(obj, None)
        found = uuidToObject(uid, unrestricted=True) if uid else None
    except Exception:
        found = None
    if found is not None and getattr(found, "aq_base", found) is obj:
        return found
    return obj


class _CommitCheck:
    """Data manager joined to a transaction that is about to complete.

    Only a *commit* calls ``tpc_begin`` (an abort calls ``abort``), and its
    sort key puts it before every ZODB connection: the files are checked
    before any storage is touched, and a refusal makes the commit fail
    (nothing is stored; the transaction can only be aborted afterwards).
    """

    transaction_manager = None

    def sortKey(self):
        return "\x00dongthap.qlvb.antivirus"

    def tpc_begin(self, txn):
        check_transaction(txn)

    def abort(self, txn):
        pass

    def commit(self, txn):
        pass

    def tpc_vote(self, txn):
        pass

    def tpc_finish(self, txn):
        pass

    def tpc_abort(self, txn):
        pass


_JOINED = "dongthap.qlvb.antivirus.commit-check"


class SafetyNet:
    """Transaction synchronizer: the file check in every commit of its thread.

    ``beforeCompletion`` is called for every transaction of the manager -
    begun explicitly or created implicitly by ``transaction.get()`` - when it
    commits *or* aborts, before the data managers act; it joins a
    :class:`_CommitCheck`, whose ``tpc_begin`` (commit only) does the check.
    """

    def newTransaction(self, txn):
        pass

    def beforeCompletion(self, txn):
        if txn.status is not Status.ACTIVE or not getattr(txn, "_resources", None):
            return  # doomed / failed (cannot commit) or nothing to store
        try:
            txn.data(self)
            return
        except KeyError:
            txn.set_data(self, _JOINED)
        txn.join(_CommitCheck())

    def afterCompletion(self, txn):
        pass


#: The one synchronizer (transaction managers keep only weak references).
SAFETY_NET = SafetyNet()


def register_safety_net(manager=None):
    """Register :data:`SAFETY_NET` with *manager* (the current thread's by default)."""
    (manager or transaction.manager).registerSynch(SAFETY_NET)


def register_for_request(event):
    """IPubStart: the request's thread checks every transaction it commits."""
    register_safety_net()


register_safety_net()
