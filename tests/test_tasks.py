"""Background tasks: what publishing queues, what the worker does, retries and their log lines."""

import datetime
import io
import logging
import signal

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import roles
from assurance import actions
from assurance.actions.announcement import announce_public_years
from assurance.actions.assessments import touch_year
from assurance.models import SHA, AssessmentYear
from leaguetable import warming
from tests.factories import AssessmentYearFactory, make_user
from tests.test_logging import log_lines

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_TASK = "directed_development.tasks.email_sha_staff_about_publication"
WARM_TASK = "leaguetable.warming.warm_public_pages"
GROUP_TASK = "watchlists.tasks.email_owners_their_groups"
ANNOUNCE_TASK = "assurance.actions.announcement.send_due_announcements"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def queued(settings):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def run_worker(monkeypatch):
    """Run `manage.py db_worker --batch`: every task that is due, then stop.

    The worker drops connections it finds outside autocommit, which inside a test's transaction
    would be the test's own: here it keeps them. It also takes over Ctrl-C and SIGTERM, which
    are given back to pytest after each run.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        try:
            call_command(
                "db_worker", "--batch", "--no-reload", "--no-startup-delay", stdout=io.StringIO()
            )
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run


@pytest.fixture
def sha_staff(demo_data):
    london, south_west = SHA.objects.get(code="Q36"), SHA.objects.get(code="Q39")
    make_user("sam", roles.SHA_STAFF, london, "sam@example.invalid")
    make_user("sid", roles.SHA_STAFF, south_west, "sid@example.invalid")


@pytest.fixture
def few_pages(monkeypatch):
    """Warm the league tables and the overview only: every profile of 152 PCTs is slow to test."""
    every_page = warming.public_paths
    monkeypatch.setattr(warming, "public_paths", lambda: every_page()[:4])


@pytest.fixture
def refusing_mail_server(monkeypatch):
    """The mail server refuses every connection until the test calls the returned function."""
    answering = locmem.EmailBackend.send_messages

    def refuse(self, messages):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", refuse)
    return lambda: monkeypatch.setattr(locmem.EmailBackend, "send_messages", answering)


def publish_2010(django_capture_on_commit_callbacks) -> AssessmentYear:
    with django_capture_on_commit_callbacks(execute=True):
        return actions.publish_year(year=AssessmentYear.objects.get(start_year=2010), by=None)


def queued_paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_publishing_queues_the_emails_and_the_warming_and_sends_nothing_itself(
    sha_staff, queued, settings, django_capture_on_commit_callbacks
):
    settings.WARM_PAGE_CACHE = True
    year = publish_2010(django_capture_on_commit_callbacks)
    assert queued_paths() == [ANNOUNCE_TASK, WARM_TASK]
    assert mail.outbox == []
    # The announcement (the worker runs it) queues each app's emails, by the year's id.
    DBTaskResult.objects.all().delete()
    assert announce_public_years() == [year]
    assert queued_paths() == [EMAIL_TASK, GROUP_TASK]
    for task in DBTaskResult.objects.all():
        assert task.args_kwargs == {"args": [], "kwargs": {"year_id": year.pk}}
    assert mail.outbox == []


def test_the_worker_sends_the_emails_and_warms_the_pages(
    sha_staff,
    queued,
    settings,
    run_worker,
    few_pages,
    client,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    settings.WARM_PAGE_CACHE = True
    publish_2010(django_capture_on_commit_callbacks)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["sam@example.invalid", "sid@example.invalid"]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    with django_assert_num_queries(0):  # rendered by the worker, served from the cache
        assert client.get("/league/2010-11/").status_code == 200


def test_a_failing_mail_server_leaves_a_failed_try_and_a_retry_and_the_publication_stands(
    sha_staff, queued, run_worker, refusing_mail_server, capsys, django_capture_on_commit_callbacks
):
    publish_2010(django_capture_on_commit_callbacks)
    run_worker()
    assert AssessmentYear.objects.get(start_year=2010).is_approved
    assert mail.outbox == []
    # (The saved groups' task succeeds: no group asked for email, so it sends nothing.)
    failed, retry = DBTaskResult.objects.filter(task_path=EMAIL_TASK).order_by("enqueued_at")
    assert failed.status == TaskResultStatus.FAILED
    assert "ConnectionRefusedError: no mail server" in failed.traceback
    assert retry.status == TaskResultStatus.READY and retry.task_path == EMAIL_TASK
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after - failed.started_at >= datetime.timedelta(seconds=59)
    (warning,) = [
        line
        for line in log_lines(capsys)
        if line["logger"] == "wcc.tasks" and line["level"] != "INFO"
    ]
    assert warning["level"] == "WARNING"
    assert warning["message"] == f"Task {EMAIL_TASK} failed (try 1 of 3): trying again in 60 s"
    assert (warning["attempt"], warning["retry_in_seconds"]) == (1, 60)
    assert "ConnectionRefusedError: no mail server" in warning["exception"]


def test_the_retry_sends_the_emails_once_the_mail_server_is_back(
    sha_staff,
    queued,
    run_worker,
    refusing_mail_server,
    fixed_clock,
    django_capture_on_commit_callbacks,
):
    publish_2010(django_capture_on_commit_callbacks)
    run_worker()
    refusing_mail_server()  # back up
    run_worker()
    assert mail.outbox == [], "the retry waits for its time"
    fixed_clock.shift(datetime.timedelta(seconds=61))
    run_worker()
    assert len(mail.outbox) == 2
    emailed = DBTaskResult.objects.filter(task_path=EMAIL_TASK, status=TaskResultStatus.SUCCESSFUL)
    assert emailed.count() == 1


def test_a_task_that_keeps_failing_is_tried_three_times_then_given_up_with_its_traceback(
    sha_staff, refusing_mail_server, capsys, django_capture_on_commit_callbacks
):
    publish_2010(django_capture_on_commit_callbacks)  # tasks run at once, retries too
    lines = [
        line
        for line in log_lines(capsys)
        if line["logger"] == "wcc.tasks" and line["level"] != "INFO"
    ]
    assert [(line["level"], line["attempt"]) for line in lines] == [
        ("WARNING", 1),
        ("WARNING", 2),
        ("ERROR", 3),
    ]
    assert lines[-1]["message"] == f"Task {EMAIL_TASK} failed 3 times: giving up"
    assert "ConnectionRefusedError: no mail server" in lines[-1]["exception"]
    assert AssessmentYear.objects.get(start_year=2010).is_approved


def test_a_change_to_a_published_year_queues_the_warming_and_a_drafts_does_not(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.WARM_PAGE_CACHE = True
    draft = AssessmentYearFactory(start_year=2010, status=AssessmentYear.Status.DRAFT)
    published = AssessmentYearFactory(start_year=2009)
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(draft)
    assert queued_paths() == []
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(published)
    assert queued_paths() == [WARM_TASK]


def test_no_warming_is_queued_when_the_page_cache_is_not_shared(
    queued, settings, django_capture_on_commit_callbacks
):
    settings.WARM_PAGE_CACHE = False
    with django_capture_on_commit_callbacks(execute=True):
        touch_year(AssessmentYearFactory(start_year=2009))
    assert queued_paths() == []


def test_warming_puts_every_public_page_in_the_cache(flag_world, client, django_assert_num_queries):
    paths = warming.public_paths()
    assert paths == [
        "/",
        "/league/2009-10/",
        "/overview/",
        "/sha/Q30/",
        "/sha/Q36/",
        *(f"/pct/{code}/" for code in sorted(flag_world.pcts)),
    ]
    assert warming.warm_public_pages.enqueue().return_value == len(paths)
    for path in paths:
        with django_assert_num_queries(0):
            assert client.get(path).status_code == 200


def test_warming_skips_quietly_a_page_that_became_private_after_it_was_listed(
    flag_world, caplog, django_capture_on_commit_callbacks
):
    paths = warming.public_paths()
    with django_capture_on_commit_callbacks(execute=True):
        AssessmentYear.objects.update(status=AssessmentYear.Status.WITHDRAWN)
    assert warming.warm(paths) == 0
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_the_weekly_flag_email_command_queues_its_task_for_the_worker(flag_world, queued):
    out = io.StringIO()
    call_command("email_flag_reviews", stdout=out)
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "directed_development.tasks.email_flag_reviews"
    assert out.getvalue() == f"Queued as task {task.id}: a worker (manage.py db_worker) runs it.\n"


def test_removing_stale_uploads_runs_as_a_task(db, queued, run_worker):
    call_command("remove_stale_imports", stdout=io.StringIO())
    run_worker()
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == "assurance.tasks.remove_stale_imports"
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 0


def test_a_command_whose_task_failed_every_try_says_so(db, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "remove_stale_imports", broken)
    with caplog.at_level(logging.WARNING), pytest.raises(Exception, match="disk full"):
        call_command("remove_stale_imports", stdout=io.StringIO())


def test_a_task_run_at_once_that_fails_once_succeeds_on_its_second_try(db, monkeypatch, capsys):
    tries = []

    def flaky(**kwargs):
        tries.append(kwargs)
        if len(tries) == 1:
            raise ConnectionResetError("database restarting")
        return 2

    monkeypatch.setattr(actions, "remove_stale_imports", flaky)
    out = io.StringIO()
    call_command("remove_stale_imports", stdout=out)
    assert out.getvalue() == "Removed 2 unconfirmed upload(s) older than 7 days.\n"
    assert len(tries) == 2
    (warning,) = [line for line in log_lines(capsys) if line["level"] == "WARNING"]
    assert warning["message"] == (
        "Task assurance.tasks.remove_stale_imports failed (try 1 of 3): trying again now"
    )
