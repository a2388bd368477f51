"""Writes to accounts: give a user one role (and, for SHA staff, their SHA)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import roles
from accounts.models import UserProfile
from assurance.models import SHA


@transaction.atomic
def grant_role(
    *,
    username: str,
    role: str,
    sha: SHA | None = None,
    password: str | None = None,
    email: str | None = None,
):
    """Give a user exactly one role, creating the user if needed; returns (user, created).

    SHA staff must name their SHA. A password or email, when given, replaces the user's.
    """
    if role not in roles.GROUP_NAMES:
        raise ValueError(f"Unknown role {role!r}: choose one of {', '.join(roles.GROUP_NAMES)}.")
    if role == roles.SHA_STAFF and sha is None:
        raise ValueError("SHA staff must belong to an SHA: give its code.")
    user, created = get_user_model().objects.get_or_create(username=username)
    if password is not None:
        user.set_password(password)
    if email is not None:
        user.email = email
    # Assurance admins manage reference data in Django's admin; nobody else may enter it.
    user.is_staff = role == roles.ADMIN
    user.save()
    groups = roles.ensure_groups()
    user.groups.remove(*(group for name, group in groups.items() if name != role))
    user.groups.add(groups[role])
    UserProfile.objects.update_or_create(user=user, defaults={"sha": sha})
    return user, created
