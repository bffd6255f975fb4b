"""Control panel "Liên thông văn bản": transport settings, directory import, outbox overview."""

from __future__ import annotations

import logging

from dongthap.qlvb.i18n import _
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper, RegistryEditForm
from Products.statusmessages.interfaces import IStatusMessage
from z3c.form import button
from zope.i18n import translate

from . import api as exchange_api
from . import settings
from .queue import FAILED, QUEUED, SENDING
from .storage import get_store
from .transports import TransportError

logger = logging.getLogger("dongthap.qlvb.exchange")


class ExchangeSettingsForm(RegistryEditForm):
    schema = settings.IExchangeSettings
    schema_prefix = settings.PREFIX
    label = _("title_exchange_controlpanel", default="Document exchange (liên thông văn bản)")
    description = _(
        "help_exchange_controlpanel",
        default="Connection to the national document exchange axis. The secret of the axis is never "
                "stored in the database: it is read from an environment variable or a file.")

    @button.buttonAndHandler(_("button_save", default="Save"), name="save")
    def handle_save(self, action):
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        self.applyChanges(data)
        IStatusMessage(self.request).addStatusMessage(
            translate(_("msg_exchange_saved", default="Settings saved."), context=self.request), "info")

    @button.buttonAndHandler(_("button_import_directory", default="Import the agency directory"),
                             name="import_directory")
    def handle_import(self, action):
        messages = IStatusMessage(self.request)
        try:
            counts = exchange_api.import_directory()
        except (TransportError, ValueError) as exc:
            logger.warning("exchange: directory import failed: %s", type(exc).__name__)
            messages.addStatusMessage(translate(_(
                "msg_directory_failed", default="The directory could not be imported: ${error}",
                mapping={"error": type(exc).__name__}), context=self.request), "error")
            return
        messages.addStatusMessage(translate(_(
            "msg_directory_imported",
            default="Directory imported: ${total} agencies (${added} new, ${updated} changed).",
            mapping=counts), context=self.request), "info")


    # Declaring buttons here replaces the inherited ones: RegistryEditForm.updateActions
    # styles "save" *and* "cancel", so the form must keep a cancel button.
    @button.buttonAndHandler(_("button_cancel", default="Cancel"), name="cancel")
    def handle_cancel(self, action):
        RegistryEditForm.handleCancel(self, action)


class ExchangeControlPanel(ControlPanelFormWrapper):
    form = ExchangeSettingsForm

    def summary(self):
        store = get_store(create=False)
        if store is None:
            return {}
        counts = {QUEUED: 0, SENDING: 0, FAILED: 0}
        for entry_id in store.pending:
            entry = store.entries.get(entry_id)
            if entry is not None:
                counts[entry.state] = counts.get(entry.state, 0) + 1
        return {"pending": counts, "directory": len(store.directory),
                "secret": settings.secret_configured()}
