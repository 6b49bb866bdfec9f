"""The PySide6 desktop interface: windows, dialogs, item models and workers (Qt lives only here)."""
