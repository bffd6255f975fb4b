"""The leaders' weekly work calendar (lịch công tác tuần) of each agency; see docs/calendar.md."""
