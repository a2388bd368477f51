"""Load and fault runs: gunicorn + PostgreSQL + Redis on loopback, a fault midway.

Run: `.venv/bin/python bench/load_fault.py [--fault proxies|restart]` (needs the local
PostgreSQL server and Redis of these machines; makes and drops its own database). Bounded:
readers and writers stop after --seconds, every request has a timeout, and only 127.0.0.1 is
contacted.

--fault proxies (the default): the app reaches Redis and PostgreSQL through TCP proxies this
script starts itself on free ports. Under load from anonymous and signed-in readers, the Redis
proxy is stopped (its listener and every open connection closed, as a stopped server's are)
and started again, then the PostgreSQL proxy likewise. The report gives requests answered,
5xx by status (and all statuses) during each outage and outside them, and seconds to recover:
from the proxy's restart to the first /healthz that no longer names a degraded cache, or that
reaches the database again. Nothing but this script's own proxies is stopped, so it is safe
beside other users of the same servers.

--fault restart: the first version of this script, described below; it restarts the machine's
PostgreSQL cluster, so only where nothing else uses it.

Readers fetch league tables, PCT profiles and exports; writers import spreadsheets (the
`import_results` command, as a second host would) and edit assessments through the entry form.
Midway, PostgreSQL is restarted. The report gives requests served, errors by status, p50/p99
latency, errors outside the outage window, recovery time, and whether the record reconciles:
every import either fully applied or not at all, and one audit record per change.
"""

import argparse
import contextlib
import csv
import http.client
import http.cookiejar
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
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
    parser.add_argument("--fault", choices=["proxies", "restart"], default="proxies")
    parser.add_argument(
        "--outage", type=float, default=8.0, help="Seconds each proxy stays stopped (proxies)."
    )
    parser.add_argument(
        "--redis-stop-at", type=float, default=8.0, help="Seconds into the run (proxies)."
    )
    parser.add_argument(
        "--pg-stop-at", type=float, default=24.0, help="Seconds into the run (proxies)."
    )
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


DRAFT_YEAR = "2010-11"
EDITED_PCT = "5C4"  # edited through the form; every other PCT comes from the imports
ADMIN = "loadadmin"


def import_files(folder: str) -> list[str]:
    """Two complete files for the draft year with different values, so each import changes all."""
    from assurance import demo  # plain Python: no Django set-up needed

    with (ROOT / "fixtures" / "pcts.csv").open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle) if row["code"] != EDITED_PCT]
    numbers = list(range(1, 12))
    paths = []
    for seed in (1, 2):
        results = demo.generate_year(demo.SHAPES[2010], codes, numbers, seed=seed)
        path = os.path.join(folder, f"import-{seed}.csv")
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["pct_code", *(f"c{n}" for n in numbers), *demo.AREAS])
            for r in results:
                writer.writerow([r.pct_code, *(r.scores[n] for n in numbers), *r.ratings])
        paths.append(path)
    return paths


def import_writer(env, paths: list[str], writes: Run, deadline: float) -> None:
    """Import the two files in turn with the command, as a second app host would."""
    turn = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        done = manage(env, "import_results", paths[turn % 2], "--year", DRAFT_YEAR, "--by", ADMIN,
                      check=False)  # fmt: skip
        writes.record(Outcome(started, time.monotonic() - started, done.returncode, "import"))
        turn += 1


class Browser:
    """A logged-in user's session (the admin's by default): cookies and the CSRF token."""

    def __init__(self, port: int, password: str, username: str = ADMIN):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )
        page = self.open("/accounts/login/")[1]
        self.open(
            "/accounts/login/", {"username": username, "password": password} | self.csrf(page)
        )

    def csrf(self, page: str) -> dict:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        return {"csrfmiddlewaretoken": token.group(1)} if token else {}

    def open(self, path: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:  # a redirect: its target says what happened
                return error.code, error.headers.get("Location", "")
            return error.code, error.read().decode(errors="replace")
        except OSError:
            return 0, ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def edit_writer(port: int, password: str, writes: Run, deadline: float) -> None:
    """Save the entry form for one PCT again and again, each time with a new score for C1."""
    browser = Browser(port, password)
    path = f"/assurance/{DRAFT_YEAR}/pct/{EDITED_PCT}/"
    turn = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        status, page = browser.open(path)
        if status == 200:
            version = re.search(r'name="version" value="(\d+)"', page)
            form = {f"c{n}": "2" for n in range(1, 12)} | {"c1": str(turn % 4 + 1)}
            form |= {"strategy": "G", "finance": "A", "board_governance": "G", "notes": ""}
            form |= {"version": version.group(1) if version else ""} | browser.csrf(page)
            status, page = browser.open(path, form)
        # A save redirects to the year's page; anything else (a refusal, an error) did not save.
        saved = status == 302 and page.endswith(f"/assurance/{DRAFT_YEAR}/")
        writes.record(
            Outcome(started, time.monotonic() - started, status, "saved" if saved else page[:80])
        )
        turn += 1
        time.sleep(0.1)


def reconcile(env, paths: list[str], imports: Run, edits: Run) -> dict:
    """After the run: did every write land whole, and does the audit trail account for each?

    Every PCT but the edited one must hold one file's values in full (no half-applied import);
    applied batches must equal the imports that reported success; the edited assessment's
    version and history rows must count exactly the saves that reported success, plus its first.
    """
    script = f"""
import csv, json
from assurance.models import Assessment, ImportBatch
rows = {{a.pct.code: a for a in Assessment.objects.filter(year__start_year=2010)
        .select_related("pct").prefetch_related("scores__competency")}}
def matches(path):
    with open(path, newline="") as handle:
        return sum(
            1 for line in csv.DictReader(handle)
            if (a := rows.get(line["pct_code"])) is not None
            and [a.strategy, a.finance, a.board_governance]
            == [line["strategy"], line["finance"], line["board_governance"]]
            and all(str(s.score) == line[f"c{{s.competency.number}}"] for s in a.scores.all())
        )
edited = rows["{EDITED_PCT}"]
print(json.dumps({{
    "rows_from_file": [matches(p) for p in {paths!r}],
    "applied_batches": ImportBatch.objects.filter(status="applied").count(),
    "edited_version": edited.version,
    "edited_history": Assessment.history.filter(id=edited.id).count(),
}}))
"""
    done = manage(env, "shell", "-c", script)
    found = json.loads(done.stdout.decode().strip().splitlines()[-1])
    file_rows = len(Path(paths[0]).read_text().splitlines()) - 1
    imported_ok = sum(1 for o in imports.outcomes if o.status == 0)
    edited_ok = sum(1 for o in edits.outcomes if o.path == "saved")
    return {
        "imports_ok": imported_ok,
        "imports_failed": len(imports.outcomes) - imported_ok,
        "imports_applied_in_db": found["applied_batches"],
        "draft_year_whole_file": file_rows in found["rows_from_file"],
        "edits_saved": edited_ok,
        "edits_refused_or_failed": len(edits.outcomes) - edited_ok,
        "edit_versions_in_db": found["edited_version"],
        "edit_history_rows": found["edited_history"],
    }


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
    if args.fault == "proxies":
        proxies_run(args)
        return
    database = f"wcc_load_{os.getpid()}"
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(args, database)
        psql(args, f"CREATE DATABASE {database}")
        server = None
        try:
            for command in (["migrate"], ["load_reference_data"], ["load_demo_data"]):
                manage(env, *command)
            granted = manage(env, "grant_role", ADMIN, "admin").stdout.decode()
            password = granted.rsplit(": ", 1)[-1].strip()
            paths = import_files(folder)
            server = subprocess.Popen(
                [PYTHON, "-m", "gunicorn", "-c", "wcc/gunicorn.py", "wcc.wsgi",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            wait_until_serving(port)
            run, probes, imports, edits = Run(), Run(), Run(), Run()
            start = time.monotonic()
            deadline = start + args.seconds
            threads = [
                threading.Thread(target=reader, args=(port, run, deadline, n))
                for n in range(args.readers)
            ]
            threads.append(threading.Thread(target=prober, args=(port, probes, deadline)))
            threads.append(
                threading.Thread(target=import_writer, args=(env, paths, imports, deadline))
            )
            threads.append(
                threading.Thread(target=edit_writer, args=(port, password, edits, deadline))
            )
            threads.append(threading.Thread(target=restarter, args=(run, start + args.restart_at)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            print_report(
                report(run) | recovery(probes, run.outage) | reconcile(env, paths, imports, edits)
            )
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


# The proxies run ----------------------------------------------------------------------------


class TCPProxy:
    """Forwards a free loopback port to `target`; stop() closes the listener and every open
    connection (clients see resets, then refusals), start() listens on the same port again."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.connections: set[socket.socket] = set()
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self.listener = self.listener, None
        _close(listener)
        with self.lock:
            connections, self.connections = self.connections, set()
        for connection in connections:
            _close(connection)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in accept() or recv()
    sock.close()


@dataclass
class Fault:
    name: str
    proxy: TCPProxy
    at: float
    seconds: float
    window: tuple[float, float] | None = None


def fault_runner(fault: Fault, start: float) -> None:
    time.sleep(max(0.0, start + fault.at - time.monotonic()))
    began = time.monotonic()
    fault.proxy.stop()
    time.sleep(fault.seconds)
    fault.proxy.start()
    fault.window = (began, time.monotonic())


def health_prober(port: int, probes: Run, deadline: float) -> None:
    """Records /healthz: 200 with a 'degraded' line is recorded as status 299."""
    while time.monotonic() < deadline:
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2.0)
        try:
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            body = response.read()
            status = 299 if response.status == 200 and b"degraded" in body else response.status
        except OSError:
            status = 0
        finally:
            connection.close()
        probes.record(Outcome(started, time.monotonic() - started, status, "/healthz"))
        time.sleep(0.05)


def signed_in_reader(port: int, password: str, run: Run, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, password, username=READER)
    while time.monotonic() < deadline:
        path = rng.choice([*READ_PATHS, "/groups/"])
        started = time.monotonic()
        status, _ = browser.open(path)
        run.record(Outcome(started, time.monotonic() - started, status, "signed-in " + path))


READER = "loadreader"


def proxies_run(args) -> None:
    with tempfile.TemporaryFile() as log:  # gunicorn's stderr: the app's JSON log lines
        _proxies_run(args, log)


def _proxies_run(args, log) -> None:
    database = f"wcc_load_{os.getpid()}"
    pg = urllib.parse.urlsplit(args.pg_url)
    redis = urllib.parse.urlsplit(args.redis_url)
    pg_proxy = TCPProxy((pg.hostname, pg.port or 5432))
    redis_proxy = TCPProxy((redis.hostname, redis.port or 6379))
    for proxy in (pg_proxy, redis_proxy):
        proxy.start()
    proxied = argparse.Namespace(
        pg_url=pg._replace(
            netloc=f"{pg.username or 'postgres'}@127.0.0.1:{pg_proxy.port}"
        ).geturl(),
        redis_url=redis._replace(netloc=f"127.0.0.1:{redis_proxy.port}").geturl(),
    )
    env = environment(proxied, database)
    port = free_port()
    psql(args, f"CREATE DATABASE {database}")
    server = None
    try:
        for command in (["migrate"], ["load_reference_data"], ["load_demo_data"]):
            manage(env, *command)
        granted = manage(env, "grant_role", READER, "analyst").stdout.decode()
        password = granted.rsplit(": ", 1)[-1].strip()
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", "wcc/gunicorn.py", "wcc.wsgi",
             "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        wait_until_serving(port)
        run, probes = Run(), Run()
        faults = [
            Fault("Redis", redis_proxy, args.redis_stop_at, args.outage),
            Fault("PostgreSQL", pg_proxy, args.pg_stop_at, args.outage),
        ]
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [
            threading.Thread(target=reader, args=(port, run, deadline, n))
            for n in range(args.readers)
        ]
        threads += [
            threading.Thread(target=signed_in_reader, args=(port, password, run, deadline, n))
            for n in range(2)
        ]
        threads.append(threading.Thread(target=health_prober, args=(port, probes, deadline)))
        threads += [threading.Thread(target=fault_runner, args=(f, start)) for f in faults]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print_faults_report(run, probes, faults)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
            log.seek(0)
            lines = log.read().decode(errors="replace").splitlines()
            print(f"{'log lines with a traceback':<42} {sum('Traceback' in x for x in lines)}")
            print(f"{'warnings from wcc.cache':<42} {sum('wcc.cache' in x for x in lines)}")
        for proxy in (pg_proxy, redis_proxy):
            proxy.stop()
        psql(args, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def print_faults_report(run: Run, probes: Run, faults: list[Fault]) -> None:
    windows = {f.name: f.window for f in faults}

    def phase(outcome: Outcome) -> str:
        for name, (began, ended) in windows.items():
            if began <= outcome.started <= ended:
                return f"{name} stopped"
        return "both up"

    answered = [o for o in run.outcomes if o.status != 0]
    figures = {
        "requests": len(run.outcomes),
        "requests answered": len(answered),
        "no answer (connection failed)": len(run.outcomes) - len(answered),
        "5xx by status": dict(
            sorted(Counter(o.status for o in answered if o.status >= 500).items())
        ),
    }
    for name in ("both up", *(f"{f.name} stopped" for f in faults)):
        in_phase = [o for o in run.outcomes if phase(o) == name]
        statuses = Counter(o.status for o in in_phase)
        signed_in = Counter(o.status for o in in_phase if o.path.startswith("signed-in"))
        figures[f"{name}: statuses"] = dict(sorted(statuses.items()))
        figures[f"{name}: signed-in statuses"] = dict(sorted(signed_in.items()))
        latencies = [o.seconds * 1000 for o in in_phase if o.status == 200]
        if latencies:
            figures[f"{name}: p50 / p99 ms (200s)"] = (
                f"{statistics.median(latencies):.1f} / {percentile(latencies, 0.99):.1f}"
            )
    for fault in faults:
        _, ended = fault.window
        healthy = [p for p in probes.outcomes if p.started >= ended and p.status == 200]
        first = min((p.started + p.seconds for p in healthy), default=None)
        recovered = "never" if first is None else f"{first - ended:.2f}"
        figures[f"{fault.name}: outage seconds"] = f"{fault.window[1] - fault.window[0]:.2f}"
        figures[f"{fault.name}: seconds to recover (/healthz)"] = recovered
    for name, value in figures.items():
        print(f"{name:<42} {value}")


if __name__ == "__main__":
    main()
