"""The Makefile's demo: the address it serves on is the one its emails link to."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def demo_command(*variables: str) -> str:
    """The command `make demo` would run to serve, without running anything (make -n)."""
    dry_run = subprocess.run(
        ["make", "-n", "demo", *variables], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return next(line for line in dry_run.stdout.splitlines() if "runserver" in line)


@pytest.mark.parametrize(
    ("variables", "site_url", "address"),
    [
        ((), "http://127.0.0.1:8000", "127.0.0.1:8000"),
        (("HOST=127.0.0.1:8123",), "http://127.0.0.1:8123", "127.0.0.1:8123"),
        (("HOST=0.0.0.0:8080",), "http://127.0.0.1:8080", "0.0.0.0:8080"),
        (
            ("HOST=0.0.0.0:8080", "SITE_URL=http://wcc.lan:8080"),
            "http://wcc.lan:8080",
            "0.0.0.0:8080",
        ),
    ],
)
def test_make_demo_links_emails_to_where_it_serves(variables, site_url, address):
    command = demo_command(*variables)
    assert f"SITE_URL={site_url} " in command
    assert command.endswith(f"runserver {address}")


def test_make_demo_runs_a_task_worker_beside_the_server_and_stops_it_on_exit():
    dry_run = subprocess.run(
        ["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    worker = next(line for line in dry_run.splitlines() if "db_worker" in line)
    assert worker.startswith("DEBUG=1 ") and "manage.py db_worker" in worker
    assert worker.rstrip(" \\").endswith("& worker=$!;")
    assert "trap 'kill $worker" in dry_run
