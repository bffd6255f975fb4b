"""The start page: the desk ("Bàn làm việc") of the current user (dongthap.qlvb.desk)."""

from dongthap.qlvb.desk.views import DeskView


class HomeView(DeskView):
    """The agencies the user works in, his work lists with their counts, a search box."""
