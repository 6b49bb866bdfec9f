"""Field labels and hints for forms: kept in ``core/field_labels.py``, where the command line
(which must not import Qt code) reads the same words; imported from here by the forms."""

from __future__ import annotations

from kisi_desktop.core.field_labels import field_hint, field_label

__all__ = ["field_hint", "field_label"]
