"""Search of documents, for the search page, the desk's quick box and ``GET @search-documents``.

:func:`search` runs one catalog query built from the criteria (:data:`CRITERIA`) of a form or a
query string, through ``api.content.find`` — the catalog's own filter on who may view, so a
user only ever finds the documents he may open (staff of one agency never see another's) —
within the agencies he may see, and returns one sorted page (``documents.queries.paged``).

Text criteria go through the Vietnamese lexicon (:mod:`dongthap.qlvb.search.lexicon`): typed
with or without diacritics, old or new tone placement, any case; words in quotes are a phrase;
a number as staff type it ("12/UBND-VP", "12 UBND VP", "số 12", "UBND-VP") finds the
document with that số and ký hiệu.
"""

from dongthap.qlvb.documents.queries import date_range
from dongthap.qlvb.documents.queries import PAGE_SIZE
from dongthap.qlvb.documents.queries import paged
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.text import normalize_text
from dongthap.qlvb.utils.text import search_words
from plone import api

import datetime
import re

KINDS = {"incoming": "IncomingDocument", "outgoing": "OutgoingDocument"}

#: criterion → (catalog index, kind of value): what a form or query string may give.
CRITERIA = {
    "text": ("SearchableText", "text"),
    "title": ("Title", "text"),
    "issuer": ("qlvb_issuer_text", "text"),
    "signer": ("qlvb_signer_text", "text"),
    "recipient": ("qlvb_recipient_text", "text"),
    "kind": ("portal_type", "kind"),
    "agency": ("path", "agency"),
    "state": ("review_state", "list"),
    "urgency": ("qlvb_urgency", "list"),
    "document_type": ("qlvb_document_type", "list"),
    "legal_validity": ("qlvb_legal_validity", "list"),
    "dossier": ("UID", "dossier"),
    "issued_from": ("qlvb_issued_date", "date_min"),
    "issued_to": ("qlvb_issued_date", "date_max"),
    "registered_from": ("qlvb_register_date", "date_min"),
    "registered_to": ("qlvb_register_date", "date_max"),
}

#: Sortable columns → catalog index.
SORTS = {
    "registered": "qlvb_register_date",
    "issued": "qlvb_issued_date",
    "created": "created",
    "title": "sortable_title",
    "urgency": "qlvb_urgency_rank",
    "state": "review_state",
}

#: The columns a user may choose for the results (key → label), in their order.
COLUMNS = {
    "number": _("column_number", default="Number and notation"),
    "title": _("column_title", default="Subject"),
    "kind": _("column_kind", default="Incoming / outgoing"),
    "document_type": _("column_document_type", default="Type"),
    "issued": _("column_issued", default="Issued on"),
    "issuer": _("column_issuer", default="Issued by"),
    "state": _("column_state", default="State"),
    "urgency": _("column_urgency", default="Urgency"),
    "legal_validity": _("column_legal_validity", default="Legal validity"),
    "registered": _("column_registered", default="Register number"),
    "text_status": _("column_text_status", default="File text"),
}
VALIDITY_TITLES = {"legal": _("validity_legal", default="Legally valid"),
                   "reference": _("validity_reference", default="For reference"),
                   "unsigned": _("validity_unsigned", default="Not signed")}
DEFAULT_COLUMNS = ("number", "title", "kind", "issued", "issuer", "state")

_OPERATORS = {"and", "or", "not"}
_PHRASE = re.compile(r'"([^"]*)"')


def _bad(field, message=None):
    return QlvbError(message or _("error_search_criterion", default="Bad search criterion: ${field}.",
                                  mapping={"field": field}), status=400)


def text_query(text):
    """The ZCTextIndex query of what a user typed: every word must be there (AND); words in
    quotes form a phrase; a word that the lexicon splits ("12/UBND-VP") is a phrase of its
    parts; ``*`` at a word's end matches any ending.  Returns None when nothing is left to
    search for.  Nothing the user types is an operator or a parenthesis of the query syntax."""
    text = normalize_text(text)
    if not text:
        return None
    terms = []
    rest = text
    for phrase in _PHRASE.findall(text):
        words = search_words(phrase)
        if words:
            terms.append('"' + " ".join(words) + '"')
    rest = _PHRASE.sub(" ", text).replace('"', " ")
    for word in rest.split():
        words = search_words(word, glob=True)
        words = [w.lstrip("*?") for w in words]
        words = [w for w in words if w.strip("*?")]
        if not words:
            continue
        if len(words) == 1:
            word = words[0]
            terms.append(f'"{word}"' if word in _OPERATORS else word)
        else:
            terms.append('"' + " ".join(w.replace("*", "").replace("?", "") for w in words) + '"')
    return " AND ".join(terms) if terms else None


#: The names of the date criteria in messages.
DATE_LABELS = {
    "issued_from": _("label_search_issued_from", default="Issued from"),
    "issued_to": _("label_search_issued_to", default="Issued until"),
    "registered_from": _("label_search_registered_from", default="Registered from"),
    "registered_to": _("label_search_registered_to", default="Registered until"),
}


def _label(field):
    from zope.i18n import translate

    label = DATE_LABELS.get(field)
    return translate(label, context=api.env.getRequest()) if label is not None else field


def parse_date(value, field):
    """A date typed as dd/mm/yyyy (or ISO yyyy-mm-dd); None when empty."""
    value = normalize_text(value) if isinstance(value, str) else "?"  # a date given twice: no date
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise QlvbError(_("error_search_date", default="${field}: enter a date as dd/mm/yyyy.",
                      mapping={"field": _label(field)}), status=400)


def visible_agencies():
    """Brains of the agencies the current user may see (the only ones he may search in)."""
    from dongthap.qlvb.desk.views import my_agencies

    return my_agencies()


def _values(value):
    if value in (None, ""):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [v for v in str(value).split(",") if v]


def build_query(criteria):
    """The catalog query of ``criteria`` (a mapping of :data:`CRITERIA` keys); raises a 400
    QlvbError on a value it cannot read. An agency the user may not see finds nothing."""
    query = {"portal_type": list(KINDS.values())}
    dates = {}
    for key, (index, kind) in CRITERIA.items():
        value = criteria.get(key)
        if value in (None, "", []):
            continue
        if kind == "text":
            text = text_query(value if isinstance(value, str) else " ".join(value))
            if text:
                query[index] = text
        elif kind == "kind":
            kinds = _values(value)
            if any(k not in KINDS for k in kinds):
                raise _bad(key)
            query[index] = [KINDS[k] for k in kinds]
        elif kind == "agency":
            paths = {b.getPath() for b in visible_agencies()}
            wanted = []
            for item in _values(value):
                match = [p for p in paths if p == item or p.rsplit("/", 1)[-1] == item]
                if not match:
                    raise _bad(key, _("error_search_agency", default="You may not search that agency."))
                wanted += match
            query[index] = {"query": wanted}
        elif kind == "list":
            query[index] = _values(value)
        elif kind == "dossier":
            dossier = api.content.get(UID=str(value))  # None when unseen: a user's view rights
            if dossier is None or not hasattr(dossier, "qlvb_items"):
                raise _bad(key)
            query["UID"] = [item["uid"] for item in dossier.qlvb_items] or ["-"]
        elif kind in ("date_min", "date_max"):
            dates.setdefault(index, [None, None])[0 if kind == "date_min" else 1] = parse_date(value, key)
    for index, (start, end) in dates.items():
        if start and end and start > end:
            raise QlvbError(_("error_search_dates", default="The start date is after the end date."),
                            status=400)
        if index == "qlvb_register_date":
            start = datetime.datetime.combine(start, datetime.time.min) if start else None
            end = datetime.datetime.combine(end, datetime.time.max) if end else None
        query[index] = date_range(start, end)
    return query


def search(criteria, batch=(0, PAGE_SIZE), sort=None, request=None):
    """One page of the documents matching ``criteria`` that the current user may view.
    ``sort`` = ``(key of SORTS, "ascending"|"descending")``; by default newest first."""
    query = build_query(criteria)
    if len(query) == 1 and not criteria.get("kind"):
        raise QlvbError(_("error_search_empty", default="Enter at least one search criterion."), status=400)
    key, order = sort or ("created", "descending")
    if not isinstance(key, str) or key not in SORTS or order not in ("ascending", "descending"):
        raise _bad("sort_on")
    query.update(sort_on=SORTS[key], sort_order=order)
    return paged([query], lambda brain: row(brain, request), *batch)


def _date(value):
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else ""


def row(brain, request=None):
    """Every column of one result (:data:`COLUMNS`), plus its url and uid."""
    from dongthap.qlvb.incoming.api import state_title as incoming_state
    from dongthap.qlvb.outgoing.api import state_title as outgoing_state
    from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
    from dongthap.qlvb.vocabularies.documents import URGENCY
    from zope.i18n import translate

    def tr(msg):
        return translate(msg, context=request) if request is not None else str(msg)

    incoming = brain.portal_type == "IncomingDocument"
    state = (incoming_state if incoming else outgoing_state)(brain.review_state)
    number = brain.qlvb_code_number or ""
    if number and brain.qlvb_code_notation:
        number = f"{number}/{brain.qlvb_code_notation}"
    registered = getattr(brain, "qlvb_register_number", None)
    return {
        "url": brain.getURL(),
        "uid": brain.UID,
        "number": number,
        "title": brain.Title,
        "kind": tr(_("kind_incoming", default="Incoming") if incoming
                   else _("kind_outgoing", default="Outgoing")),
        "document_type": DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0],
        "issued": _date(brain.qlvb_issued_date),
        "issuer": getattr(brain, "qlvb_issuing_agency_name", None) or "",
        "state": tr(state),
        "urgency": tr(dict(URGENCY)[brain.qlvb_urgency]) if brain.qlvb_urgency in dict(URGENCY) else "",
        "legal_validity": _validity(getattr(brain, "qlvb_legal_validity", None), tr),
        "registered": str(registered) if registered else "",
        "text_status": _text_status(brain, tr),
    }


def _validity(value, tr):
    return tr(VALIDITY_TITLES[value]) if value in VALIDITY_TITLES else (value or "")


def _text_status(brain, tr):
    from dongthap.qlvb.search.fulltext import STATUSES

    status = getattr(brain, "qlvb_fulltext_status", None)
    return tr(STATUSES[status]) if status in STATUSES else ""
