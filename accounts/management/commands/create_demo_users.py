"""manage.py create_demo_users: one demo account per role, for DEBUG (demo) mode only."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import actions, roles
from assurance.models import SHA

DEMO_USERS = [
    ("demo-analyst", roles.ANALYST, None),
    ("demo-sha-staff", roles.SHA_STAFF, "Q36"),  # London
    ("demo-admin", roles.ADMIN, None),
    # Publishing takes two admins (PUBLICATION_APPROVALS): one asks, the other approves.
    ("demo-admin-2", roles.ADMIN, None),
]


class Command(BaseCommand):
    help = (
        "Create (or reset) demo-analyst, demo-sha-staff, demo-admin and demo-admin-2 with new "
        "passwords and "
        "print them. Refuses unless DEBUG is on: never run it against a production database."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo users are for demo mode only: DEBUG is off, so none were created."
            )
        self.stdout.write("Demo users (passwords are new on every run):")
        for username, role, sha_code in DEMO_USERS:
            sha = SHA.objects.filter(code=sha_code).first() if sha_code else None
            if sha_code and sha is None:
                raise CommandError("Load the reference data first: manage.py load_reference_data")
            password = secrets.token_urlsafe(12)
            # .invalid addresses: the console backend prints demo mail; nothing can deliver it.
            actions.grant_role(
                username=username,
                role=role,
                sha=sha,
                password=password,
                email=f"{username}@wcc.invalid",
            )
            where = f" ({sha})" if sha else ""
            self.stdout.write(f"  {role:<10} {username:<15} {password}{where}")
