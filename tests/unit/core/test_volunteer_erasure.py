"""Erasing a volunteer (GDPR Art. 17): gone from the vault, the trainings and the drafts,
but never while deployments record what was paid to them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kisi_desktop.core.domain import Draft, Training, Volunteer, VolunteerDeployment
from kisi_desktop.core.errors import RecordNotFound, StillNeeded
from kisi_desktop.core.vault.kdf import TEST_PARAMS
from kisi_desktop.core.workspace import Workspace

PASS = "Sonnenblume am Fenster"


def _paid(volunteer_id: str, day: date, note: str = "") -> VolunteerDeployment:
    """Two hours of accompaniment, 40 EUR paid."""
    return VolunteerDeployment(
        volunteer_id=volunteer_id,
        deployed_on=day,
        hours=Decimal(2),
        kind="accompaniment",
        allowance_paid=Decimal(40),
        note=note,
    )


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    workspace, _code = Workspace.create(tmp_path / "vault.kisi", PASS, kdf=TEST_PARAMS)
    return workspace


def test_erased_volunteer_is_gone_from_trainings_drafts_and_search(ws: Workspace) -> None:
    marker = "Qwertzuiopname"
    vera = ws.add(Volunteer(name=f"Vera {marker}", phone="+49 6421 12345"))
    olga = ws.add(Volunteer(name="Olga Bondar"))
    training = ws.add(
        Training(
            held_on=date(2026, 2, 1), topic="Rolle im Ehrenamt", attendee_ids=(vera.id, olga.id)
        )
    )
    draft = ws.add(
        Draft(
            form="volunteer_form",
            record_kind="volunteer",
            record_id=vera.id,
            values_json=json.dumps({"phone": "+49 6421 99999"}),
        )
    )
    other_draft = ws.add(Draft(form="volunteer_form", record_kind="volunteer", record_id=olga.id))

    summary = ws.erase_volunteer(vera.id)

    assert (summary.subject_id, summary.removed, summary.updated) == (vera.id, 2, 1)
    for cls, rid in ((Volunteer, vera.id), (Draft, draft.id)):
        with pytest.raises(RecordNotFound):
            ws.get(cls, rid)
    assert ws.get(Training, training.id).attendee_ids == (olga.id,)
    assert ws.get(Draft, other_draft.id) == other_draft
    assert ws.search(marker) == []
    path = ws.vault.path
    ws.lock()
    reopened = Workspace.open(path, passphrase=PASS)
    assert [v.name for v in reopened.list(Volunteer)] == ["Olga Bondar"]
    assert reopened.get(Training, training.id).attendee_ids == (olga.id,)
    assert reopened.search(marker) == []
    assert reopened.audit_verify().ok
    reopened.lock()


@pytest.mark.parametrize(("count", "said"), [(1, "ist 1 Einsatz"), (3, "sind 3 Einsätze")])
def test_volunteer_with_deployments_is_kept_and_the_reason_given(
    ws: Workspace, count: int, said: str
) -> None:
    vera = ws.add(Volunteer(name="Vera Schneider"))
    ws.save([_paid(vera.id, date(2026, 2, day)) for day in range(1, count + 1)])
    training = ws.add(
        Training(held_on=date(2026, 2, 1), topic="Erste Hilfe", attendee_ids=(vera.id,))
    )

    with pytest.raises(StillNeeded) as refused:
        ws.erase_volunteer(vera.id)

    assert said in str(refused.value)
    assert "nur die Kontaktdaten" in str(refused.value)
    assert ws.get(Volunteer, vera.id) == vera
    assert ws.get(Training, training.id).attendee_ids == (vera.id,)
    assert len(ws.list(VolunteerDeployment)) == count
    ws.lock()


def test_volunteers_and_people_are_not_deleted_without_their_mentions(ws: Workspace) -> None:
    vera = ws.add(Volunteer(name="Vera Schneider"))
    ws.add(Training(held_on=date(2026, 2, 1), topic="Erste Hilfe", attendee_ids=(vera.id,)))
    with pytest.raises(ValueError, match="erase_volunteer"):
        ws.delete("volunteer", vera.id)
    with pytest.raises(RecordNotFound):
        ws.erase_volunteer("0" * 32)
    training = ws.list(Training)[0]
    with pytest.raises(RecordNotFound):  # a training's id is not a volunteer's
        ws.erase_volunteer(training.id)
    assert ws.get(Volunteer, vera.id) == vera
    ws.lock()


def test_an_id_in_free_text_is_no_reason_to_refuse_or_rewrite(ws: Workspace) -> None:
    vera = ws.add(Volunteer(name="Vera Schneider"))
    olga = ws.add(Volunteer(name="Olga Bondar"))
    noted = ws.add(_paid(olga.id, date(2026, 2, 1), note=f"mit Vera ({vera.id}) zusammen"))
    typed = ws.add(
        Draft(
            form="activity_form",
            record_kind="activity",
            values_json=json.dumps({"title": f"Treffen {vera.id}"}),
        )
    )
    picked = ws.add(
        Draft(
            form="training_form",
            record_kind="training",
            values_json=json.dumps({"attendee_ids": [olga.id, vera.id]}),
        )
    )
    version = ws.vault.version_of(noted.id)

    summary = ws.erase_volunteer(vera.id)

    assert (summary.removed, summary.updated) == (2, 0)  # Vera and the draft that picked her
    assert ws.vault.version_of(noted.id) == version  # Olga's deployment is not touched
    assert ws.get(Draft, typed.id) == typed
    with pytest.raises(RecordNotFound):
        ws.get(Draft, picked.id)
    ws.lock()


def test_contact_details_go_and_the_payments_stay(ws: Workspace) -> None:
    vera = ws.add(
        Volunteer(
            name="Vera Schneider",
            phone="+49 6421 12345",
            email="vera@example.org",
            address="Lindenweg 3",
            languages=("de", "uk"),
        )
    )
    paid = ws.add(_paid(vera.id, date(2026, 2, 1)))
    form = ws.add(
        Draft(
            form="volunteer_form",
            record_kind="volunteer",
            record_id=vera.id,
            values_json=json.dumps({"phone": "+49 6421 99999"}),
        )
    )
    assert ws.volunteer_deployments(vera.id) == 1
    assert ws.search("Lindenweg") != []

    kept = ws.remove_volunteer_contact(vera.id)

    assert (kept.phone, kept.email, kept.address, kept.active) == ("", "", "", False)
    assert (kept.name, kept.languages) == ("Vera Schneider", ("de", "uk"))
    assert ws.get(Volunteer, vera.id) == kept
    assert ws.get(VolunteerDeployment, paid.id) == paid
    with pytest.raises(RecordNotFound):
        ws.get(Draft, form.id)
    assert ws.search("12345") == [] and ws.search("Lindenweg") == []
    path = ws.vault.path
    ws.lock()
    reopened = Workspace.open(path, passphrase=PASS)
    assert reopened.get(Volunteer, vera.id) == kept
    assert reopened.audit_verify().ok
    reopened.lock()
