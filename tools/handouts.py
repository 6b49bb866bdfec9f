"""Maintainer tool for the shipped handout texts (``resources/handouts``).

    python tools/handouts.py check   # same as `kisi handout check` on the shipped folder
    python tools/handouts.py stamp   # PENDING source hashes -> the current German hash

Stamping records which German text a new translation was made from; it never marks a
translation reviewed (that is `kisi handout review`, done by a person who read it).
"""

from __future__ import annotations

import sys

from kisi_desktop.handouts.catalog import load_catalog, shipped_folder
from kisi_desktop.handouts.checks import check_catalog, stamp_pending


def main(argv: list[str]) -> int:
    """Run ``check`` or ``stamp``; exit 1 when check finds problems."""
    if argv[1:] == ["check"]:
        problems = check_catalog(load_catalog())
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s)")
        return 1 if problems else 0
    if argv[1:] == ["stamp"]:
        for path in stamp_pending(shipped_folder(), load_catalog()):
            print(f"stamped {path}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
