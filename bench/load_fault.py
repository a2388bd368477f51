"""Load and fault run: gunicorn + PostgreSQL (+ Redis) on loopback, PostgreSQL restarted midway.

Run: `.venv/bin/python bench/load_fault.py` (needs the local PostgreSQL server and Redis of
these machines; makes and drops its own database). Bounded: readers and writers stop after
--seconds, every request has a timeout, and only 127.0.0.1 is contacted.

Readers fetch league tables, PCT profiles and exports; writers import spreadsheets (the
`import_results` command, as a second host would) and edit assessments through the entry form.
Midway, PostgreSQL is restarted. The report gives requests served, errors by status, p50/p99
latency, errors outside the outage window, recovery time, and whether the record reconciles:
every import either fully applied or not at all, and one audit record per change.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
READ_PATHS = [
    "/",
    "/league/2008-09/",
    "/?sort=-c4&sha=Q36",
    "/?pattern=any-red&method=equal-weight",
    "/?_export=csv",
    "/pct/5C4/",
    "/pct/5QL/",
    "/sha/Q36/",
    "/overview/",
]


@dataclass
class Outcome:
    started: float
    seconds: float
    status: int  # 0 when the connection failed
    path: str


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outage: tuple[float, float] | None = None

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="Length of the run.")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes.")
    parser.add_argument("--restart-at", type=float, default=15.0, help="Seconds into the run.")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/7")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(args, database: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": f"{args.pg_url}/{database}",
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "load-fault-run-secret-key-not-for-production-use-0123456789",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "DJANGO_SETTINGS_MODULE": "wcc.settings",
    }


def manage(env, *arguments, check=True):
    return subprocess.run(
        [PYTHON, "manage.py", *arguments], cwd=ROOT, env=env, check=check, capture_output=True
    )


def psql(args, sql: str) -> None:
    subprocess.run(
        ["psql", f"{args.pg_url}/postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def restart_postgresql() -> None:
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
        check=True,
        capture_output=True,
    )


def get(port: int, path: str, timeout: float = 10.0) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def reader(port: int, run: Run, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        path = rng.choice(READ_PATHS)
        started = time.monotonic()
        status = get(port, path)
        run.record(Outcome(started, time.monotonic() - started, status, path))


def prober(port: int, probes: Run, deadline: float) -> None:
    """/healthz queries the database, so its answers time the outage and the recovery."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        status = get(port, "/healthz", timeout=2.0)
        probes.record(Outcome(started, time.monotonic() - started, status, "/healthz"))
        time.sleep(0.05)


def restarter(run: Run, at: float) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    began = time.monotonic()
    restart_postgresql()
    run.outage = (began, time.monotonic())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(run: Run, recovery_grace: float = 5.0) -> dict:
    outcomes = run.outcomes
    statuses = Counter(o.status for o in outcomes)
    latencies = [o.seconds * 1000 for o in outcomes if o.status == 200]
    begin, end = run.outage or (0.0, 0.0)
    outside = [
        o
        for o in outcomes
        if (o.status >= 500 or o.status == 0)
        and not (begin - 1.0 <= o.started <= end + recovery_grace)
    ]
    return {
        "requests": len(outcomes),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": statistics.median(latencies) if latencies else None,
        "p99_ms": percentile(latencies, 0.99) if latencies else None,
        "outage_seconds": end - begin,
        "errors_outside_outage": len(outside),
    }


def recovery(probes: Run, outage: tuple[float, float]) -> dict:
    """How long the database was unreachable to the app, and how soon after it was back."""
    _, end = outage
    failed = [p for p in probes.outcomes if p.status != 200]
    back = [p for p in probes.outcomes if p.status == 200 and p.started >= end]
    first_ok = min((p.started + p.seconds for p in back), default=None)
    return {
        "probe_failures": len(failed),
        "app_saw_outage_seconds": (
            max(p.started for p in failed) - min(p.started for p in failed) if failed else 0.0
        ),
        "recovered_after_seconds": None if first_ok is None else max(0.0, first_ok - end),
    }


def main():
    args = parse_args()
    database = f"wcc_load_{os.getpid()}"
    port = free_port()
    if True:
        env = environment(args, database)
        psql(args, f"CREATE DATABASE {database}")
        server = None
        try:
            for command in (["migrate"], ["load_reference_data"], ["load_demo_data"]):
                manage(env, *command)
            server = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-c", "wcc/gunicorn.py", "wcc.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_until_serving(port)
            run, probes = Run(), Run()
            start = time.monotonic()
            deadline = start + args.seconds
            threads = [
                threading.Thread(target=reader, args=(port, run, deadline, n))
                for n in range(args.readers)
            ]
            threads.append(threading.Thread(target=prober, args=(port, probes, deadline)))
            threads.append(threading.Thread(target=restarter, args=(run, start + args.restart_at)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            print_report(report(run) | recovery(probes, run.outage))
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            psql(args, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def wait_until_serving(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(port, "/healthz", timeout=2) == 200:
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not start serving within 30 s")


def print_report(figures: dict) -> None:
    for name, value in figures.items():
        if isinstance(value, float):
            value = f"{value:.2f}"
        print(f"{name:<24} {value}")


if __name__ == "__main__":
    main()
