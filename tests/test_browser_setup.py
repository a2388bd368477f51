"""Without Chromium the browser tests fail, each with one line saying how to install it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_missing_chromium_fails_the_browser_tests_with_one_line_saying_how_to_install_it():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/browser/test_admin_journey.py::"
            "test_an_admin_fixes_a_rejected_upload_previews_confirms_and_publishes",
            "-p",
            "no:randomly",
            "-n",
            "0",
            "-q",
            "--no-header",
        ],
        env=os.environ | {"CHROMIUM": "/nonexistent/chromium"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1  # failed, not skipped: a skip would let CI pass without them
    report = run.stdout.split("= ERRORS =")[1].split("= slowest")[0].splitlines()[1:-1]
    assert [line for line in report if not line.startswith("_ ERROR at setup")] == [
        "Chromium not found at /nonexistent/chromium: install it with `make browser` "
        "(Debian's chromium package, apt-get), or set CHROMIUM=/path/to/chromium."
    ]
    assert "Traceback" not in run.stdout and "conftest.py:" not in run.stdout
    assert "1 error" in run.stdout and "skipped" not in run.stdout
