"""Two admins save one PCT's entry form at the same moment, on a SQLite file, ROUNDS times.

Run by tests/assurance/test_concurrent_saves.py in a process of its own (the suite's SQLite
database lives in memory, where locking works differently): python -m
tests.scripts.concurrent_entry_saves DATABASE_FILE. Prints one JSON line: each round's two
responses as [status code, saw the conflict message].
"""

import json
import os
import sys
import threading

os.environ["DATABASE_URL"] = f"sqlite:///{sys.argv[1]}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"  # the test client's host name

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.actions import grant_role  # noqa: E402
from assurance.models import PCT, SHA, Assessment, AssessmentYear, Competency  # noqa: E402

ROUNDS = 8
URL = "/assurance/2010-11/pct/5C4/"


def set_up() -> list:
    call_command("migrate", verbosity=0)
    sha = SHA.objects.create(code="Q36", name="London SHA")
    pct = PCT.objects.create(code="5C4", name="Tower Hamlets PCT", sha=sha)
    year = AssessmentYear.objects.create(start_year=2010)
    year.competencies.add(Competency.objects.create(number=1, name="Locally lead the NHS"))
    Assessment.objects.create(pct=pct, year=year, strategy="A", finance="A", board_governance="A")
    return [grant_role(username=name, role=roles.ADMIN)[0] for name in ("ada", "bea")]


def save(user, rating: str, barrier: threading.Barrier, outcomes: list) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    version = Assessment.objects.get().version  # both open the form at the same version
    barrier.wait()
    response = client.post(
        URL,
        {
            "c1": "2",
            "strategy": rating,
            "finance": "A",
            "board_governance": "A",
            "version": version,
        },
    )
    outcomes.append([response.status_code, b"since you opened it" in response.content])
    connection.close()


def main() -> None:
    admins = set_up()
    rounds = []
    for _ in range(ROUNDS):
        # Both saves change strategy from amber (to green and to red): neither is a no-op, so
        # whichever commits second finds the version moved on.
        Assessment.objects.update(strategy="A")
        barrier, outcomes = threading.Barrier(2), []
        ratings = ("G", "R")
        threads = [
            threading.Thread(target=save, args=(admin, rating, barrier, outcomes))
            for admin, rating in zip(admins, ratings, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rounds.append(sorted(outcomes))
    print(json.dumps(rounds))


if __name__ == "__main__":
    main()
