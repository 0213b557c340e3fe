"""A group's own templates (issue 18, item 2): a canned answer can be for one group; there it is chosen over the
general one (guidelines, removal notice, join questions), and other groups never see it. Set in the library's
editor ("For:"), kept in the log, and kept by an import that cannot say a group (CSV)."""

from __future__ import annotations

from datetime import date
from typing import Any

from moderator_app.domain.events import SourceKind, SourceRef
from moderator_app.domain.library import GUIDELINE_TOPIC, REMOVAL_NOTICE_TOPIC, CannedAnswer, for_source
from moderator_app.domain.moderation import ModerationKind
from moderator_app.store.db import Database
from moderator_app.store.library import LibraryRepository
from moderator_app.store.repositories import SourceRepository
from moderator_app.ui.library_editor import LibraryEditor
from moderator_app.ui.moderation_dialog import ModerationDialog

GENERAL = CannedAnswer("No advertising", "no-ads", {"en": "No ads, please."}, (GUIDELINE_TOPIC,), id=1)
OTTAWA = CannedAnswer(
    "Ottawa: no selling", "ottawa-no-selling", {"en": "Nothing is sold here."}, (GUIDELINE_TOPIC,), id=2, sources=(10,)
)
TORONTO = CannedAnswer(
    "Toronto: no politics", "toronto-politics", {"en": "No politics."}, (GUIDELINE_TOPIC,), id=3, sources=(20,)
)
NOTICE = CannedAnswer("Removed", "removed", {"en": "You were removed."}, (REMOVAL_NOTICE_TOPIC,), id=4)
OTTAWA_NOTICE = CannedAnswer(
    "Ottawa removed",
    "ottawa-removed",
    {"en": "Removed from Newcomers Ottawa."},
    (REMOVAL_NOTICE_TOPIC,),
    id=5,
    sources=(10,),
)


def test_a_groups_own_answers_come_first_and_others_are_left_out() -> None:
    answers = [GENERAL, OTTAWA, TORONTO, NOTICE]
    assert for_source(answers, 10, GUIDELINE_TOPIC) == [OTTAWA, GENERAL]
    assert for_source(answers, 30, GUIDELINE_TOPIC) == [GENERAL]
    assert for_source(answers, None, GUIDELINE_TOPIC) == [GENERAL]
    assert for_source(answers, 10, REMOVAL_NOTICE_TOPIC) == [NOTICE]


def test_the_moderation_dialog_offers_the_groups_own_guidelines_and_notice(qtbot: Any) -> None:
    dialog = ModerationDialog(
        ModerationKind.REMOVE,
        source_id=10,
        member_id=3,
        member="Reza",
        message_id=None,
        message="",
        language="en",
        standing=None,
        guidelines=[GENERAL, OTTAWA, TORONTO, NOTICE, OTTAWA_NOTICE],
        profile_id=1,
    )
    qtbot.addWidget(dialog)
    listed = [dialog.guideline.itemText(i) for i in range(dialog.guideline.count())]
    assert listed == ["", "Ottawa: no selling", "No advertising"]
    assert dialog.notice.toPlainText() == "Removed from Newcomers Ottawa."


def test_the_library_editor_sets_the_group_and_an_import_keeps_it(qtbot: Any, sqlite_db: Database) -> None:
    ottawa = SourceRepository(sqlite_db).set_watched(
        SourceRef(SourceKind.GROUP, 1500, "Newcomers Ottawa", "group"), True
    )
    library = LibraryRepository(sqlite_db)
    library.save(CannedAnswer("No advertising", "no-ads", {"en": "No ads, please."}, (GUIDELINE_TOPIC,)))
    editor = LibraryEditor(
        library.all, library.save, library.delete, today=lambda: date(2026, 12, 5), sources=[(ottawa.id, ottawa.name)]
    )
    qtbot.addWidget(editor)
    assert editor.current is not None and editor.for_source.currentText() == "Every group"
    editor.for_source.setCurrentIndex(editor.for_source.findData(ottawa.id))
    editor.for_source.activated.emit(editor.for_source.currentIndex())
    assert editor.save()
    saved = library.get("no-ads")
    assert saved is not None and saved.sources == (ottawa.id,)
    # A CSV import cannot say a group: the answer keeps the one set here.
    library.upsert_all(
        [CannedAnswer("No advertising", "no-ads", {"en": "No advertising, please."}, (GUIDELINE_TOPIC,))]
    )
    again = library.get("no-ads")
    assert again is not None and again.sources == (ottawa.id,) and again.bodies["en"] == "No advertising, please."
