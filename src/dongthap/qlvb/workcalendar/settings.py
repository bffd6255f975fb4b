"""Settings of the work calendar: how long an iCal subscription address stays valid."""

from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import Setting, SettingsGroup, positive_int
from zope import schema
from zope.interface import Interface

PREFIX = "dongthap.qlvb.workcalendar"
ENV_FEED_DAYS = "QLVB_CALENDAR_FEED_DAYS"


class IWorkCalendarSettings(Interface):
    """Registry records of the work calendar."""

    feed_token_days = schema.Int(
        title=_("label_calendar_feed_days", default="Days a calendar subscription address stays valid"),
        description=_("help_calendar_feed_days",
                      default="After this many days from when it was made, an iCal address answers "
                              "\"expired\" (410) until its owner makes a new one."),
        default=365,
        min=1,
        max=3650,
        required=True,
    )


SETTINGS = SettingsGroup("Work calendar", interface=IWorkCalendarSettings, prefix=PREFIX, settings=(
    Setting(ENV_FEED_DAYS, record="feed_token_days", parse=positive_int,
            doc="Days an iCal subscription address of the leaders' work calendar stays valid after it "
                "was made (then 410 \"expired\" until its owner makes a new one or revokes it)."),
))


def feed_token_days() -> int:
    return int(SETTINGS.value(ENV_FEED_DAYS))
