"""The preview of a rendered handout: every page in QtPdf, fit to width, and its page count.

QPdfDocument reads from a QIODevice for as long as it is open, so the QBuffer holding the
PDF's bytes lives exactly as long as the loaded document (closed and dropped together).
While nothing is loaded, or a preview failed, a sentence takes the view's place.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kisi_desktop.core.i18n import _, ngettext


class PdfPreview(QWidget):
    """See the module docstring; ``header`` is the row above the pages (buttons go there)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("handoutPreview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = QLabel()
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.view)
        self.pages_label = QLabel()
        self.pages_label.setObjectName("previewPages")
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("previewBusy")
        self.busy_bar.setRange(0, 0)  # indeterminate: rendering takes a fraction of a second
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.hide()
        self.header = QHBoxLayout()
        self.header.addWidget(self.pages_label)
        self.header.addWidget(self.busy_bar)
        self.header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.header)
        layout.addWidget(self.stack, 1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Texts in the current UI language."""
        self.view.setAccessibleName(_("Preview of the handout"))
        self.busy_bar.setAccessibleName(_("Making the preview"))
        self.busy_bar.setToolTip(_("Making the preview…"))
        self._update_pages()

    # ------------------------------------------------------------------ content
    def show_pdf(self, data: bytes) -> bool:
        """Show the PDF ``data``; False (and a message) if QtPdf cannot read it."""
        self._unload()
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self.document.load(buffer)
        if self.document.status() is QPdfDocument.Status.Error or self.document.pageCount() < 1:
            self._unload()
            self.show_message(_("The preview cannot be shown."))
            return False
        self.stack.setCurrentWidget(self.view)
        self._update_pages()
        return True

    def show_message(self, text: str) -> None:
        """Show ``text`` instead of pages (nothing chosen, or the handout failed)."""
        self._unload()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self._update_pages()

    def clear(self) -> None:
        """Drop the document and its bytes (lock)."""
        self.show_message("")
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        """Show or hide the busy indicator."""
        self.busy_bar.setVisible(busy)

    def is_busy(self) -> bool:
        """Whether the busy indicator is on."""
        return not self.busy_bar.isHidden()

    def page_count(self) -> int:
        """Pages of the document shown (0 when none)."""
        return self.document.pageCount() if self._buffer is not None else 0

    def _unload(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer = None

    def _update_pages(self) -> None:
        count = self.page_count()
        self.pages_label.setText(
            ngettext("{n} page", "{n} pages", count).format(n=count) if count else ""
        )
