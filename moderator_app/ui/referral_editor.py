"""The partner organizations editor: who moderators refer members to, how to reach them, who they serve, and
the referral message per language the picker inserts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.library import (
    ANSWER_TOPICS,
    REFERRAL_FIELDS,
    organization_problems,
)
from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.ui.delegates import isolate
from moderator_app.ui.language_tabs import LanguageTabs, may_drop_changes
from moderator_app.ui.plain import ask

Index = QModelIndex | QPersistentModelIndex


class OrganizationsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.organizations: list[ReferralOrganization] = []

    def set_organizations(self, organizations: list[ReferralOrganization]) -> None:
        self.beginResetModel()
        self.organizations = organizations
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.organizations)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.organizations):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            organization = self.organizations[index.row()]
            return organization.name + (f"  · {organization.phone}" if organization.phone else "")
        return None


def _split(text: str, separators: str = ",|;") -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(f"[{re.escape(separators)}]", text) if part.strip())


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """ "ar: name | fr: nom" as (tag, name) pairs; a part without "tag:" keeps its text as the tag, which the
    validation then refuses with the reason."""
    pairs = []
    for part in _split(text, "|"):
        tag, _, name = part.partition(":")
        pairs.append((tag.strip(), name.strip()) if name.strip() else (part, ""))
    return tuple(pairs)


class ReferralEditor(QDialog):
    """List and form of the partner organizations; ``changed`` after each save or removal."""

    changed = Signal()

    def __init__(
        self,
        load: Callable[[], list[ReferralOrganization]],
        save: Callable[[ReferralOrganization], ReferralOrganization],
        delete: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Partner organizations"))
        self._load, self._save, self._delete = load, save, delete
        self.current: ReferralOrganization | None = None
        self._filling = False
        self.dirty = False
        self.model = OrganizationsModel(self)
        self.list = QListView()
        self.list.setAccessibleName(self.tr("Organizations"))
        self.list.setModel(self.model)
        self.list.selectionModel().currentRowChanged.connect(self._chosen)
        new_button = QPushButton(self.tr("&New"))
        new_button.clicked.connect(self.new)
        self.delete_button = QPushButton(self.tr("Remove"))
        self.delete_button.clicked.connect(self.delete)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(new_button)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, placeholder in (
            ("name", self.tr("&Name:"), ""),
            ("names", self.tr("Name by lan&guage:"), self.tr("ar: عيادة المجتمع | fr: Clinique communautaire")),
            ("aliases", self.tr("&Aliases:"), self.tr("other names and spellings, separated by |")),
            ("phone", self.tr("&Phone:"), ""),
            ("email", self.tr("&Email:"), ""),
            ("website", self.tr("&Website:"), ""),
            ("address", self.tr("A&ddress:"), ""),
            ("hours", self.tr("&Hours:"), self.tr("e.g. Mon-Fri 9-17")),
            ("topics", self.tr("&Topics:"), ", ".join(ANSWER_TOPICS[:4]) + ", …"),
            ("languages", self.tr("&Languages served:"), self.tr("e.g. ar, fr, en")),
        ):
            field = QLineEdit()
            field.setAccessibleName(label.replace("&", "").rstrip(":"))
            field.setPlaceholderText(placeholder)
            field.textEdited.connect(lambda _: self._edited())
            form.addRow(label, field)
            self.fields[key] = field
        self.eligibility = QPlainTextEdit()
        self.eligibility.setAccessibleName(self.tr("Eligibility"))
        self.eligibility.setPlaceholderText(self.tr("Who they serve: status, age, area…"))
        self.eligibility.setMaximumHeight(70)
        self.eligibility.textChanged.connect(self._edited)
        form.addRow(self.tr("Eli&gibility:"), self.eligibility)
        self.templates = LanguageTabs(lambda tag: self.tr("Referral message in %1").replace("%1", tag))
        self.templates.setAccessibleName(self.tr("Referral message by language"))
        self.templates.edited.connect(self._edited)
        add = QPushButton(self.tr("Add a message in a language…"))
        add.clicked.connect(self.ask_language)
        remove = QPushButton(self.tr("Remove this message"))
        remove.clicked.connect(self.drop_language)
        hint = QLabel(
            self.tr("Without a message in the reply's language the standard sentence is used. Fields: %1").replace(
                "%1", " ".join(f"{{{f}}}" for f in REFERRAL_FIELDS)
            )
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b02a37;")
        self.problem.setAccessibleName(self.tr("Problems"))
        save_button = QPushButton(self.tr("&Save"))
        save_button.clicked.connect(self.save)
        revert_button = QPushButton(self.tr("Re&vert"))
        revert_button.clicked.connect(self.revert)
        messages = QHBoxLayout()
        messages.addWidget(add)
        messages.addWidget(remove)
        messages.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problem, 1)
        buttons.addWidget(revert_button)
        buttons.addWidget(save_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addWidget(self.templates, 1)
        right_layout.addLayout(messages)
        right_layout.addWidget(hint)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 560])
        QVBoxLayout(self).addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.resize(860, 620)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        self.model.set_organizations(self._load())
        found = [i for i, o in enumerate(self.model.organizations) if o.id == select_id]
        row = found[0] if found else (0 if self.model.organizations else -1)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))
        else:
            self._show(None)

    def _chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._filling or not current.isValid():
            return
        if self.dirty and not self._may_leave():
            self._filling = True
            self.list.setCurrentIndex(previous)
            self._filling = False
            return
        self._show(self.model.organizations[current.row()])

    def _may_leave(self) -> bool:
        return may_drop_changes(self, self.tr("This organization has changes that are not saved. Leave them?"))

    def _show(self, organization: ReferralOrganization | None) -> None:
        self._filling = True
        self.current = organization
        shown = organization or ReferralOrganization("")
        values = {
            "name": shown.name,
            "names": " | ".join(f"{tag}: {name}" for tag, name in shown.names),
            "aliases": " | ".join(shown.aliases),
            "phone": shown.phone,
            "email": shown.email,
            "website": shown.website,
            "address": shown.address,
            "hours": shown.hours,
            "topics": ", ".join(shown.topics),
            "languages": ", ".join(shown.languages),
        }
        for key, field in self.fields.items():
            field.setText(values[key])
        self.eligibility.setPlainText(shown.eligibility)
        self.templates.set_texts(shown.templates)
        self._filling = False
        self.dirty = False
        self.problem.clear()
        self.delete_button.setEnabled(organization is not None)

    def _edited(self) -> None:
        if not self._filling:
            self.dirty = True

    def edited(self) -> ReferralOrganization:
        text = {key: field.text().strip() for key, field in self.fields.items()}
        templates = [(tag, body.strip()) for tag, body in self.templates.texts() if body.strip()]
        return ReferralOrganization(
            name=text["name"],
            aliases=_split(text["aliases"], "|"),
            phone=text["phone"],
            website=text["website"],
            topics=_split(text["topics"]),
            languages=_split(text["languages"]),
            id=self.current.id if self.current is not None else None,
            address=text["address"],
            email=text["email"],
            hours=text["hours"],
            eligibility=self.eligibility.toPlainText().strip(),
            templates=tuple(templates),
            names=_pairs(text["names"]),
        )

    def save(self) -> bool:
        organization = self.edited()
        found = organization_problems(organization)
        if found:
            self.problem.setText("\n".join(found))
            return False
        try:
            saved = self._save(organization)
        except ValueError as exc:  # a name already used
            self.problem.setText(str(exc))
            return False
        self.dirty = False
        self.reload(saved.id)
        self.changed.emit()
        return True

    def revert(self) -> None:
        self._show(self.current)

    def new(self) -> None:
        if self.dirty and not self._may_leave():
            return
        self.list.clearSelection()
        self._show(None)
        self.fields["name"].setFocus()

    def delete(self) -> None:
        if self.current is None or self.current.id is None:
            return
        if not ask(
            self, self.tr("Remove the organization"), self.tr("Remove “%1”?").replace("%1", isolate(self.current.name))
        ):
            return
        try:
            self._delete(self.current.id)
        except ValueError as exc:  # referred to already: kept for the statistics
            self.problem.setText(str(exc))
            return
        self.dirty = False
        self.reload()
        self.changed.emit()

    def ask_language(self) -> None:
        self.add_template_for(self.templates.ask_language(self.tr("Add a message")))

    def add_template_for(self, tag: str) -> None:
        problem = self.templates.add_language(tag) if tag else None
        if problem:
            self.problem.setText(problem)

    def drop_language(self) -> None:
        self.templates.drop_current()

    def reject(self) -> None:
        if self.dirty and not self._may_leave():
            return
        super().reject()
