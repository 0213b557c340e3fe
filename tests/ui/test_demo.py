"""The app in demo mode, started as a real process under Xvfb: it logs in to the simulated organization
through the real connector, fills the inbox, and its window is saved as a picture (look at it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_demo_under_xvfb(tmp_path: Path) -> None:
    if shutil.which("xvfb-run") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the demo under Xvfb: xvfb-run is missing (see .ci/run)")
        pytest.skip("xvfb-run is not installed")
    picture = tmp_path / "demo.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1500x900x24",
            sys.executable,
            "-m",
            "tests.support.demo_screenshot",
            str(picture),
            str(tmp_path / "data"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "title=Moderator Workstation — DEMO" in result.stdout
    assert "connection=Telegram: connected" in result.stdout
    rows = int(result.stdout.split("rows=")[1].split()[0])
    assert rows > 10
    assert picture.stat().st_size > 50_000
    keep = os.environ.get("MW_SCREENSHOTS")
    if keep:
        shutil.copy(picture, Path(keep) / "demo-xvfb.png")
