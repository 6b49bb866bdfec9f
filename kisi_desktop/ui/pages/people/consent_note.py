"""The line in a contact or referral form that says when the person's consent does not
cover what is being recorded (see :mod:`kisi_desktop.core.consent_check`).

Shown under the field that needs the consent (the contact's way, the referral's partner),
updated as the guide edits; it never stops the saving: what happened is documented.
"""

from __future__ import annotations

from datetime import date

from kisi_desktop.core.consent_check import (
    CONTACT_MODE_PURPOSES,
    SHARE_PURPOSE,
    MissingConsent,
    missing_consent,
)
from kisi_desktop.core.domain import Consent, Contact, Referral
from kisi_desktop.core.i18n import _, format_date, ui_language
from kisi_desktop.core.typed_input import UnreadableInput

from kisi_desktop.ui.forms.live_note import LiveNote
from kisi_desktop.ui.forms.record_dialog import RecordDialog

WITHDRAWN_STYLE = "color: #b00020;"
MISSING_STYLE = "color: #8a4b00;"
# The field a form's consent depends on, and its date field.
FIELDS = {Contact.KIND: ("mode", "contacted_on"), Referral.KIND: ("partner_id", "referred_on")}


class ConsentNote(LiveNote):
    """Keeps the consent line of one contact or referral dialog up to date."""

    def __init__(self, dialog: RecordDialog, consents: list[Consent]) -> None:
        self.consents = consents
        self.field, self.day_field = FIELDS[dialog.form.cls.KIND]
        super().__init__(dialog, self.field, name="consentNote")

    def update(self) -> None:
        """Say what is missing for the chosen way or partner on the typed day."""
        form = self.dialog.form
        try:
            value = form.editors[self.field].get()
            day = form.editors[self.day_field].get()
        except UnreadableInput:
            value = day = None
        missing = self._missing(value, day) if isinstance(day, date) and value else None
        self.label.setVisible(missing is not None)
        if missing is None:
            return
        label = form.ref.label("consent_purposes", missing.purpose, ui_language())
        if missing.withdrawn_on is not None:
            text = _("Consent “{purpose}” was withdrawn on {day}.").format(
                purpose=label, day=format_date(missing.withdrawn_on)
            )
            style = WITHDRAWN_STYLE
        else:
            text = _("No consent “{purpose}” is recorded for this day.").format(purpose=label)
            style = MISSING_STYLE
        self.label.setText(text)
        self.label.setStyleSheet(style)

    def _missing(self, value: object, day: date) -> MissingConsent | None:
        if self.field == "mode":
            purpose = CONTACT_MODE_PURPOSES.get(str(value))
            return missing_consent(self.consents, purpose, day) if purpose else None
        return missing_consent(self.consents, SHARE_PURPOSE, day, partner_id=str(value))
