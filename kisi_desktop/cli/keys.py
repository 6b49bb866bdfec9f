"""``kisi keys show``: the municipality id, device id and public signing key (minisign)."""

from __future__ import annotations

import argparse
from typing import Any

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.i18n import _

from kisi_desktop.bundles.keys import signer
from kisi_desktop.cli.args import add_actions, add_json
from kisi_desktop.cli.command_list import command_help
from kisi_desktop.cli.main import Context


def register(sub: Any) -> None:
    """Add ``keys``."""
    p = sub.add_parser("keys", help=command_help("keys"))
    actions = add_actions(p)
    show = actions.add_parser(
        "show", help=_("municipality, device and the public signing key to register")
    )
    add_json(show)
    show.set_defaults(handler=show_keys)


def show_keys(ctx: Context, args: argparse.Namespace) -> int:
    """Print what the ministry needs to register this device; creates the key on first use."""
    ws = ctx.open_workspace()
    me = signer(ws)
    towns = sorted(ws.list(Municipality), key=lambda m: m.ags)
    ags = towns[0].ags if towns else None
    public = me.public
    data = {
        "municipality_ags": ags,
        "device_id": me.device_id,
        "device_epoch": me.epoch,
        "key_id": public.key_id_hex(),
        "minisign": public.text(),
    }
    ctx.emit(
        data,
        [
            _("Municipality (AGS): {ags}").format(ags=ags or "-"),
            _("Device: {device}, epoch {epoch}").format(device=me.device_id, epoch=me.epoch),
            _("Public signing key (minisign), to register with the ministry:"),
            public.text().rstrip("\n"),
        ],
    )
    return 0
