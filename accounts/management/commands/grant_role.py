"""manage.py grant_role USERNAME analyst|sha_staff|admin [--sha CODE] [--email ADDRESS]
[--reset-2fa]."""

import getpass
import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import actions, roles, two_factor
from assurance.models import SHA


class Command(BaseCommand):
    help = (
        "Give USERNAME one role: analyst, sha_staff (needs --sha) or admin. Creates the user if "
        "needed, asking for a password on a terminal, otherwise generating and printing one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=list(roles.GROUP_NAMES))
        parser.add_argument("--sha", help="The user's SHA code, e.g. Q36 (required for sha_staff).")
        parser.add_argument(
            "--email", help="Where to send the user's notices (SHA staff: PCTs of concern)."
        )
        parser.add_argument(
            "--reset-2fa",
            action="store_true",
            help="Remove the user's authenticator app and recovery codes (a lost phone): they "
            "set up a new app at their next sign-in.",
        )

    def handle(self, *args, username, role, sha, email, reset_2fa, **options):
        sha_record = find_sha(sha) if sha else None
        if role == roles.SHA_STAFF and sha_record is None:
            raise CommandError("sha_staff needs --sha CODE: the SHA the user belongs to.")
        exists = get_user_model().objects.filter(username=username).exists()
        password, generated = (None, False) if exists else self.new_password(username)
        user, created = actions.grant_role(
            username=username, role=role, sha=sha_record, password=password, email=email
        )
        where = f" in {sha_record}" if sha_record else ""
        self.stdout.write(f"{'Created' if created else 'Updated'} {user}: {role}{where}.")
        if generated:
            self.stdout.write(f"Password for {user} (shown once): {password}")
        if reset_2fa:
            removed = two_factor.reset(user)
            self.stdout.write(
                f"Removed {removed} two-factor device(s) of {user}: they enrol again at their "
                "next sign-in."
            )

    def new_password(self, username: str) -> tuple[str, bool]:
        """Ask on a terminal, else (scripts, CI) generate one. Returns (password, generated)."""
        if not sys.stdin.isatty():
            return secrets.token_urlsafe(16), True
        while True:
            password = getpass.getpass(f"Password for {username}: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                password_validation.validate_password(password, get_user_model()(username=username))
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password, False


def find_sha(code: str) -> SHA:
    try:
        return SHA.objects.get(code=code.strip().upper())
    except SHA.DoesNotExist:
        known = ", ".join(SHA.objects.values_list("code", flat=True)) or "none loaded yet"
        raise CommandError(f"Unknown SHA code {code!r}. Known codes: {known}.") from None
