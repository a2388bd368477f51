"""Emails and tasks about a year go out when it becomes public, once, and never before.

Every task that takes a year (found by its `year_id` argument in every app's task modules) and
every receiver of the announcement is listed here; a new one that is not fails
test_every_task_and_receiver_about_a_year_is_listed.
"""

import datetime
import importlib
import inspect
import io

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.tasks import Task

from accounts import roles
from assurance import actions, signals
from assurance.actions import announcement
from assurance.models import PCT, SHA, AssessmentYear
from tests.factories import WatchlistFactory, make_user

pytestmark = pytest.mark.django_db

EMBARGO = datetime.datetime(2010, 7, 1, 9, 0, tzinfo=datetime.UTC)  # the suite's clock + 1 day
TASKS_ABOUT_A_YEAR = {
    "directed_development.tasks.email_sha_staff_about_publication",
    "watchlists.tasks.email_owners_their_groups",
}
RECEIVERS = {
    "directed_development.tasks.enqueue_publication_emails",
    "watchlists.tasks.enqueue_group_summaries",
}
TASK_MODULES = ("tasks", "actions.announcement")


def tasks_taking_a_year() -> dict[str, Task]:
    found = {}
    for config in apps.get_app_configs():
        for module_name in TASK_MODULES:
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for name, value in vars(module).items():
                if (
                    isinstance(value, Task)
                    and "year_id" in inspect.signature(value.func).parameters
                ):
                    found[f"{config.name}.{module_name}.{name}"] = value
    return found


def test_every_task_and_receiver_about_a_year_is_listed():
    assert set(tasks_taking_a_year()) == TASKS_ABOUT_A_YEAR
    connected = {
        f"{receiver.__module__}.{receiver.__qualname__}"
        for receiver in signals.year_became_public._live_receivers(AssessmentYear)[0]
    }
    assert connected == RECEIVERS


@pytest.fixture
def readers(demo_data):
    """SHA staff in London and the South West, and a group owner who asked for email."""
    make_user("sam", roles.SHA_STAFF, SHA.objects.get(code="Q36"), "sam@example.invalid")
    make_user("sid", roles.SHA_STAFF, SHA.objects.get(code="Q39"), "sid@example.invalid")
    olive = make_user("olive", roles.ANALYST, email="olive@example.invalid")
    WatchlistFactory(
        owner=olive, email_on_publication=True, pcts=list(PCT.objects.filter(code="5C4"))
    )
    return ["olive@example.invalid", "sam@example.invalid", "sid@example.invalid"]


@pytest.fixture
def admins(demo_data):
    return make_user("ada", roles.ADMIN), make_user("bea", roles.ADMIN)


def every_task_and_the_announcement(year: AssessmentYear) -> None:
    """What a worker could run about the year at any moment: each task, and the command."""
    for each in tasks_taking_a_year().values():
        each.call(year_id=year.pk)
    call_command("announce_public_years", stdout=io.StringIO())


def test_nothing_is_sent_about_a_year_before_it_is_public_and_all_once_when_it_is(
    readers, admins, fixed_clock, django_capture_on_commit_callbacks
):
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    every_task_and_the_announcement(year)
    assert mail.outbox == [], "a draft"

    asked = actions.request_publication(year=year, by=ada, public_from=EMBARGO)
    every_task_and_the_announcement(year)
    assert mail.outbox == [], "awaiting approval"

    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(request=asked, by=bea)
    every_task_and_the_announcement(year)
    assert mail.outbox == [], "approved, under embargo"

    fixed_clock.move_to(EMBARGO + datetime.timedelta(minutes=1))
    call_command("announce_public_years", stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == readers
    assert all("2010/11" in message.subject for message in mail.outbox)

    call_command("announce_public_years", stdout=io.StringIO())  # cron runs it again
    assert len(mail.outbox) == len(readers), "once"


def test_a_year_withdrawn_before_its_embargo_lifts_is_never_announced(
    readers, admins, fixed_clock, django_capture_on_commit_callbacks
):
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(
            request=actions.request_publication(year=year, by=ada, public_from=EMBARGO), by=bea
        )
        actions.approve(
            request=actions.request_withdrawal(year=year, by=bea, reason="Wrong file."), by=ada
        )
    fixed_clock.move_to(EMBARGO + datetime.timedelta(days=1))
    every_task_and_the_announcement(year)
    assert mail.outbox == []


def test_a_year_public_at_once_is_announced_as_its_publication_commits(
    readers, admins, django_capture_on_commit_callbacks
):
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(request=actions.request_publication(year=year, by=ada), by=bea)
    assert sorted(message.to[0] for message in mail.outbox) == readers
    assert AssessmentYear.objects.get(pk=year.pk).announced_at is not None


def test_an_embargoed_publication_queues_its_announcement_for_the_embargos_moment(
    admins, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(
            request=actions.request_publication(year=year, by=ada, public_from=EMBARGO), by=bea
        )
    queued = DBTaskResult.objects.filter(
        task_path="assurance.actions.announcement.send_due_announcements"
    )
    # One at once (nothing to announce yet), one at the embargo's moment.
    assert EMBARGO in [task.run_after for task in queued] and queued.count() == 2


def test_two_announcers_at_once_announce_a_year_once(readers, admins, fixed_clock):
    ada, bea = admins
    year = AssessmentYear.objects.get(start_year=2010)
    actions.approve(
        request=actions.request_publication(year=year, by=ada, public_from=EMBARGO), by=bea
    )
    fixed_clock.move_to(EMBARGO)
    first, second = announcement.announce_public_years(), announcement.announce_public_years()
    assert ([y.pk for y in first], second) == ([year.pk], [])
    assert len(mail.outbox) == len(readers)
