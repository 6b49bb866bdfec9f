"""The municipality-profile page of the first-run wizard, saved into the new vault on Next."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWizard, QWizardPage

from kisi_desktop.core.domain import Municipality
from kisi_desktop.core.errors import KisiError, ValidationError
from kisi_desktop.core.i18n import _

from kisi_desktop.ui.forms.access_keys import taken_keys
from kisi_desktop.ui.forms.record_form import RecordForm
from kisi_desktop.ui.setup_pages import SetupState
from kisi_desktop.ui.widgets.new_passphrase import error_label

MUNICIPALITY_FIELDS = (
    "ags",
    "name",
    "district",
    "office_address",
    "office_hours",
    "phone",
    "email",
    "website",
)
# The wizard's buttons beside the form: its labels take other access keys.
WIZARD_BUTTONS = (
    QWizard.WizardButton.BackButton,
    QWizard.WizardButton.NextButton,
    QWizard.WizardButton.FinishButton,
    QWizard.WizardButton.CancelButton,
)


class MunicipalityPage(QWizardPage):
    """The municipality profile, saved into the new vault when the guide moves on."""

    def __init__(self, state: SetupState) -> None:
        super().__init__()
        self._state = state
        self.form: RecordForm | None = None
        self._saved: Municipality | None = None
        self.error = error_label("municipalityError")
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.error)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every visible text again in the current UI language."""
        self.setTitle(_("Your municipality"))
        self.setSubTitle(
            _("Handouts and reports use these details. Only the key and the name are required.")
        )
        ags = self.form.editors["ags"].widget if self.form is not None else None
        if isinstance(ags, QLineEdit):
            ags.setPlaceholderText(_("8 digits, e.g. 06534011"))

    def initializePage(self) -> None:
        """Build the form once the vault (and its reference data) exists."""
        workspace = self._state.workspace
        if self.form is None and workspace is not None:
            wizard = self.wizard()
            buttons = [wizard.buttonText(button) for button in WIZARD_BUTTONS]
            self.form = RecordForm(
                Municipality, MUNICIPALITY_FIELDS, workspace.ref, keys_taken=taken_keys(buttons)
            )
            self.form.setObjectName("municipalityForm")
            self.form.load(None)
            self._layout.insertWidget(0, self.form)
            self.retranslate_ui()

    def validatePage(self) -> bool:
        """Save the profile; stay on the page and show the problem under the field if any."""
        workspace = self._state.workspace
        if self.form is None or workspace is None:
            return False
        self.error.hide()
        record = self.form.build()
        if record is None:
            return False
        if self._saved is not None:
            record = _with_id(record, self._saved.id)
        try:
            if self._saved is None:
                workspace.add(record)
            else:
                workspace.update(record)
        except ValidationError as error:
            self.form.show_error(error.field, error.message)
            return False
        except KisiError as error:
            self.error.setText(str(error))
            self.error.show()
            return False
        self._saved = record if isinstance(record, Municipality) else None
        return True

    @property
    def saved(self) -> Municipality | None:
        """The profile as stored, once the page was left with Next."""
        return self._saved


def _with_id(record: Any, rid: str) -> Any:
    """The same record under the id stored before (going back and forth edits, not adds)."""
    return dataclasses.replace(record, id=rid)
