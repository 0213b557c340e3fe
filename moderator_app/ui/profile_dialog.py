"""A new moderator profile: who is using the workstation (name, role, languages they answer in)."""

from __future__ import annotations

import concurrent.futures
import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.profiles import Profile, ProfileError
from moderator_app.ui.ops import Ops, run_here

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class ProfileDialog(QDialog):
    """Asks for the profile and saves it through ``add``; a refused one shows why and keeps the dialog open."""

    def __init__(
        self,
        add: Callable[[str, str, tuple[str, ...]], Profile],
        parent: QWidget | None = None,
        *,
        submit: Callable[[Callable[[], Profile]], concurrent.futures.Future[Profile]] = run_here,
    ) -> None:
        """``submit`` runs ``add`` on the database worker (the window's); by default, here."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("New moderator profile"))
        self.setMinimumWidth(420)  # the title whole, and fields wide enough for a full name
        self._add = add
        self._ops = Ops(submit, str, self._refused, self, expected=(ProfileError,))
        self.profile: Profile | None = None
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("As colleagues and the reports should see it"))
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Role"))
        for value, label in (
            ("moderator", self.tr("Moderator")),
            ("backup", self.tr("Backup moderator")),
            ("manager", self.tr("Manager")),
        ):
            self.role.addItem(label, value)
        self.languages = QLineEdit()
        self.languages.setAccessibleName(self.tr("Languages"))
        self.languages.setPlaceholderText(self.tr("e.g. ar, fr, en"))
        self.problem = QLabel()
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b02a37;")
        self.problem.setAccessibleName(self.tr("Problem"))
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&Role:"), self.role)
        form.addRow(self.tr("&Languages:"), self.languages)
        buttons = self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def save(self) -> None:
        tags = tuple(t for t in re.split(r"[\s,;]+", self.languages.text().strip()) if t)
        wrong = [t for t in tags if not LANGUAGE_TAG.match(t)]
        if wrong:
            self.problem.setText(
                self.tr("“%1” is not a language code: use codes such as ar, fa, fr, en, zh.").replace("%1", wrong[0])
            )
            return
        add, name, role = self._add, self.name.text(), str(self.role.currentData())
        languages = tuple(t.lower() for t in tags)
        self.buttons.setEnabled(False)
        self._ops.run(lambda: add(name, role, languages)).success(self._added)

    def _added(self, profile: Profile) -> None:
        self.profile = profile
        self.accept()

    def _refused(self, message: str) -> None:
        """A name already used (or the log could not be written): said here, to correct and save again."""
        self.buttons.setEnabled(True)
        self.problem.setText(message)
