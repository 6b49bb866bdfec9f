"""`python -m kisi_desktop` starts the desktop app (the same as the `kisi-desktop` command)."""

import sys

from kisi_desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
