"""Make one generation of golden vault files (SECURITY.md test plan, I3). Run it ONCE per
format version of the vault, commit what it wrote, and never run it for that generation
again.

    .venv/bin/python tests/golden/vault/make.py v2

writes ``tests/golden/vault/v2/``: a vault made by today's code from a tiny deterministic
demo (8 people, clock fixed), with one person erased and one note whose text is known, a
backup of it as ``kisi backup`` writes one, and ``facts.json`` (what the vault holds and
each file's SHA-256). Test key-derivation parameters and a passphrase written down here:
the files are evidence that later releases still open what this one wrote, not secrets.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from kisi_desktop.core.backup import plan_backup, write_backup
from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.demo.generator import generate
from kisi_desktop.core.domain import Note, Person
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

HERE = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PEOPLE = 8
SEED = 2026
PASSPHRASE = "golden vault, test only"
NOTE = "Goldene Notiz: Sprachkurs B1 ab März, Kita-Platz zugesagt"
VAULT = "vault.kisi"
BACKUP = "vault.kisibackup"
FACTS = "facts.json"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(work: Path, out: Path) -> None:
    """The vault, its backup and facts.json of one generation, written into ``out``."""
    clock = FixedClock(NOW)
    ws, code = Workspace.create(work / VAULT, PASSPHRASE, kdf=TEST_PARAMS, clock=clock)
    try:
        generate(ws, PEOPLE, random.Random(SEED), clock)
        keeper = ws.add(Person(name="Golden Keeper", nationalities=("SY",)))
        ws.add(Note(person_id=keeper.id, written_on=date(2026, 11, 2), text=NOTE))
        gone = ws.add(Person(name="Golden Erased", nationalities=("AF",)))
        ws.add(Note(person_id=gone.id, written_on=date(2026, 11, 3), text="erased with her"))
        ws.erase_person(gone.id)
        counts = Counter(kind for kind, _rid in _all(ws))
        backup = write_backup(plan_backup(ws, work / "backups"))
        audit_seq = ws.vault.audit_seq()
    finally:
        ws.lock()
    out.mkdir(parents=True)
    shutil.copyfile(work / VAULT, out / VAULT)
    shutil.copyfile(backup.path, out / BACKUP)
    facts = {
        "made": NOW.isoformat(),
        "passphrase": PASSPHRASE,
        "recovery_code": code,
        "note": NOTE,
        "note_owner": keeper.id,
        "erased": gone.id,
        "audit_seq": audit_seq,
        "records": dict(sorted(counts.items())),
        "sha256": {name: _sha256(out / name) for name in (VAULT, BACKUP)},
    }
    (out / FACTS).write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")


def _all(ws: Workspace) -> list[tuple[str, str]]:
    rows = ws.working_set.conn.execute("SELECT kind, id FROM item").fetchall()
    return [(str(kind), str(rid)) for kind, rid in rows]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    out = HERE / argv[1]
    if out.exists():
        print(f"{out} exists: golden files are never regenerated", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        make(Path(tmp), out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
