"""Importing a partners' spreadsheet grows with its rows, not with their square (issue: hardening, item 13: 5k
rows took 4.1 s and 20k rows 48.5 s, the search index's deletes looking through every object of the session).

    .venv/bin/python -m pytest tests/benchmarks/test_partners_import_bench.py -m benchmarks -s
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from moderator_app.domain.referrals import ReferralOrganization
from moderator_app.importers.referral_files import read_referrals, write_referrals
from moderator_app.store.db import open_database
from moderator_app.store.repositories import ReferralRepository

pytestmark = pytest.mark.benchmarks


def _import(tmp_path: Path, rows: int) -> float:
    sheet = tmp_path / f"partners-{rows}.xlsx"
    write_referrals(
        sheet,
        [
            ReferralOrganization(f"Partner {i}", (f"P{i}",), "613-555-0100", f"p{i}.example.org", ("health",), ("en",))
            for i in range(rows)
        ],
    )
    db = open_database(data_dir=tmp_path / f"log-{rows}")
    started = time.perf_counter()
    organizations, details = read_referrals(sheet)
    ReferralRepository(db).upsert_all(organizations, details=details)
    took = time.perf_counter() - started
    db.close()
    return took


def test_partners_import_grows_linearly(benchmark: Any, tmp_path: Path) -> None:
    small = _import(tmp_path, 2_500)
    large = benchmark.pedantic(_import, args=(tmp_path, 10_000), rounds=1, iterations=1)
    ratio = large / small
    benchmark.extra_info.update({"seconds_2500": round(small, 2), "seconds_10000": round(large, 2)})
    print(f"\npartners import: 2,500 rows {small:.2f} s, 10,000 rows {large:.2f} s ({ratio:.1f}x for 4x the rows)")
    assert large < 15 and ratio < 6  # quadratic would be 16x
