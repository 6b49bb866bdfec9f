"""The glance: the Overview sealed at a lock, shown the moment the passphrase is right.

What a guide would notice: the figures shown before the records are read are exactly those
the Overview counts afterwards, on any day of the month; nothing stale, tampered or erased
is ever shown; and a wrong passphrase still opens nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kisi_desktop.core.clock import FixedClock
from kisi_desktop.core.domain import Contact, FollowUp, Municipality, Person
from kisi_desktop.core.errors import VaultCorrupt, VaultInUse, WrongSecret
from kisi_desktop.core.overview import month_overview
from kisi_desktop.core.overview_glance import encode_glance, glance_days, read_glance
from kisi_desktop.core.store.glance import MAX_BYTES, glance_path
from kisi_desktop.core.store.opening import open_file
from kisi_desktop.core.store.snapshot import snapshot_path
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASS = "Sonnenblume am Fenster"
NOW = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
MARCH = [date(2026, 3, d) for d in range(1, 32)]


def _clock(day: date) -> FixedClock:
    return FixedClock(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC))


def _open(path: Path, day: date = TODAY, **kw: object) -> Workspace:
    return Workspace.open(
        path,
        passphrase=PASS,
        snapshot_min_records=1,
        clock=_clock(day),
        **kw,  # type: ignore[arg-type]
    )


def _glance_bytes(path: Path) -> bytes | None:
    opened = open_file(path, passphrase=PASS)
    try:
        return opened.glance()
    finally:
        opened.close()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A locked vault with people, contacts and follow-ups due across March."""
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(
        path, PASS, kdf=TEST_PARAMS, clock=FixedClock(NOW), snapshot_min_records=1
    )
    ws.add(Municipality(ags="06534011", name="Kirchhain"))
    amina, omid = ws.add(Person(name="Amina Haidari")), ws.add(Person(name="Omid Rahimi"))
    ws.save(
        [
            Contact(
                person_id=amina.id,
                contacted_on=date(2026, 2, 20),
                mode="office",
                duration_minutes=30,
            ),
            Contact(
                person_id=amina.id,
                contacted_on=date(2026, 3, 2),
                mode="office",
                duration_minutes=30,
            ),
            Contact(
                person_id=omid.id, contacted_on=date(2026, 3, 6), mode="phone", duration_minutes=20
            ),
            # Follow-ups: late already, due in the month's second half, due next month
            # (within a week of its end), one done, and one too far out for any March day.
            FollowUp(person_id=amina.id, due_on=date(2026, 3, 1), text="Jobcenter anrufen"),
            FollowUp(person_id=omid.id, due_on=date(2026, 3, 20), text="Kita-Anmeldung"),
            FollowUp(due_on=date(2026, 4, 5), text="Raum für den Infoabend buchen"),
            FollowUp(person_id=omid.id, due_on=date(2026, 3, 3), text="erledigt", done=True),
            FollowUp(person_id=amina.id, due_on=date(2026, 4, 20), text="später"),
        ],
        "import",
    )
    ws.lock()
    return path


def test_a_lock_seals_the_overview_as_the_unlock_counts_it_on_every_day_of_the_month(
    vault: Path,
) -> None:
    data = _glance_bytes(vault)
    assert data is not None and glance_path(vault).is_file()
    for day in MARCH:
        glance = read_glance(data, day)
        ws = _open(vault, day)
        try:
            assert glance is not None and glance.overview == month_overview(ws)
        finally:
            ws.lock()
    assert glance is not None and glance.municipalities == ("Kirchhain",)
    assert [item.text for item in glance.overview.due] == [
        "Jobcenter anrufen",
        "Kita-Anmeldung",
        "Raum für den Infoabend buchen",
    ]


def test_the_glance_holds_no_plain_text_on_disk(vault: Path) -> None:
    raw = glance_path(vault).read_bytes()
    for text in ("Amina", "Jobcenter", "Kirchhain", "Kita"):
        assert text.encode() not in raw and text.encode("utf-16-le") not in raw


def test_a_glance_serves_the_next_month_too_and_the_next_lock_adds_the_one_after(
    vault: Path,
) -> None:
    data = _glance_bytes(vault)
    assert data is not None
    assert read_glance(data, date(2026, 5, 1)) is None  # (two months ahead: not sealed)
    assert read_glance(data, date(2026, 2, 28)) is None
    # Locked in March, opened on the 1st of April: the April seen at once is the April
    # the records give (the two overdue March follow-ups among it).
    glance = read_glance(data, date(2026, 4, 1))
    ws = _open(vault, date(2026, 4, 1))
    assert glance is not None and glance.overview == month_overview(ws)
    # Its lock, nothing changed: the glance lacks May, so it is sealed again.
    closing = ws.begin_lock()
    assert closing.takes_time and not closing.writes_snapshot
    closing.finish()
    april = _glance_bytes(vault)
    assert april is not None and read_glance(april, date(2026, 3, 31)) is None
    for day in (date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 31)):
        glance = read_glance(april, day)
        ws = _open(vault, day)
        try:
            assert glance is not None and glance.overview == month_overview(ws)
        finally:
            ws.vault.close()  # (no lock: the glance stays as it was)
    assert glance.overview.contacts == 0 and glance.overview.overdue == 4  # (all late by then)


def test_a_lock_without_changes_in_the_same_month_has_nothing_slow_to_do(vault: Path) -> None:
    before = glance_path(vault).read_bytes()
    ws = _open(vault, date(2026, 3, 28))
    closing = ws.begin_lock()
    assert not closing.takes_time
    closing.finish()
    assert glance_path(vault).read_bytes() == before


def test_a_write_after_the_lock_makes_the_glance_stale(vault: Path) -> None:
    ws = _open(vault)
    ws.add(Person(name="Lena Schmidt"))
    ws.vault.close()  # a crash: no lock, no new glance
    assert _glance_bytes(vault) is None
    ws = _open(vault)
    assert ws.count(Person) == 3
    ws.lock()  # the lock seals the vault as it is now
    data = _glance_bytes(vault)
    assert data is not None and read_glance(data, TODAY) is not None


def test_a_glance_put_back_from_before_an_erasure_never_opens(vault: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept.glance"
    shutil.copyfile(glance_path(vault), kept)
    ws = _open(vault)
    (omid,) = [p for p in ws.list(Person) if p.name == "Omid Rahimi"]
    ws.erase_person(omid.id)
    ws.lock()
    data = _glance_bytes(vault)
    assert data is not None
    glance = read_glance(data, date(2026, 3, 20))
    assert glance is not None
    assert "Omid Rahimi" not in {item.person_name for item in glance.overview.due}
    shutil.copyfile(kept, glance_path(vault))  # the copy made before the erasure
    assert _glance_bytes(vault) is None


def test_a_glance_from_before_the_erasure_does_not_open_even_before_the_next_lock(
    vault: Path, tmp_path: Path
) -> None:
    kept = glance_path(vault).read_bytes()
    ws = _open(vault)
    (omid,) = [p for p in ws.list(Person) if p.name == "Omid Rahimi"]
    ws.erase_person(omid.id)
    assert not glance_path(vault).exists()  # removed with the snapshot
    ws.vault.close()  # a crash right after the erasure
    glance_path(vault).write_bytes(kept)  # (as an undelete tool could bring it back)
    assert _glance_bytes(vault) is None  # the snapshot's key, its root, is gone


def test_renewing_every_key_leaves_no_glance_that_opens(vault: Path) -> None:
    old = glance_path(vault).read_bytes()
    ws = _open(vault)
    ws.renew_keys(PASS, kdf=TEST_PARAMS)
    glance_path(vault).write_bytes(old)
    ws.vault.close()
    assert _glance_bytes(vault) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[:-1] + bytes([raw[-1] ^ 1]),
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"",
        lambda raw: raw + b"\0" * (MAX_BYTES + 1),
    ],
    ids=["flipped bit", "cut short", "empty", "too large"],
)
def test_a_damaged_glance_is_not_shown_and_the_vault_still_opens(vault: Path, damage) -> None:  # type: ignore[no-untyped-def]
    path = glance_path(vault)
    path.write_bytes(damage(path.read_bytes()))
    assert _glance_bytes(vault) is None
    ws = _open(vault)
    assert ws.count(Person) == 2
    ws.lock()


def test_a_glance_of_another_vault_does_not_open(vault: Path, tmp_path: Path) -> None:
    other = tmp_path / "other" / "vault.kisi"
    other.parent.mkdir()
    shutil.copyfile(vault, other)
    shutil.copyfile(snapshot_path(vault), snapshot_path(other))
    ws = _open(vault)
    ws.add(Person(name="Lena Schmidt"))
    ws.lock()  # a new glance for the first vault, of another state
    shutil.copyfile(glance_path(vault), glance_path(other))
    assert _glance_bytes(other) is None


def test_a_vault_too_small_for_a_snapshot_keeps_no_glance(tmp_path: Path) -> None:
    path = tmp_path / "vault.kisi"
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS, clock=FixedClock(NOW))
    ws.add(Person(name="Amina Haidari"))
    ws.lock()
    assert not snapshot_path(path).exists() and not glance_path(path).exists()
    assert _glance_bytes(path) is None


def test_the_first_step_refuses_a_wrong_passphrase_and_holds_the_vault_until_closed(
    vault: Path,
) -> None:
    with pytest.raises(WrongSecret):
        open_file(vault, passphrase="falsch falsch falsch")
    opened = open_file(vault, passphrase=PASS)
    with pytest.raises(VaultInUse):
        open_file(vault, passphrase=PASS)
    # The second step takes the file over: no second key derivation, the same lock.
    ws = Workspace.open(vault, opened=opened, snapshot_min_records=1, clock=_clock(TODAY))
    assert ws.count(Person) == 2
    with pytest.raises(VaultInUse):
        open_file(vault, passphrase=PASS)
    ws.lock()
    open_file(vault, passphrase=PASS).close()


def test_the_second_step_closes_the_file_when_it_fails(vault: Path) -> None:
    opened = open_file(vault, passphrase=PASS)
    conn = sqlite3.connect(vault)
    conn.execute("UPDATE data_key SET wrapped = zeroblob(60)")  # altered between the steps
    conn.commit()
    conn.close()
    with pytest.raises(VaultCorrupt):
        Workspace.open(vault, opened=opened)
    open_file(vault, passphrase=PASS).close()  # (no lock left behind)


def test_the_glance_reads_back_what_was_sealed() -> None:
    day = date(2026, 3, 9)
    data = encode_glance([month_overview_stub(day)], ("Kirchhain", "Rauschenberg"))
    glance = read_glance(data, day)
    assert glance is not None
    assert glance.overview == month_overview_stub(day)
    assert glance.municipalities == ("Kirchhain", "Rauschenberg")


def month_overview_stub(day: date):  # type: ignore[no-untyped-def]
    from kisi_desktop.core.overview import DueFollowUp, Month, MonthOverview

    due = (DueFollowUp("f1", day - timedelta(days=2), "Jobcenter", "p1", "Amina", True),)
    return MonthOverview(Month.of(day), day, 12, 9, 3, 2, 1, 40, due, people=15)


@given(st.binary(max_size=300))
def test_any_bytes_give_a_glance_or_none(data: bytes) -> None:
    result = read_glance(data, date(2026, 3, 9))
    assert result is None or result.overview.month.first == date(2026, 3, 1)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(_JSON, st.sampled_from(["format", "months", "municipalities", "month", "contacts", "due"]))
def test_a_glance_with_any_field_replaced_gives_a_glance_or_none(value: object, field: str) -> None:
    import json

    day = date(2026, 3, 9)
    raw = json.loads(encode_glance([month_overview_stub(day)], ("Kirchhain",)))
    if field in raw:
        raw[field] = value
    else:
        raw["months"][0][field] = value
    result = read_glance(json.dumps(raw).encode(), day)
    assert result is None or result.overview.today == day


def test_the_days_a_lock_counts_for_serve_this_month_and_the_next() -> None:
    assert glance_days(date(2026, 2, 3)) == (date(2026, 2, 28), date(2026, 3, 31))
    assert glance_days(date(2028, 1, 31)) == (date(2028, 1, 31), date(2028, 2, 29))
    assert glance_days(date(2026, 12, 24)) == (date(2026, 12, 31), date(2027, 1, 31))


def test_a_temporary_file_left_by_a_crash_neither_stays_nor_lends_its_mode(vault: Path) -> None:
    tmp = glance_path(vault).with_name(glance_path(vault).name + ".tmp")
    tmp.write_bytes(b"left by a crash")
    tmp.chmod(0o644)
    ws = _open(vault, date(2026, 4, 2))  # another month: the lock seals a new glance
    ws.lock()
    assert (glance_path(vault).stat().st_mode & 0o777) == 0o600
    assert not tmp.exists()
    tmp.write_bytes(b"left by a crash")
    ws = _open(vault, date(2026, 4, 2))
    (omid,) = [p for p in ws.list(Person) if p.name == "Omid Rahimi"]
    ws.erase_person(omid.id)  # the snapshot's key goes, and both files with it
    assert not tmp.exists() and not glance_path(vault).exists()
    ws.lock()
