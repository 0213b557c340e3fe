"""The login wizard: API keys, phone, code, two-step password, then the sources to watch.

It drives the connector's login state machine (:class:`LoginFlow`), which talks to Telegram on its own
asyncio loop and thread (:class:`LoopThread`); each step's result comes back through ops, on the window's
thread, so the window never waits on the network. Errors are the connector's sentences, shown on the step
they concern. The sources chosen are written on the database worker before the wizard closes.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from moderator_app.domain.events import PRIVATE_SOURCE_NAME, SourceKind, SourceRef
from moderator_app.telegram.client import API_HELP
from moderator_app.telegram.errors import TelegramProblem
from moderator_app.telegram.login import LoginFlow, LoginStep
from moderator_app.telegram.loop_thread import LoopThread
from moderator_app.ui.ops import Ops, run_here

Index = QModelIndex | QPersistentModelIndex


class SourcesChoice(QAbstractListModel):
    """The account's groups and channels (and "Private messages"), each with a check box."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[SourceRef, bool]] = []

    def set_refs(self, refs: list[SourceRef]) -> None:
        self.beginResetModel()
        private = SourceRef(SourceKind.PRIVATE, 0, PRIVATE_SOURCE_NAME, "personal_chat")
        self._rows = [(private, True)] + [(ref, True) for ref in refs]
        self.endResetModel()

    def chosen(self) -> list[SourceRef]:
        return [ref for ref, on in self._rows if on]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ref, on = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            kinds = {SourceKind.GROUP: self.tr("group"), SourceKind.CHANNEL: self.tr("channel")}
            if ref.kind is SourceKind.PRIVATE:
                return self.tr("Private messages (all private chats with members)")
            return f"{ref.name} ({kinds.get(ref.kind, ref.kind.value)})"
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        ref, _ = self._rows[index.row()]
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self._rows[index.row()] = (ref, checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


class LoginWizard(QDialog):
    """Accepted once logged in and the sources are chosen; :attr:`account_name` says who."""

    def __init__(
        self,
        flow: LoginFlow,
        list_sources: Callable[[], Coroutine[Any, Any, list[SourceRef]]],
        watch: Callable[[list[SourceRef]], None],
        parent: QWidget | None = None,
        *,
        submit: Callable[[Callable[[], Any]], concurrent.futures.Future[Any]] = run_here,
        notice: str = "",
    ) -> None:
        """``submit`` runs ``watch`` on the database worker (the window's); by default, here. ``notice``: said
        above every step (no keyring: this login lasts until the app closes)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Log in to Telegram"))
        self.flow = flow
        self._list_sources = list_sources
        self._watch = watch
        self._loop = LoopThread("telegram-login")
        self._ops = Ops(submit, _said, self._failed, self, expected=(TelegramProblem, ValueError))
        self.account_name = ""

        self.api_id = QLineEdit()
        self.api_id.setAccessibleName(self.tr("API id"))
        self.api_hash = QLineEdit()
        self.api_hash.setAccessibleName(self.tr("API hash"))
        self.api_hash.setEchoMode(QLineEdit.EchoMode.Password)
        self.phone = QLineEdit()
        self.phone.setAccessibleName(self.tr("Phone number"))
        self.phone.setPlaceholderText("+1 613 555 0100")
        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("Login code"))
        self.code_info = QLabel()
        self.code_info.setTextFormat(Qt.TextFormat.PlainText)  # says where Telegram sent the code
        self.resend = QPushButton(self.tr("Send the code &again"))
        self.password = QLineEdit()
        self.password.setAccessibleName(self.tr("Two-step verification password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_info = QLabel()
        self.password_info.setTextFormat(Qt.TextFormat.PlainText)  # quotes the password hint, anyone's text
        self.sources = SourcesChoice(self)
        self.sources_view = QListView()
        self.sources_view.setAccessibleName(self.tr("Sources to watch"))
        self.sources_view.setModel(self.sources)

        self.pages = QStackedWidget()
        self._page_of: dict[LoginStep | str, int] = {}
        help_label = QLabel(API_HELP)
        help_label.setWordWrap(True)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        self._add_page(
            LoginStep.API, help_label, (self.tr("API &id:"), self.api_id), (self.tr("API &hash:"), self.api_hash)
        )
        phone_label = QLabel(self.tr("The phone number of the organization's Telegram account, with the country code."))
        phone_label.setWordWrap(True)
        self._add_page(LoginStep.PHONE, phone_label, (self.tr("&Phone:"), self.phone))
        self._add_page(LoginStep.CODE, self.code_info, (self.tr("Login &code:"), self.code), extra=self.resend)
        self._add_page(LoginStep.PASSWORD, self.password_info, (self.tr("&Password:"), self.password))
        sources_label = QLabel(self.tr("Choose what the app watches. You can change this later."))
        sources_label.setWordWrap(True)
        sources_page = QWidget()
        sources_layout = QVBoxLayout(sources_page)
        sources_layout.addWidget(sources_label)
        sources_layout.addWidget(self.sources_view)
        self._page_of["sources"] = self.pages.addWidget(sources_page)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #b02a37;")
        self.problem.setAccessibleName(self.tr("What went wrong"))
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.back_button = QPushButton(self.tr("&Back"))
        self.back_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        self.notice = QLabel(notice)
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet("background: #fff3cd; color: #664d03; padding: 6px; border-radius: 4px;")
        self.notice.setAccessibleName(self.tr("Before you log in"))
        self.notice.setVisible(bool(notice))
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        self.next_button.clicked.connect(self.next)
        self.cancel_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(lambda: self._run(self.flow.back(), self._show_step))
        for edit in (self.api_id, self.api_hash, self.phone, self.code, self.password):
            edit.textEdited.connect(lambda _=None, e=edit: self._mark(e, False))
        self.resend.clicked.connect(lambda: self._run(self.flow.resend_code(), self._show_step))
        self.resize(560, 380)
        self._run(self.flow.start(), self._show_step)

    def _add_page(
        self,
        step: LoginStep,
        intro: QLabel,
        *fields: tuple[str, QLineEdit],
        extra: QWidget | None = None,
    ) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        for label, edit in fields:
            caption = QLabel(label)
            caption.setBuddy(edit)
            form.addRow(caption, edit)
            edit.returnPressed.connect(self.next)
        layout.addLayout(form)
        if extra is not None:
            layout.addWidget(extra)
        layout.addStretch(1)
        self._page_of[step] = self.pages.addWidget(page)

    # -- running the flow off the window's thread -----------------------------------------------------------
    def _run(self, coroutine: Coroutine[Any, Any, Any], then: Callable[[Any], None]) -> None:
        self._busy(True)
        self._ops.follow(self._loop.submit(coroutine)).success(lambda value: self._done(then, value))

    def _done(self, then: Callable[[Any], None], value: Any) -> None:
        self._busy(False)
        self.problem.clear()
        then(value)

    def _failed(self, message: str) -> None:
        """On the step it concerns: what Telegram (or the log) said, named after the field to correct, which
        is marked and focused."""
        self._busy(False)
        step = self.flow.step
        self._show_step(step)
        message = message.replace(API_HELP, "").strip()  # the step's intro says it already, above the fields
        field = self._field_of(step)
        if field is not None:
            self._mark(field, True)
            self.problem.setText(self.tr("%1: %2").replace("%1", field.accessibleName()).replace("%2", message))
        else:
            self.problem.setText(message)

    def _field_of(self, step: LoginStep) -> QLineEdit | None:
        if step is LoginStep.API:
            return self.api_hash if self.api_id.text().strip().isdigit() else self.api_id
        return {LoginStep.PHONE: self.phone, LoginStep.CODE: self.code, LoginStep.PASSWORD: self.password}.get(step)

    @staticmethod
    def _mark(field: QLineEdit, wrong: bool) -> None:
        field.setStyleSheet("border: 2px solid #b02a37;" if wrong else "")

    def _busy(self, busy: bool) -> None:
        self.next_button.setEnabled(not busy)
        on_sources = self.pages.currentIndex() == self._page_of.get("sources", -1)
        self.back_button.setEnabled(
            not busy and not on_sources and self.flow.step in (LoginStep.PHONE, LoginStep.CODE, LoginStep.PASSWORD)
        )
        self.pages.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    # -- steps ------------------------------------------------------------------------------------------------
    def _show_step(self, step: Any) -> None:
        step = step if isinstance(step, LoginStep) else self.flow.step
        if step is LoginStep.DONE:
            account = self.flow.account
            self.account_name = account.name if account is not None else ""
            self._run(self._list_sources(), self._show_sources)
            return
        if step is LoginStep.CODE:
            where = {"app": self.tr("in the Telegram app"), "sms": self.tr("by SMS"), "call": self.tr("by a call")}
            self.code_info.setText(
                self.tr("Telegram sent a login code %1. Type it here.").replace(
                    "%1", where.get(self.flow.code_sent_by or "app", self.tr("in the Telegram app"))
                )
            )
        if step is LoginStep.PASSWORD:
            hint = self.flow.password_hint
            text = self.tr("This account has two-step verification: type its password.")
            if hint:
                text += " " + self.tr("Hint: %1").replace("%1", hint)
            self.password_info.setText(text)
        self.pages.setCurrentIndex(self._page_of[step])
        self._busy(False)  # Back follows the step shown
        focus = {
            LoginStep.API: self.api_id,
            LoginStep.PHONE: self.phone,
            LoginStep.CODE: self.code,
            LoginStep.PASSWORD: self.password,
        }[step]
        focus.setFocus()

    def _show_sources(self, refs: Any) -> None:
        self.sources.set_refs(list(refs))
        self.pages.setCurrentIndex(self._page_of["sources"])
        self.next_button.setText(self.tr("&Finish"))

    def next(self) -> None:
        if not self.next_button.isEnabled():
            return
        current = self.pages.currentIndex()
        if current == self._page_of["sources"]:
            watch, chosen = self._watch, self.sources.chosen()
            self._busy(True)
            self._ops.run(lambda: watch(chosen)).success(lambda _: self.accept())
            return
        step = self.flow.step
        if step is LoginStep.API:
            self._run(self.flow.submit_api(self.api_id.text(), self.api_hash.text()), self._show_step)
        elif step is LoginStep.PHONE:
            self._run(self.flow.submit_phone(self.phone.text()), self._show_step)
        elif step is LoginStep.CODE:
            self._run(self.flow.submit_code(self.code.text()), self._show_step)
        elif step is LoginStep.PASSWORD:
            self._run(self.flow.submit_password(self.password.text()), self._show_step)

    def done(self, result: int) -> None:
        # Close the login's client on its loop, then stop the loop; the window does not wait for either.
        self._loop.stop_after(self.flow.close())
        super().done(result)


def _said(problem: BaseException) -> str:
    return problem.message if isinstance(problem, TelegramProblem) else str(problem)
