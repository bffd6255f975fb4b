"""Legal register numbering (số đến, số văn bản đi) — see :mod:`.counter`."""

from dongthap.qlvb.numbering.counter import current_year  # noqa: F401
from dongthap.qlvb.numbering.counter import next_number  # noqa: F401
from dongthap.qlvb.numbering.counter import peek_number  # noqa: F401
from dongthap.qlvb.numbering.counter import vietnam_now  # noqa: F401
from dongthap.qlvb.numbering.retry import run_in_transaction  # noqa: F401
