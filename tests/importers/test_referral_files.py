"""The referral library as XLSX and YAML (with the details the CSV lacks), checked like the CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.importers.referral_files import read_referrals, write_referrals
from moderator_app.importers.referrals_csv import ReferralCsvError
from moderator_app.store.db import Database
from moderator_app.store.repositories import ReferralRepository

CLINIC = ReferralOrganization(
    "Community Health Clinic",
    ("CHC", "عيادة المجتمع"),
    "613-555-0142",
    "chc.example.org",
    ("health",),
    ("en", "fr", "ar"),
    address="420 Cooper St, Ottawa",
    email="info@chc.example.org",
    hours="Mon-Fri 9-17",
    eligibility="Everyone, with or without a health card.",
    templates=(("ar", "يمكنك زيارة {name} في {address}."), ("fr", "Allez voir {name} au {address}.")),
    names=(("ar", "عيادة صحة المجتمع"), ("fr", "Clinique de santé communautaire")),
)
FOOD = ReferralOrganization("Ottawa Food Bank", phone="613-555-0152", topics=("food",))


@pytest.mark.parametrize("suffix", [".xlsx", ".yaml"])
def test_round_trip_with_details(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"partners{suffix}"
    write_referrals(path, [CLINIC, FOOD])
    organizations, details = read_referrals(path)
    assert details and organizations == [CLINIC, FOOD]


def test_csv_import_keeps_the_details(db: Database, tmp_path: Path) -> None:
    repository = ReferralRepository(db)
    path = tmp_path / "partners.yaml"
    write_referrals(path, [CLINIC])
    organizations, details = read_referrals(path)
    repository.upsert_all(organizations, details=details)
    csv = tmp_path / "partners.csv"
    write_referrals(csv, repository.all())
    organizations, details = read_referrals(csv)
    assert not details and organizations[0].address == ""
    repository.upsert_all(organizations, details=details)
    kept = repository.all()[0]
    assert kept.address == CLINIC.address and kept.templates == CLINIC.templates and kept.names == CLINIC.names


def test_bad_spreadsheet_and_yaml_say_where(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "aliases", "phone", "website", "topics", "languages", "email", "message:ar"])
    sheet.append(["Good", "", "613-555-0100", "good.example.org", "health", "en", "ok@good.example.org", ""])
    sheet.append(["", "", "", "", "", "", "", ""])
    sheet.append(["Bad mail", "", "613-555-0111", "", "", "en", "nobody", "{nom}"])
    sheet.append(["Bad phone", "", "call us!", "", "", "xx_y", "", ""])
    path = tmp_path / "partners.xlsx"
    book.save(path)
    with pytest.raises(ReferralCsvError) as caught:
        read_referrals(path)
    message = str(caught.value)
    assert "row 5, column 'phone'" in message and "row 5, column 'languages'" in message  # the sheet's numbers
    good = tmp_path / "fixed.xlsx"
    sheet.delete_rows(5)
    book.save(good)
    with pytest.raises(ReferralCsvError) as caught:
        read_referrals(good)
    message = str(caught.value)
    assert "row 4" in message and "'nobody' is not an email address" in message and "{nom} is not a field" in message
    (tmp_path / "a.yaml").write_text("format: moderator-app partners 1\norganizations: [\n", encoding="utf-8")
    with pytest.raises(ReferralCsvError, match="not valid YAML at line"):
        read_referrals(tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("organizations: []\n", encoding="utf-8")
    with pytest.raises(ReferralCsvError, match="expected 'format: moderator-app partners 1'"):
        read_referrals(tmp_path / "b.yaml")
    with pytest.raises(ReferralCsvError, match=r"give a \.csv, \.xlsx or \.yaml file"):
        read_referrals(tmp_path / "c.txt")


def test_names_by_language_are_used_and_matched() -> None:
    from moderator_app.domain.library import referral_text
    from moderator_app.domain.referrals import ReferralMatcher

    assert CLINIC.name_for("ar") == "عيادة صحة المجتمع" and CLINIC.name_for("fr-CA") == CLINIC.names[1][1]
    assert CLINIC.name_for("zh") == "Community Health Clinic"
    assert referral_text(CLINIC, "ar") == "يمكنك زيارة عيادة صحة المجتمع في 420 Cooper St, Ottawa."
    # Imported history that names the partner in Arabic counts a referral to it.
    found = ReferralMatcher([CLINIC, FOOD]).find("راجعي عيادة صحة المجتمع غدا")
    assert [o.name for o in found] == ["Community Health Clinic"]
