"""The window's translations: Qt's .qm files from ``ui/translations``.

English is the source language, but its plurals still come from a translation: Qt's ``tr("%n inquiries",
"", n)`` needs one to say "1 inquiry". A translation for the user's language, when one is shipped, comes
after it (searched first). Rebuild after changing a ``%n`` string: ``pyside6-lupdate moderator_app/ui/*.py
-pluralonly -locations none -ts moderator_app/ui/translations/moderator_en.ts``, fill in the forms, then
``pyside6-lrelease`` (tests/ui/test_i18n.py checks the .qm matches the .ts).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def install_translations(app: QCoreApplication, locale: QLocale | None = None) -> list[QTranslator]:
    """Install the English plural forms, then the locale's translation if there is one; keep the returned
    translators alive as long as the application."""
    installed: list[QTranslator] = []
    names = ["moderator_en"]
    language = (locale or QLocale()).name()  # e.g. "fr_CA"
    for name in (f"moderator_{language.split('_')[0]}", f"moderator_{language}"):
        if name not in names:
            names.append(name)
    for name in names:
        translator = QTranslator(app)
        if translator.load(name, str(TRANSLATIONS)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
