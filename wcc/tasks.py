"""Background tasks that retry: Django's @task, with bounded retries and one log line a try.

Django's task framework (django.tasks) records a failed task and stops; django-tasks-db has no
retries either. A mail server down for a minute should not mean SHA staff never hear of a
publication, so a task made with `retried_task` enqueues itself again when it fails, after
TASK_RETRY_SECONDS, then twice that, …, up to TASK_ATTEMPTS tries in all. Each failed try is
still recorded as failed (the worker's row, django.tasks' log line) and the next is a new task.
A backend that runs tasks at once (tests, TASKS_INLINE) cannot wait: it tries again at once,
within the same task, whose result is then the last try's.

A receiver enqueues; the task does the work (docs/architecture.md):

    @retried_task()
    def email_watchers(*, year_id: int) -> int: ...

    def on_year_published(sender, *, year, **kwargs):
        email_watchers.enqueue(year_id=year.pk)

Arguments must be JSON (ids, not model instances): the worker may run the task in another
process, after the objects have changed.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus, task
from django.utils import timezone

log = logging.getLogger(__name__)


def retried_task(**task_options):
    """Like Django's @task(...), and a failure is retried (bounded) and logged."""

    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def run(*args, attempt: int = 1, **kwargs):
            while True:
                try:
                    outcome = function(*args, **kwargs)
                except Exception:
                    if not _try_again_now(background, name, attempt, args, kwargs):
                        raise
                    attempt += 1
                    continue
                log.info("Task %s done", name, extra={"task": name, "attempt": attempt})
                return outcome

        background = task(**task_options)(run)
        return background

    return decorate


def finished_or_queued(result, done: str) -> str:
    """What a command that enqueued a task tells its operator: `done` (formatted with the task's
    return value) when the backend ran it at once, else where it waits. Raises if it failed."""
    if result.status == TaskResultStatus.FAILED:
        raise CommandError(f"The task failed: {result.errors[-1].traceback}")
    if result.status == TaskResultStatus.SUCCESSFUL:
        return done.format(result.return_value)
    return f"Queued as task {result.id}: a worker (manage.py db_worker) runs it."


def _try_again_now(background, name: str, attempt: int, args, kwargs) -> bool:
    """Log the failure; True to try again at once (a backend that cannot wait: tests,
    TASKS_INLINE), else the next try is queued for later or there is none."""
    fields = {"task": name, "attempt": attempt, "attempts": settings.TASK_ATTEMPTS}
    if attempt >= settings.TASK_ATTEMPTS:
        log.exception("Task %s failed %s times: giving up", name, attempt, extra=fields)
        return False
    later = background.get_backend().supports_defer
    delay = settings.TASK_RETRY_SECONDS * 2 ** (attempt - 1) if later else 0
    log.warning(
        "Task %s failed (try %s of %s): trying again %s",
        name,
        attempt,
        settings.TASK_ATTEMPTS,
        f"in {delay} s" if later else "now",
        exc_info=True,
        extra=fields | {"retry_in_seconds": delay},
    )
    if not later:
        return True
    try:
        background.using(run_after=timezone.now() + datetime.timedelta(seconds=delay)).enqueue(
            *args, attempt=attempt + 1, **kwargs
        )
    except Exception:
        log.exception("Task %s could not be queued to try again", name, extra=fields)
    return False
