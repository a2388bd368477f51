"""What a user's role needs beyond Django's own user and groups."""

from django.conf import settings
from django.db import models


class UserProfile(models.Model):
    """The SHA that a member of SHA staff belongs to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wcc_profile"
    )
    sha = models.ForeignKey("assurance.SHA", on_delete=models.PROTECT, null=True, blank=True)

    def __str__(self):
        return f"{self.user} ({self.sha or 'no SHA'})"
