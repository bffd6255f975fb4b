"""The kinds of notification, with their Vietnamese texts (e-mail subject and list line)."""

from dongthap.qlvb.i18n import _

#: kind → (title in the preferences, text of one notification with ${title} and ${days})
KINDS = {
    "to_register": (
        _("notif_kind_to_register", default="A document to register"),
        _("notif_text_to_register", default="New incoming document to register: ${title}")),
    "to_assign": (
        _("notif_kind_to_assign", default="A document to assign"),
        _("notif_text_to_assign", default="Incoming document waiting for your assignment: ${title}")),
    "assigned_lead": (
        _("notif_kind_assigned_lead", default="Assigned to me: lead"),
        _("notif_text_assigned_lead", default="You lead the handling of: ${title}")),
    "assigned_coordinator": (
        _("notif_kind_assigned_coordinator", default="Assigned to me: coordination"),
        _("notif_text_assigned_coordinator", default="You coordinate the handling of: ${title}")),
    "assigned_fyi": (
        _("notif_kind_assigned_fyi", default="Assigned to me: for information"),
        _("notif_text_assigned_fyi", default="For your information: ${title}")),
    "returned": (
        _("notif_kind_returned", default="My draft returned"),
        _("notif_text_returned", default="Your draft was returned: ${title}")),
    "to_review": (
        _("notif_kind_to_review", default="A draft to review"),
        _("notif_text_to_review", default="Draft waiting for your review: ${title}")),
    "to_sign": (
        _("notif_kind_to_sign", default="A document to sign"),
        _("notif_text_to_sign", default="Document waiting for your signature: ${title}")),
    "to_issue": (
        _("notif_kind_to_issue", default="A document to issue"),
        _("notif_text_to_issue", default="Signed document waiting to be issued: ${title}")),
    "issued": (
        _("notif_kind_issued", default="My document issued"),
        _("notif_text_issued", default="Your document was issued: ${title}")),
    "recalled": (
        _("notif_kind_recalled", default="A document recalled"),
        _("notif_text_recalled", default="The sender recalled the document: ${title}")),
    "due_soon": (
        _("notif_kind_due_soon", default="Deadline near"),
        _("notif_text_due_soon", default="Due in ${days} day(s): ${title}")),
    "overdue": (
        _("notif_kind_overdue", default="Overdue"),
        _("notif_text_overdue", default="Overdue by ${days} day(s): ${title}")),
    "overdue_escalated": (
        _("notif_kind_overdue_escalated", default="Overdue work of my staff"),
        _("notif_text_overdue_escalated",
          default="Overdue by ${days} day(s) (handled by ${person}): ${title}")),
    "dossier_due": (
        _("notif_kind_dossier_due", default="A dossier due for transfer"),
        _("notif_text_dossier_due", default="Dossier due for transfer to the archive on ${due}: ${title}")),
    "reply_due_soon": (
        _("notif_kind_reply_due_soon", default="A reply to my document due soon"),
        _("notif_text_reply_due_soon",
          default="The reply of ${recipient} is due in ${days} day(s): ${title}")),
    "reply_overdue": (
        _("notif_kind_reply_overdue", default="A reply to my document overdue"),
        _("notif_text_reply_overdue",
          default="The reply of ${recipient} is overdue by ${days} day(s): ${title}")),
    "delegation_started": (
        _("notif_kind_delegation_started", default="A delegation to me starts"),
        _("notif_text_delegation_started",
          default="${person} delegated to you until ${end}: ${title}")),
    "delegation_revoked": (
        _("notif_kind_delegation_revoked", default="A delegation to me revoked"),
        _("notif_text_delegation_revoked", default="${person} revoked the delegation: ${title}")),
}
