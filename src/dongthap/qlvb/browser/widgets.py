"""Form widgets of the Plone edit forms (issue 15, item 4).

``ExternalRecipientsWidget``: the recipients outside this system (a JSON list in storage) edited
as rows of agency name, code and e-mail with Vietnamese labels — never JSON, never ``[]``.
The same rows are used by the drafting form (``outgoing/templates/draft.pt``); both send
``<name>.name:records``, ``<name>.code:records``, ``<name>.email:records``, which Zope turns into
one record per row.
"""

from dongthap.qlvb.interfaces import IQlvbLayer
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import interfaces
from z3c.form.browser.text import TextWidget
from z3c.form.converter import BaseDataConverter
from z3c.form.browser.widget import HTMLFormElement
from z3c.form.widget import FieldWidget
from z3c.form.widget import Widget
from zope.component import adapter
from zope.interface import implementer
from zope.interface import implementer_only
from zope.schema.interfaces import IDate

import json

#: blank rows offered below the filled ones (more are added with "Thêm dòng")
BLANK_ROWS = 2
KEYS = ("name", "code", "email")


def rows_from_records(records):
    """``[{"code", "name"[, "email"]}]`` from the submitted rows, blank rows left out."""
    rows = []
    for record in records or ():
        get = record.get if hasattr(record, "get") else (lambda key, r=record: getattr(r, key, ""))
        row = {key: str(get(key, "") or "").strip() for key in KEYS}
        if not any(row.values()):
            continue
        if not row["email"]:
            del row["email"]
        rows.append(row)
    return rows


def display_rows(value, blank=BLANK_ROWS):
    """The rows to show: the stored recipients, then ``blank`` empty rows."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            value = []
    rows = [{key: (item.get(key) or "") for key in KEYS} for item in value or () if isinstance(item, dict)]
    return rows + [dict.fromkeys(KEYS, "") for _ in range(blank)]


class IExternalRecipientsWidget(interfaces.IWidget):
    """Rows of agency name, code and e-mail."""


@implementer_only(IExternalRecipientsWidget)
class ExternalRecipientsWidget(HTMLFormElement, Widget):
    klass = "qlvb-external-recipients"
    template = ViewPageTemplateFile("templates/external_recipients_widget.pt")

    def render(self):
        return self.template()

    def rows(self):
        return display_rows(self.value, blank=0 if self.mode == interfaces.DISPLAY_MODE else BLANK_ROWS)

    def script_url(self):
        from plone import api

        return f"{api.portal.get().absolute_url()}/++resource++dongthap.qlvb/qlvb-rows.js"

    def extract(self, default=interfaces.NO_VALUE):
        if f"{self.name}.present" not in self.request.form:
            return default
        records = self.request.form.get(self.name) or []
        return json.dumps(rows_from_records(records), ensure_ascii=False)


@adapter(interfaces.IFieldWidget, interfaces.IFormLayer)
@implementer(interfaces.IFieldWidget)
def ExternalRecipientsFieldWidget(field, request):
    return FieldWidget(field, ExternalRecipientsWidget(request))


# ---------------------------------------------------------------- dates as dd/mm/yyyy

class IVietnameseDateWidget(interfaces.ITextWidget):
    """A date typed and shown as dd/mm/yyyy."""


@implementer_only(IVietnameseDateWidget)
class VietnameseDateWidget(TextWidget):
    """Plone's date widget is a native ``<input type="date">``, which the browser shows in the
    browser's locale (``12/20/2026`` in an English Chromium). Ours is a text input showing and
    accepting ``dd/mm/yyyy`` whatever the browser's language (issue 15, item 3)."""

    klass = "qlvb-date-widget"
    placeholder = "dd/mm/yyyy"

    def update(self):
        super().update()
        self.maxlength = 10
        self.size = 10


@adapter(IDate, IQlvbLayer)
@implementer(interfaces.IFieldWidget)
def VietnameseDateFieldWidget(field, request):
    return FieldWidget(field, VietnameseDateWidget(request))


@adapter(IDate, IVietnameseDateWidget)
class VietnameseDateConverter(BaseDataConverter):
    """``date`` ↔ ``"dd/mm/yyyy"``; a bad date is refused with a Vietnamese message."""

    def toWidgetValue(self, value):
        if value is self.field.missing_value or value is None:
            return ""
        return value.strftime("%d/%m/%Y")

    def toFieldValue(self, value):
        from dongthap.qlvb.documents.validation import parse_date
        from dongthap.qlvb.i18n import _
        from z3c.form.converter import FormatterValidationError

        text = (value or "").strip()
        if not text:
            return self.field.missing_value
        try:
            return parse_date(text)
        except (ValueError, TypeError):
            raise FormatterValidationError(
                _("error_date_format", default="Enter the date as dd/mm/yyyy, e.g. 20/12/2026."),
                value) from None
