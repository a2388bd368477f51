"""Who is who: the three roles, kept as Django groups with their permissions, and a decorator.

- analyst: reads published years and exports them;
- SHA staff: an analyst who belongs to one SHA (UserProfile.sha);
- assurance admin: enters, imports and publishes results, and manages reference data.

The record (assurance) asks Django's permissions, `user.has_perm("assurance.record_results")`,
which the admins' group holds; it never imports this module. Who may flag PCTs for directed
development is directed_development.access, in terms of these roles.

A user holds one role at a time. Superusers count as assurance admins.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from assurance.models import SHA

ANALYST = "analyst"
SHA_STAFF = "sha_staff"
ADMIN = "admin"
GROUP_NAMES = {ANALYST: "Analysts", SHA_STAFF: "SHA staff", ADMIN: "Assurance admins"}

# What assurance admins may do: record results (the entry form, imports, publishing), and in
# Django's admin: reference data in full, the record read-only (results change only through the
# entry form and the import, which keep the audit trail), flags read-only.
ADMIN_PERMISSIONS = [
    "assurance.record_results",
    *(
        f"assurance.{verb}_{model}"
        for model in ("sha", "pct", "competency", "assessmentyear")
        for verb in ("add", "change", "delete", "view")
    ),
    "assurance.view_assessment",
    "assurance.view_importbatch",
    "directed_development.view_directeddevelopmentflag",
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


def ensure_groups() -> dict[str, Group]:
    """Create the role groups and give assurance admins their admin permissions (idempotent)."""
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in GROUP_NAMES.items()}
    wanted = Q()
    for permission in ADMIN_PERMISSIONS:
        app_label, codename = permission.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    groups[ADMIN].permissions.set(Permission.objects.filter(wanted))
    return groups
