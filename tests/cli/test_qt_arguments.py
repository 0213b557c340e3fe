"""Qt's own options (-reverse, -platform, -style) reach Qt instead of being refused as unknown arguments."""

from __future__ import annotations

import io
from pathlib import Path

from moderator_app.cli.main import main, split_qt_arguments


def test_qt_options_are_set_apart_with_their_values() -> None:
    ours, qt = split_qt_arguments(
        [
            "-reverse",
            "--data-dir",
            "/tmp/log",
            "-platform",
            "xcb",
            "-style=Fusion",
            "--demo",
            "-qwindowgeometry",
            "1280x720",
        ]
    )
    assert ours == ["--data-dir", "/tmp/log", "--demo"]
    assert qt == ["-reverse", "-platform", "xcb", "-style=Fusion", "-qwindowgeometry", "1280x720"]
    assert split_qt_arguments(["inbox", "--source", "Arabic group"]) == (["inbox", "--source", "Arabic group"], [])


def test_a_command_given_window_options_says_so(tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["--data-dir", str(tmp_path / "log"), "-reverse", "inbox"], out=io.StringIO(), err=err) == 2
    assert "-reverse are options of the window; give them without a command" in err.getvalue()
