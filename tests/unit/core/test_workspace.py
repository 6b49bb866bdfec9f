"""The Workspace façade over a real vault file: what the CLI and GUI rely on."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.domain import (
    Activity,
    Contact,
    Note,
    Person,
    Volunteer,
    VolunteerDeployment,
)
from kisi_desktop.core.domain.registry import RECORD_TYPES
from kisi_desktop.core.errors import RecordNotFound, ValidationError, VaultLocked, WrongSecret
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

from tests.support.marker_scan import scan
from tests.support.samples import full_samples

PASS = "Sonnenblume am Fenster"
DAY = date(2026, 3, 2)


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "office" / "vault.kisi"


def _create(path: Path) -> Workspace:
    ws, _code = Workspace.create(path, PASS, kdf=TEST_PARAMS)
    return ws


def _save_samples(ws: Workspace) -> dict[str, object]:
    samples = full_samples()
    # Referenced records that the samples point to by id must exist for erasure tests only;
    # storing every kind in one action is what a demo import does.
    ws.save(list(samples.values()), "import")
    return samples


def test_every_record_kind_survives_lock_and_unlock(vault_path: Path) -> None:
    ws = _create(vault_path)
    samples = _save_samples(ws)
    assert set(samples) == set(RECORD_TYPES), "the samples must cover every kind"
    ws.lock()
    ws = Workspace.open(vault_path, passphrase=PASS)
    assert ws.problems == ()
    for kind, record in samples.items():
        assert ws.get(type(record), record.id) == record, kind
    ws.lock()


def test_update_keeps_creation_time_and_bumps_version(vault_path: Path) -> None:
    ws = _create(vault_path)
    person = ws.add(Person(name="Amina Haidari", nationalities=("AF",)))
    created = ws.meta(person.id)["created_at"]
    ws.update(dataclasses.replace(person, phone="+49 151 2345678"))
    assert ws.meta(person.id)["created_at"] == created
    assert ws.vault.version_of(person.id) == 2
    assert ws.get(Person, person.id).phone == "+49 151 2345678"
    ws.lock()


def test_invalid_record_is_refused_and_nothing_is_stored(vault_path: Path) -> None:
    ws = _create(vault_path)
    with pytest.raises(ValidationError) as err:
        ws.add(Person(name="Samir", nationalities=("QQ",)))
    assert err.value.field == "nationalities"
    assert ws.count(Person) == 0
    ws.lock()


def test_search_finds_names_and_notes_in_any_script(vault_path: Path) -> None:
    ws = _create(vault_path)
    tigrinya = ws.add(Person(name="ተስፋይ ገብረመድህን", nationalities=("ER",)))
    arabic = ws.add(Person(name="محمد الأحمد", nationalities=("SY",)))
    note = ws.add(Note(person_id=arabic.id, written_on=DAY, text="Termin bei der Ausländerbehörde"))
    assert [h.id for h in ws.search("ተስፋይ")] == [tigrinya.id]
    assert [h.id for h in ws.search("محمد")] == [arabic.id]
    assert [h.id for h in ws.search("auslanderbeh")] == [note.id]
    ws.lock()
    ws = Workspace.open(vault_path, passphrase=PASS)
    assert [h.id for h in ws.search("Ausländerbehörde")] == [note.id]
    ws.lock()


def test_wrong_passphrase_then_recovery_code(vault_path: Path) -> None:
    ws, code = Workspace.create(vault_path, PASS, kdf=TEST_PARAMS)
    ws.add(Person(name="Olena Kovalenko", nationalities=("UA",)))
    ws.lock()
    with pytest.raises(WrongSecret):
        Workspace.open(vault_path, passphrase="Sonnenblume am Fenster!")
    ws = Workspace.open(vault_path, recovery_code=code)
    assert [p.name for p in ws.list(Person)] == ["Olena Kovalenko"]
    ws.lock()


def test_lock_drops_records_and_refuses_use(vault_path: Path) -> None:
    ws = _create(vault_path)
    ws.add(Person(name="Yonas Tesfaye", nationalities=("ER",)))
    ws.lock()
    assert ws.locked
    with pytest.raises(VaultLocked):
        ws.list(Person)
    with pytest.raises(VaultLocked):
        ws.search("Yonas")


def test_export_holds_everything_on_the_person(vault_path: Path) -> None:
    ws = _create(vault_path)
    samples = _save_samples(ws)
    person = samples["person"]
    data = ws.export_person(person.id)
    kinds = {r["kind"] for r in data["records"]}
    assert {"person", "contact", "note", "consent", "case", "referral", "outcome"} <= kinds
    assert {m["kind"] for m in data["mentioned_in"]} >= {"activity"}
    assert json.loads(json.dumps(data)) == data
    ws.lock()


def test_export_leaves_out_the_other_participants_of_an_event(vault_path: Path) -> None:
    """Art. 15(4) GDPR: the person's copy names the events they attended, not who else did."""
    ws = _create(vault_path)
    farid = ws.add(Person(name="Farid Ahmadi", nationalities=("AF",)))
    others = [ws.add(Person(name=f"Teilnehmerin {n}", nationalities=("SY",))) for n in range(3)]
    event = ws.add(
        Activity(
            activity_type="information_event",
            title="Infoabend Kita",
            starts_on=DAY,
            municipality_ags="06534011",
            is_event=True,
            participant_ids=(others[0].id, farid.id, others[1].id),
        )
    )
    alone = ws.add(
        Activity(
            activity_type="information_event",
            title="Sprechstunde",
            starts_on=DAY,
            municipality_ags="06534011",
            participant_ids=(farid.id,),
        )
    )
    data = ws.export_person(farid.id)
    text = json.dumps(data)
    assert all(other.id not in text and other.name not in text for other in others)
    mentions = {m["id"]: m for m in data["mentioned_in"]}
    assert mentions[event.id]["data"]["participant_ids"] == [farid.id]
    assert mentions[event.id]["others_left_out"] == {"participant_ids": 2}
    assert mentions[event.id]["data"]["title"] == "Infoabend Kita"
    assert "others_left_out" not in mentions[alone.id]
    # The vault keeps the event as it was: only the copy leaves the others out.
    assert ws.get(Activity, event.id).participant_ids == event.participant_ids
    ws.lock()


def test_export_carries_no_free_text_of_an_event_that_names_another_participant(
    vault_path: Path,
) -> None:
    """QA: an event's note named another participant, and the Art. 15 copy carried it.
    A record that only mentions the person keeps its date, type, title and their place."""
    ws = _create(vault_path)
    zaytouna = ws.add(Person(name="Zaytouna Qadri", nationalities=("SY",)))
    maryam = ws.add(Person(name="Maryam Okonkwo", nationalities=("NG",)))
    event = ws.add(
        Activity(
            activity_type="information_event",
            title="Sprachcafe Kirchhain",
            starts_on=DAY,
            municipality_ags="06534011",
            participant_ids=(zaytouna.id, maryam.id),
            note="Maryam Okonkwo hat für die Gruppe übersetzt.",
        )
    )
    data = ws.export_person(zaytouna.id)
    text = json.dumps(data, ensure_ascii=False)
    assert "Maryam" not in text and "übersetzt" not in text and maryam.id not in text
    [mention] = data["mentioned_in"]
    assert mention["data"] == {
        "id": event.id,
        "activity_type": "information_event",
        "title": "Sprachcafe Kirchhain",
        "starts_on": DAY.isoformat(),
        "ends_on": None,
        "target_groups": [],
        "participant_ids": [zaytouna.id],
        "counts_by_target_group": {},
        "counts_by_gender": {},
        "amif_support": [],
        "is_event": False,
        "attendance_total": None,
    }
    assert mention["others_left_out"] == {"participant_ids": 1}
    assert mention["text_left_out"] == ["note"]
    assert ws.get(Activity, event.id).note == event.note  # the vault keeps it
    ws.lock()


def test_kept_records_that_name_an_erased_person_are_found(vault_path: Path) -> None:
    """QA: a deployment kept as evidence of a payment names the person in its note; the
    search still finds it after the erasure, so the guide is told which one it is."""
    ws = _create(vault_path)
    person = ws.add(Person(name="Zaytouna Qadri", nationalities=("SY",)))
    ws.add(Note(person_id=person.id, written_on=DAY, text="Zaytouna Qadri sucht Kita"))
    helper = ws.add(Volunteer(name="Amira Haddad"))
    ws.add(
        VolunteerDeployment(
            volunteer_id=helper.id,
            deployed_on=date(2026, 11, 18),
            hours=Decimal(2),
            kind="interpreting",
            note="Begleitung Zaytouna Qadri zum Sprachcafe",
        )
    )
    expected = [("volunteer_deployment", date(2026, 11, 18))]
    assert ws.kept_records_naming("Zaytouna Qadri", person.id) == expected
    ws.erase_person(person.id)
    assert ws.kept_records_naming("Zaytouna Qadri", person.id) == expected
    assert ws.kept_records_naming("Leyla Aksoy", person.id) == []
    ws.lock()


def test_erase_removes_the_person_everywhere(vault_path: Path, tmp_path: Path) -> None:
    ws = _create(vault_path)
    marker = "Zyxwvutsname"
    person = ws.add(Person(name=f"Farid {marker}", nationalities=("AF",)))
    ws.add(
        Contact(
            person_id=person.id,
            contacted_on=DAY,
            duration_minutes=30,
            mode="office",
            note=f"Gespräch mit {marker} über die Kita",
        )
    )
    other = ws.add(Person(name="Leyla Aksoy", nationalities=("TR",)))
    activity = ws.add(
        Activity(
            activity_type="information_event",
            title="Infoabend Kita",
            starts_on=DAY,
            municipality_ags="06534011",
            participant_ids=(person.id, other.id),
        )
    )
    summary = ws.erase_person(person.id)
    assert summary.removed == 2 and summary.updated == 1
    assert ws.search(marker) == []
    with pytest.raises(RecordNotFound):
        ws.get(Person, person.id)
    assert ws.get(Activity, activity.id).participant_ids == (other.id,)
    conn = sqlite3.connect(vault_path)
    assert conn.execute("SELECT count(*) FROM person_key").fetchone()[0] == 1
    conn.close()
    ws.lock()
    ws = Workspace.open(vault_path, passphrase=PASS)
    assert ws.problems == ()
    assert ws.search(marker) == []
    assert ws.audit_verify().ok
    ws.lock()
    assert scan([vault_path.parent], [marker]) == []


def test_rolled_back_row_is_reported_at_unlock(vault_path: Path) -> None:
    ws = _create(vault_path)
    note = ws.add(Note(written_on=DAY, text="erste Fassung"))
    conn = sqlite3.connect(vault_path)
    old = conn.execute("SELECT blob, version FROM record").fetchone()
    conn.close()
    ws.update(dataclasses.replace(note, text="zweite Fassung"))
    ws.lock()
    conn = sqlite3.connect(vault_path)
    conn.execute("UPDATE record SET blob = ?, version = ?", old)
    conn.commit()
    conn.close()
    ws = Workspace.open(vault_path, passphrase=PASS)
    assert any(note.id in problem for problem in ws.problems)
    assert (ws.findings.changed, ws.findings.missing, ws.findings.other) == (1, 0, 0)
    assert not ws.audit_verify().ok
    ws.lock()


def test_rows_deleted_behind_the_apps_back_are_counted_as_missing(vault_path: Path) -> None:
    """The window words its warning from counts (ui/integrity_warning.py), not from ids."""
    ws = _create(vault_path)
    notes = [ws.add(Note(written_on=DAY, text=f"Notiz {i}")) for i in range(3)]
    ws.lock()
    conn = sqlite3.connect(vault_path)
    for note in notes[:2]:
        conn.execute("DELETE FROM record WHERE id = ?", (bytes.fromhex(note.id),))
    conn.commit()
    conn.close()
    ws = Workspace.open(vault_path, passphrase=PASS)
    assert (ws.findings.missing, ws.findings.changed, ws.findings.other) == (2, 0, 0)
    assert len(ws.problems) == 2
    ws.lock()


def test_a_passphrase_typed_decomposed_opens_the_vault(vault_path: Path) -> None:
    import unicodedata

    composed = "Grüße aus Kirchhain"
    ws, _code = Workspace.create(vault_path, composed, kdf=TEST_PARAMS)
    ws.lock()
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    Workspace.open(vault_path, passphrase=decomposed).lock()


def test_erasure_deletes_drafts_that_mention_the_person(vault_path: Path) -> None:
    from kisi_desktop.core.domain import Draft

    ws = _create(vault_path)
    person = ws.add(Person(name="Farid Ahmadi", nationalities=("AF",)))
    draft = ws.add(
        Draft(
            form="activity",
            record_kind="activity",
            values_json=f'{{"title": "Infoabend", "participant_ids": ["{person.id}"]}}',
        )
    )
    ws.erase_person(person.id)
    with pytest.raises(RecordNotFound):
        ws.get(Draft, draft.id)
    ws.lock()


def test_rules_for_new_entries_spare_stored_records_and_erasure(vault_path: Path) -> None:
    """An event stored before the headcount rule (by an import or an older version) still
    opens and its participants can be erased; adding or editing one meets the rule."""
    ws = _create(vault_path)
    person = ws.add(Person(name="Farid Ahmadi", nationalities=("AF",)))
    old = Activity(
        activity_type="information_event",
        title="Infoabend",
        starts_on=DAY,
        municipality_ags="06534011",
        is_event=True,
        attendance_total=10,
        counts_by_target_group={"local": 50},
        participant_ids=(person.id,),
    )
    ws.save([old], "import")
    with pytest.raises(ValidationError) as refused:
        ws.update(old)
    assert refused.value.field == "counts_by_target_group"
    with pytest.raises(ValidationError):
        ws.add(dataclasses.replace(old, id="ab" * 16))
    ws.erase_person(person.id)
    assert ws.get(Activity, old.id).participant_ids == ()
    ws.lock()
    reopened = Workspace.open(vault_path, passphrase=PASS)
    assert reopened.problems == ()
    assert reopened.get(Activity, old.id).counts_by_target_group == (("local", 50),)
    reopened.lock()
