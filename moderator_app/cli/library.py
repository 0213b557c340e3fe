"""referrals and library: the partner organizations and the canned answers, in and out of files."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from moderator_app.store.db import (
    Database,
)
from moderator_app.store.repositories import (
    ReferralRepository,
    SettingsRepository,
)

if TYPE_CHECKING:
    pass
from moderator_app.cli.common import UserError, writing_to


def cmd_referrals(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from moderator_app.importers.referral_files import read_referrals, write_referrals

    repository = ReferralRepository(db)
    path = Path(args.file)
    if args.referrals_command == "import":
        if not path.is_file():
            raise UserError(f"{path}: no such file.")
        organizations, details = read_referrals(path)
        added, updated = repository.upsert_all(organizations, details=details)
        print(f"Referral library: {added} organizations added, {updated} updated, from {path}", file=out)
        return 0
    organizations = repository.all()
    with writing_to(path):
        write_referrals(path, organizations)
    print(f"Wrote {len(organizations)} organizations to {path}", file=out)
    return 0


def cmd_library(db: Database, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The canned-answer library: import (YAML, CSV, XLSX; or the starter library), export, list."""
    from moderator_app.domain.library import review_due
    from moderator_app.domain.settings import REVIEW_MONTHS
    from moderator_app.importers.library_files import STARTER_LIBRARY, LibraryFileError, read_library, write_library
    from moderator_app.store.library import LibraryError, LibraryRepository

    repository = LibraryRepository(db)
    try:
        if args.library_command == "import":
            path = STARTER_LIBRARY if args.file == "starter" else Path(args.file)
            if not path.is_file():
                raise UserError(f"{path}: no such file.")
            added, updated = repository.upsert_all(read_library(path))
            print(f"Canned answers: {added} added, {updated} updated, from {path}", file=out)
            return 0
        if args.library_command == "search":
            return _library_search(db, args, out)
        answers = repository.all()
        if args.library_command == "export":
            with writing_to(Path(args.file)):
                write_library(Path(args.file), answers)
            print(f"Wrote {len(answers)} canned answers to {args.file}", file=out)
            return 0
    except (LibraryFileError, LibraryError) as exc:
        raise UserError(str(exc)) from exc
    today = datetime.now(UTC).date()
    months = SettingsRepository(db).read(REVIEW_MONTHS)
    for answer in answers:
        marks = ["to review"] if review_due(answer, today, months) else []
        languages = ",".join(answer.bodies)
        print(
            f"{answer.shortcut}\t{answer.title}\t{languages}\tused {answer.usage_count}"
            + (f"\t{', '.join(marks)}" if marks else ""),
            file=out,
        )
    return 0


def _library_search(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    """Search through the log's index (the same results, in the same order, as the composer's picker)."""
    from moderator_app.store.library import LibraryRepository, search_index
    from moderator_app.store.library_search import ANSWER, PARTNER

    kind = PARTNER if args.partners else ANSWER
    hits = search_index(db).search(args.query, args.language, args.limit, kind=kind)
    if not hits:
        print(f"Nothing in the library matches {args.query!r}.", file=out)
        return 1
    if kind == PARTNER:
        names = {o.id: o for o in ReferralRepository(db).all()}
        for hit in hits:
            organization = names.get(hit.doc_id)
            if organization is not None:
                print(f"{organization.name}\t{organization.phone}\t{organization.website}", file=out)
        return 0
    answers = {a.id: a for a in LibraryRepository(db).all()}
    for hit in hits:
        answer = answers.get(hit.doc_id)
        if answer is not None:
            glimpse = " ".join(answer.bodies.get(hit.language, "").split())[:80]
            print(f"{answer.shortcut}\t{hit.language}\t{answer.title}\t{glimpse}", file=out)
    return 0
