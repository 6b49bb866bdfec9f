"""A demo ministry beside the demo vault, so a new user can try the whole round.

``kisi-desktop --demo`` makes a demo vault; with this, the same start also makes a DEMO
ministry folder next to it, installs that ministry's (demo-marked) provisioning file in
the vault and registers the demo town's signing key there. The guide can then export a
bundle on the Sync page and open it in ``kisi-desktop --ministry <folder>``. Everything
in it says DEMO; the app never takes these keys for a vault that is not the demo.
"""

from __future__ import annotations

from pathlib import Path

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.workspace import Workspace

from kisi_desktop.bundles.keys import signer
from kisi_desktop.bundles.provisioning import fingerprint, install_provisioning
from kisi_desktop.ministry import registry
from kisi_desktop.ministry.keys import init_ministry
from kisi_desktop.ministry.provision import make_provisioning

FOLDER = "ministry"


def demo_ministry_path(vault_path: Path) -> Path:
    """Where the demo ministry of the demo vault at ``vault_path`` lives."""
    return vault_path.parent / FOLDER


def ensure_demo_ministry(vault_path: Path, passphrase: str) -> Path | None:
    """Make the demo ministry and connect the demo vault to it, unless it exists.

    Returns the folder when made now, None when it was there already.
    """
    folder = demo_ministry_path(vault_path)
    if folder.exists():
        return None
    ws = Workspace.open(vault_path, passphrase=passphrase)
    try:
        with init_ministry(folder, demo=True) as ministry:
            assert ministry.root is not None  # noqa: S101 - a new folder has its root key
            install_provisioning(
                ws,
                make_provisioning(ministry),
                confirmed_fingerprint=fingerprint(ministry.root.public.base64()),
                allow_demo=True,
            )
            towns = ws.list(Municipality)
            if towns:
                town = towns[0]
                registry.register(
                    ministry, ags=town.ags, name=town.name, key=signer(ws).public.text()
                )
    finally:
        ws.lock()
    return folder
