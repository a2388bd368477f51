"""Every write to saved groups: keyword-only `by=`, the owner checked here as well as in views."""

from django.db import transaction
from django.http import Http404

from assurance.models import PCT
from watchlists.models import Watchlist


def _own(group: Watchlist, by) -> None:
    # 404, not 403, as in the views: an edit refused says nothing about whose group it is.
    if not by.is_authenticated or group.owner_id != by.pk:
        raise Http404("No saved group of yours has this link.")


@transaction.atomic
def create_group(*, by, name: str, pcts=(), email_on_publication: bool = False) -> Watchlist:
    if not by.is_authenticated:
        raise PermissionError("Log in to save a group.")
    group = Watchlist.objects.create(
        owner=by, name=name.strip(), email_on_publication=email_on_publication
    )
    group.pcts.add(*pcts)
    return group


@transaction.atomic
def update_group(*, by, group: Watchlist, name: str, email_on_publication: bool) -> Watchlist:
    _own(group, by)
    group.name = name.strip()
    group.email_on_publication = email_on_publication
    group.save(update_fields=["name", "email_on_publication"])
    return group


def add_pct(*, by, group: Watchlist, pct: PCT) -> bool:
    """Put `pct` in the group; False if it was there already (nothing changes)."""
    _own(group, by)
    if group.pcts.filter(pk=pct.pk).exists():
        return False
    group.pcts.add(pct)
    return True


def remove_pct(*, by, group: Watchlist, pct: PCT) -> None:
    _own(group, by)
    group.pcts.remove(pct)


def delete_group(*, by, group: Watchlist) -> None:
    _own(group, by)
    group.delete()
