"""Benchmark publishing a year with its background work run inline or queued for a worker.

Run with `.venv/bin/python bench/publish_tasks.py [--staff 30] [--database-url URL]`.
Builds a throwaway database with the demo years and --staff SHA staff with email addresses,
serves SMTP on a local port (a tiny server in a thread: it answers every command, or, in the
"silent" runs, accepts the connection and never answers, as a hung mail server does) and times,
for each case, what the publishing request waits for: publish_year() until its on-commit work
has run. Then the worker's side: the email task, warming every public page, and how long
`manage.py db_worker` takes to start.
"""

import argparse
import os
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import run_in_temporary_database  # noqa: E402

EMAIL_TIMEOUT = 2


class SMTPHandler(socketserver.StreamRequestHandler):
    silent = False

    def handle(self):
        if self.silent:
            time.sleep(EMAIL_TIMEOUT * 2)
            return
        self.wfile.write(b"220 bench ESMTP\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line == b".\r\n":
                    in_data = False
                    self.wfile.write(b"250 queued\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def start_smtp() -> int:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="Default: SQLite in a temporary folder.")
    parser.add_argument("--staff", type=int, default=30, help="SHA staff to email (default 30).")
    return parser.parse_args()


def add_staff(count: int) -> None:
    from accounts import roles
    from accounts.actions import grant_role
    from assurance.models import SHA

    shas = list(SHA.objects.all())
    for n in range(count):
        grant_role(
            username=f"staff{n}",
            role=roles.SHA_STAFF,
            sha=shas[n % len(shas)],
            email=f"staff{n}@example.invalid",
        )


def time_publication(backend: str, *, silent: bool) -> float:
    from django.test.utils import override_settings

    from assurance import actions
    from assurance.models import AssessmentYear

    AssessmentYear.objects.filter(start_year=2010).update(
        status=AssessmentYear.Status.DRAFT, published_at=None
    )
    SMTPHandler.silent = silent
    with override_settings(TASKS={"default": {"BACKEND": backend}}, TASK_RETRY_SECONDS=0):
        started = time.perf_counter()
        actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)
        return time.perf_counter() - started


def worker_start_seconds(database_url: str) -> float:
    """From starting `manage.py db_worker` to its first log line (it is then polling)."""
    started = time.perf_counter()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url},
        stderr=subprocess.PIPE,
        text=True,
    )
    worker.stderr.readline()
    seconds = time.perf_counter() - started
    worker.terminate()
    worker.wait()
    return seconds


def run(args):
    from django.test.utils import override_settings

    from directed_development import tasks
    from leaguetable import warming

    add_staff(args.staff)
    inline = "django.tasks.backends.immediate.ImmediateBackend"
    queued = "django_tasks_db.DatabaseBackend"
    print(
        f"Publishing 2010/11 (152 PCTs) to {args.staff} SHA staff; EMAIL_TIMEOUT={EMAIL_TIMEOUT}s"
    )
    for label, backend, silent in [
        ("emails inline, mail server answers", inline, False),
        ("emails queued, mail server answers", queued, False),
        ("emails inline, mail server silent (3 tries)", inline, True),
        ("emails queued, mail server silent", queued, True),
    ]:
        times = [time_publication(backend, silent=silent) for _ in range(1 if silent else 3)]
        print(f"  {label:<46} {min(times) * 1000:8.0f} ms")
    SMTPHandler.silent = False
    from assurance.models import AssessmentYear

    year = AssessmentYear.objects.get(start_year=2010)
    started = time.perf_counter()
    with override_settings(TASKS={"default": {"BACKEND": inline}}):
        tasks.email_sha_staff_about_publication.enqueue(year_id=year.pk)
    print(f"Worker: the email task                         {time.perf_counter() - started:8.2f} s")
    paths = warming.public_paths()
    started = time.perf_counter()
    warming.warm(paths)
    seconds = time.perf_counter() - started
    print(f"Worker: warming {len(paths)} public pages                {seconds:8.2f} s")
    start = worker_start_seconds(os.environ["DATABASE_URL"])
    print(f"Worker start (db_worker to its first log line)   {start:8.2f} s")


if __name__ == "__main__":
    arguments = parse_args()
    port = start_smtp()
    os.environ.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_TIMEOUT=str(EMAIL_TIMEOUT),
    )
    run_in_temporary_database(arguments, run, demo_data=True)
