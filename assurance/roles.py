"""Who may do what: the three roles, kept as Django groups, and the one decorator views use.

- analyst: reads published years and exports them;
- SHA staff: an analyst who belongs to one SHA (UserProfile.sha);
- assurance admin: enters, imports and publishes results, and manages reference data.

SHA staff flag their own SHA's PCTs for directed development; assurance admins any PCT. Who may
read flags is `flag_scope` (analysts too when FLAGS_VISIBLE_TO_ANALYSTS is on).

A user holds one role at a time. Superusers count as assurance admins.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from assurance.models import SHA

ANALYST = "analyst"
SHA_STAFF = "sha_staff"
ADMIN = "admin"
GROUP_NAMES = {ANALYST: "Analysts", SHA_STAFF: "SHA staff", ADMIN: "Assurance admins"}

# What assurance admins may do in Django's admin: reference data in full, the record read-only
# (results change only through the entry form and the import, which keep the audit trail).
ADMIN_PERMISSIONS = [
    *(
        f"{verb}_{model}"
        for model in ("sha", "pct", "competency", "assessmentyear")
        for verb in ("add", "change", "delete", "view")
    ),
    "view_assessment",
    "view_importbatch",
    "view_directeddevelopmentflag",
]


def _group_names(user) -> frozenset[str]:
    """The user's group names, fetched once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_wcc_groups"):
        user._wcc_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._wcc_groups


def role_of(user) -> str | None:
    if user.is_authenticated and user.is_superuser:
        return ADMIN
    names = _group_names(user)
    return next((role for role, group in GROUP_NAMES.items() if group in names), None)


def is_assurance_admin(user) -> bool:
    return user.is_active and role_of(user) == ADMIN


def is_sha_staff(user) -> bool:
    return user.is_active and role_of(user) == SHA_STAFF


def is_analyst(user) -> bool:
    """Any role may read and export; SHA staff and admins are analysts too."""
    return user.is_active and role_of(user) is not None


def sha_of(user) -> SHA | None:
    """The SHA a user belongs to (SHA staff), fetched once per request object."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_wcc_sha"):
        user._wcc_sha = SHA.objects.filter(userprofile__user=user).first()
    return user._wcc_sha


def may_flag(user, pct) -> bool:
    """Flag, confirm or lift a flag on `pct`: assurance admins, and SHA staff of its SHA only."""
    if is_assurance_admin(user):
        return True
    sha = sha_of(user) if is_sha_staff(user) else None
    return sha is not None and sha.pk == pct.sha_id


def may_see_suggestions(user) -> bool:
    """The suggestions for directed development are for the people who decide it."""
    return is_assurance_admin(user) or is_sha_staff(user)


def may_see_flags(user) -> bool:
    """Flags are for SHA staff and admins; for analysts too when FLAGS_VISIBLE_TO_ANALYSTS."""
    return may_see_suggestions(user) or (settings.FLAGS_VISIBLE_TO_ANALYSTS and is_analyst(user))


@dataclass(frozen=True, slots=True)
class FlagScope:
    """Whose directed development flags a user may read: every SHA's, one SHA's, or none."""

    every_sha: bool = False
    sha: SHA | None = None  # SHA staff's own SHA, when they may not read every SHA's

    def allows(self, sha_id: int) -> bool:
        return self.every_sha or (self.sha is not None and self.sha.pk == sha_id)


def flag_scope(user) -> FlagScope:
    """Admins read every flag; SHA staff their own SHA's; analysts only when the setting is on.

    With FLAGS_VISIBLE_TO_ANALYSTS on, SHA staff read every SHA's flags too: they are analysts
    as well, and must not see less than an analyst does.
    """
    if not may_see_flags(user):
        return FlagScope()
    if is_assurance_admin(user) or settings.FLAGS_VISIBLE_TO_ANALYSTS:
        return FlagScope(every_sha=True)
    return FlagScope(sha=sha_of(user))


def role_required(check: Callable) -> Callable:
    """View decorator: anonymous users go to the login page, users without the role get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


admin_required = role_required(is_assurance_admin)
suggestions_required = role_required(may_see_suggestions)
flags_required = role_required(may_see_flags)


def ensure_groups() -> dict[str, Group]:
    """Create the role groups and give assurance admins their admin permissions (idempotent)."""
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in GROUP_NAMES.items()}
    permissions = Permission.objects.filter(
        content_type__app_label="assurance", codename__in=ADMIN_PERMISSIONS
    )
    groups[ADMIN].permissions.set(permissions)
    return groups
