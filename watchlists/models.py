"""Saved groups of PCTs (watchlists): a user's named selection, shared by an unguessable link."""

import secrets

from django.conf import settings
from django.db import models

from assurance.models import PCT


def new_token() -> str:
    # 128 bits: the link is the only key to reading a group, so it must not be guessable.
    return secrets.token_urlsafe(16)


class WatchlistQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def emailed_on_publication(self):
        return self.filter(email_on_publication=True).exclude(owner__email="")


class Watchlist(models.Model):
    """A named group of PCTs one user follows: readable by anyone with its link, edited by its
    owner alone."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlists"
    )
    name = models.CharField(max_length=80)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    pcts = models.ManyToManyField(PCT, blank=True, related_name="watchlists")
    email_on_publication = models.BooleanField(
        default=False, help_text="Email the owner this group's ranks when a year is published."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WatchlistQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "saved group"
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="group_names_unique_per_owner")
        ]

    def __str__(self):
        return self.name
