"""The benchmarks still run: each script that times the pages, at a size that takes seconds.

They are run by hand, so nothing else notices when a change breaks one (bench/datasette_compare.py
broke twice: once on a renamed function, once when a warm league page stopped making queries).
This asserts no figure, only that each script finishes and prints its table.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The in-process cache ('' for --redis-url): these runs need no Redis of their own.
SCRIPTS = [
    ("datasette_compare.py", ["--large", "0", "--repeat", "1"], "of Datasette"),
    (
        "cold_start.py",
        ["--large", "200", "--repeat", "1", "--redis-url", "", "--urls", "/", "/sha/Q36/"],
        "worker restart (shared rankings)",
    ),
    (
        "corrections_memory.py",
        ["--large", "200", "--corrections", "1", "--redis-url", ""],
        "correction 1",
    ),
    ("unpickling.py", ["200"], "collector paused"),
]


@pytest.mark.parametrize(("script", "arguments", "printed"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_the_benchmark_runs_to_its_table(script, arguments, printed):
    environment = {
        name: value
        for name, value in os.environ.items()
        # Each script makes its own throwaway database and cache, whatever the suite runs on.
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert printed in finished.stdout
