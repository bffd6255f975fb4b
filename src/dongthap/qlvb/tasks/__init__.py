"""Tasks (giao việc): work a leader gives, not tied to an incoming document (docs/tasks.md)."""
