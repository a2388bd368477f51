"""Who may see suggestions and flags, and who may flag a PCT, in terms of the roles.

SHA staff flag their own SHA's PCTs for directed development; assurance admins any PCT. Who may
read flags is `flag_scope` (analysts too when FLAGS_VISIBLE_TO_ANALYSTS is on).
"""

from dataclasses import dataclass

from django.conf import settings

from accounts.roles import is_analyst, is_assurance_admin, is_sha_staff, role_required, sha_of
from assurance.models import SHA


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


suggestions_required = role_required(may_see_suggestions)
flags_required = role_required(may_see_flags)
