#!/usr/bin/env python3
"""Write (or ``--check``) the one table of settings in ``docs/settings.md``.

The table is generated from the declarations (``dongthap.qlvb.utils.settings``:
every ``SETTINGS`` group of ``GROUP_MODULES``); ``tests/test_settings_doc.py``
fails when the committed file and the code differ.  Usage::

    .venv/bin/python scripts/settings_doc.py           # rewrite docs/settings.md
    .venv/bin/python scripts/settings_doc.py --check   # exit 1 when it is out of date
"""

import argparse
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
HEAD = """# Settings

Every setting of the system, in one table: the environment variable, the registry record
it overrides (edited in the control panel; the environment wins), its type and default.
A value the type refuses is reported with a translated error naming the variable.
Generated from the declarations in the code (`SETTINGS` of the modules listed in
`dongthap.qlvb.utils.settings.GROUP_MODULES`) by `scripts/settings_doc.py`; do not edit
the table by hand (`tests/test_settings_doc.py` fails when it and the code differ).

"""


def render() -> str:
    from dongthap.qlvb.utils.settings import markdown_table

    return HEAD + markdown_table()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when different")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not DOC.is_file() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is out of date: run scripts/settings_doc.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
