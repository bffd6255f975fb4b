"""The desk ("Bàn làm việc"): the start page after login, with the user's work lists and their
counts, the top navigation, the quick search; the sort keys of paged work lists (docs/desk.md)."""
