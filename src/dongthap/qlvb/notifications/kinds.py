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
    # tasks (giao việc, tasks/api.py and the reminder job)
    "task_lead": (
        _("notif_kind_task_lead", default="A task given to me"),
        _("notif_text_task_lead", default="You lead the task (due ${deadline}): ${title}")),
    "task_coordinator": (
        _("notif_kind_task_coordinator", default="A task I coordinate"),
        _("notif_text_task_coordinator", default="You coordinate the task (due ${deadline}): ${title}")),
    "task_informed": (
        _("notif_kind_task_informed", default="A task for my information"),
        _("notif_text_task_informed", default="For your information, task: ${title}")),
    "task_progress": (
        _("notif_kind_task_progress", default="Progress of a task I gave"),
        _("notif_text_task_progress", default="Progress ${percent}% reported on the task: ${title}")),
    "task_extension_requested": (
        _("notif_kind_task_extension_requested", default="An extension asked on a task I gave"),
        _("notif_text_task_extension_requested",
          default="Extension to ${deadline} asked on the task: ${title}")),
    "task_extension_granted": (
        _("notif_kind_task_extension_granted", default="Extension of my task granted"),
        _("notif_text_task_extension_granted",
          default="Extension granted (new deadline ${deadline}): ${title}")),
    "task_extension_refused": (
        _("notif_kind_task_extension_refused", default="Extension of my task refused"),
        _("notif_text_task_extension_refused", default="Extension refused (deadline ${deadline}): ${title}")),
    "task_completed": (
        _("notif_kind_task_completed", default="A task I gave completed"),
        _("notif_text_task_completed", default="Task completed, to be evaluated: ${title}")),
    "task_evaluated": (
        _("notif_kind_task_evaluated", default="My task evaluated"),
        _("notif_text_task_evaluated", default="Your task was evaluated: ${title}")),
    "task_reopened": (
        _("notif_kind_task_reopened", default="My task sent back"),
        _("notif_text_task_reopened", default="Your task must be done again: ${title}")),
    "task_cancelled": (
        _("notif_kind_task_cancelled", default="My task cancelled"),
        _("notif_text_task_cancelled", default="The task was cancelled: ${title}")),
    "task_changed": (
        _("notif_kind_task_changed", default="A task of mine changed"),
        _("notif_text_task_changed", default="The task was changed (deadline ${deadline}): ${title}")),
    "task_due_soon": (
        _("notif_kind_task_due_soon", default="A task near its deadline"),
        _("notif_text_task_due_soon", default="Task due in ${days} day(s): ${title}")),
    "task_overdue": (
        _("notif_kind_task_overdue", default="An overdue task"),
        _("notif_text_task_overdue", default="Task overdue by ${days} day(s): ${title}")),
    # the weekly work calendar (workcalendar/)
    "calendar_to_approve": (
        _("notif_kind_calendar_to_approve", default="A work calendar event to approve"),
        _("notif_text_calendar_to_approve",
          default="Work calendar event waiting for your approval (${when}): ${title}")),
    "calendar_published": (
        _("notif_kind_calendar_published", default="An event of the work calendar concerning me"),
        _("notif_text_calendar_published", default="Work calendar (${when}, ${place}): ${title}")),
    "calendar_changed": (
        _("notif_kind_calendar_changed", default="A change of the work calendar"),
        _("notif_text_calendar_changed", default="Work calendar changed (now ${when}, ${place}): ${title}")),
    "calendar_cancelled": (
        _("notif_kind_calendar_cancelled", default="An event of the work calendar cancelled"),
        _("notif_text_calendar_cancelled", default="Work calendar event cancelled (${when}): ${title}")),
    "calendar_returned": (
        _("notif_kind_calendar_returned", default="A work calendar event returned"),
        _("notif_text_calendar_returned",
          default="The leader returned the work calendar event (${when}): ${title}")),
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
