"""What every assurance page shares: the permission check and finding the year."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404

from assurance.models import AssessmentYear


def admin_required(view):
    """Anonymous users go to the login page; users who may not record results get 403.

    The permission belongs to the assurance admins' group (accounts.roles grants it).
    """
    return login_required(
        permission_required("assurance.record_results", raise_exception=True)(view)
    )


TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def year_or_404(year_slug: str) -> AssessmentYear:
    return get_object_or_404(AssessmentYear.objects.by_slug(year_slug))


def asked_message(asked, what: str) -> str:
    """What an admin is told after asking for a change to a published year (`what`: "correct
    Somerset PCT"): done, when one signature is all it takes, or waiting for another admin."""
    if asked.status == asked.Status.CARRIED_OUT:
        return f"Done: {what} in {asked.year}."
    return (
        f"Asked to {what} in {asked.year}: it takes effect when another assurance admin "
        "approves it on the year's publication page. Until then readers see the published "
        "results."
    )
