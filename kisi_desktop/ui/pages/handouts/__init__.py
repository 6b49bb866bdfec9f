"""The Handouts page: choose topics and a language, preview, print, save, record handouts given.

Modules: handout_models (topic and language rows and their list models), pdf_preview
(QtPdf view of the rendered handout), print_support (PDF pages onto a QPrinter),
given_dialog (the "record handout given" dialog), handouts_page (the Page that wires them).
"""

from kisi_desktop.ui.pages.handouts.handouts_page import HandoutsPage

__all__ = ["HandoutsPage"]
