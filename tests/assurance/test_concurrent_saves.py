"""Two admins saving the same entry form at once on SQLite (the demo's database): one saves, the
other sees who changed it, never a 500 "database is locked"."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_second_of_two_simultaneous_saves_gets_the_conflict_page(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "tests.scripts.concurrent_entry_saves", str(tmp_path / "db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    rounds = json.loads(run.stdout.strip().splitlines()[-1])
    # Each round: one save redirects to the year's page, the other shows the conflict.
    assert rounds == [[[200, True], [302, False]]] * len(rounds)
    assert len(rounds) == 8
