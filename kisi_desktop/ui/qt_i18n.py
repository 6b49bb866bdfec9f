"""Qt's own catalog (``qtbase_XX.qm``) for the buttons and texts of Qt's built-in dialogs.

The app's strings come from gettext (core/i18n.py); Qt's own widgets (QMessageBox buttons,
QFileDialog, QPrintDialog, QWizard's Back/Next) translate through a QTranslator instead
(TECH-NOTES.md, "Translations"). The installed translator is kept as a named child of the
application, not in a module global, so switching languages at run time can find and
replace it (STYLE.md rule 3).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from kisi_desktop.core.i18n import set_ui_language

_TRANSLATOR_NAME = "kisiQtBaseTranslator"


def qt_translations_dir() -> str:
    """Folder of Qt's ``.qm`` catalogs (inside the PySide6 wheel or the frozen app)."""
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


def installed_qt_translator(app: QCoreApplication) -> QTranslator | None:
    """The qtbase translator this module installed, if any."""
    return app.findChild(QTranslator, _TRANSLATOR_NAME)


def install_qt_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Make Qt's built-in dialogs speak ``language``, replacing the catalog installed before.

    English needs no catalog (Qt's source language): the old translator is only removed.
    Installing or removing a translator sends every widget a LanguageChange event, so Qt's
    own widgets (dialog button boxes, wizards) retranslate themselves.

    Returns:
        The new translator, or None when Qt has no catalog for ``language``.
    """
    # Qt's own formatting (calendar pop-ups, day and month names in date fields) follows
    # the UI language, not the operating system's locale.
    QLocale.setDefault(
        QLocale(QLocale.Language.German if language == "de" else QLocale.Language.English)
    )
    old = installed_qt_translator(app)
    if old is not None:
        app.removeTranslator(old)
        _discard(old)
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(QLocale(language), "qtbase", "_", qt_translations_dir()):
        _discard(translator)
        return None
    translator.setObjectName(_TRANSLATOR_NAME)
    app.installTranslator(translator)
    return translator


def _discard(translator: QTranslator) -> None:
    """Forget ``translator``: unnamed at once (so a second switch cannot find it), freed later."""
    translator.setObjectName("")
    translator.deleteLater()


def switch_language(app: QCoreApplication, language: str) -> None:
    """Switch the app's gettext catalog and Qt's own catalog to ``language`` together.

    Widgets built in code still need their ``retranslate_ui()``; the caller (the settings
    dialog) asks the main window for that.
    """
    set_ui_language(language)
    install_qt_translator(app, language)
