"""The partner organizations editor: who moderators refer members to, how to reach them, who they serve, and
the referral message per language the picker inserts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from moderator_app.ui.language_tabs import LanguageTabs
from moderator_app.ui.ops import Ops
from moderator_app.ui.record_editor import RecordEditor

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


class ReferralEditor(RecordEditor[ReferralOrganization]):
    """List and form of the partner organizations."""

    def __init__(
        self,
        load: Callable[[], list[ReferralOrganization]],
        save: Callable[[ReferralOrganization], ReferralOrganization],
        delete: Callable[[int], None],
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(load, save, delete, parent, ops=ops)
        self.setWindowTitle(self.tr("Partner organizations"))
        self.model = OrganizationsModel(self)
        self.list.setAccessibleName(self.tr("Organizations"))
        self.list.setModel(self.model)
        self.delete_button.setText(self.tr("Remove"))
        left = self._list_panel()
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
        remove = self.remove_message = QPushButton(self.tr("Remove this message"))
        remove.clicked.connect(self.drop_language)
        # No message of its own: said in place of an empty, unlabelled box (and nothing to remove).
        self.no_message = QLabel(
            self.tr("No message of its own: the standard referral sentence is used, in the reply's language.")
        )
        self.no_message.setWordWrap(True)
        self.no_message.setTextFormat(Qt.TextFormat.PlainText)
        self.templates.counted.connect(self._messages_counted)
        hint = QLabel(
            self.tr("Without a message in the reply's language the standard sentence is used. Fields: %1").replace(
                "%1", " ".join(f"{{{f}}}" for f in REFERRAL_FIELDS)
            )
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        messages = QHBoxLayout()
        messages.addWidget(add)
        messages.addWidget(remove)
        messages.addStretch(1)
        buttons = self._buttons_row()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addWidget(self.templates, 1)
        right_layout.addWidget(self.no_message)
        right_layout.addLayout(messages)
        right_layout.addWidget(hint)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([300, 560])
        QVBoxLayout(self).addWidget(splitter)
        self.resize(860, 620)
        self._messages_counted(self.templates.count())
        self.reload()

    def _messages_counted(self, count: int) -> None:
        self.templates.setVisible(count > 0)
        self.no_message.setVisible(count == 0)
        self.remove_message.setEnabled(count > 0)

    def _set_records(self, records: list[ReferralOrganization]) -> None:
        self.model.set_organizations(records)

    def _fill(self, organization: ReferralOrganization | None) -> None:
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

    def problems(self, organization: ReferralOrganization) -> list[str]:
        return organization_problems(organization)

    def _first_field(self) -> QWidget:
        return self.fields["name"]

    def _leave_question(self) -> str:
        return self.tr("This organization has changes that are not saved. Leave them?")

    def _delete_question(self, organization: ReferralOrganization) -> tuple[str, str]:
        return self.tr("Remove the organization"), self.tr("Remove “%1”?").replace("%1", isolate(organization.name))

    def _tabs(self) -> LanguageTabs:
        return self.templates
