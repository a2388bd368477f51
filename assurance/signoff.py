"""The one rule for a change that takes more than one person: who may sign, and when it is done.

Publishing, withdrawing and correcting a year (assurance.actions.publication), and confirming and
lifting a directed development flag (directed_development.actions), all ask it. Whoever asks
signs first; each other signer must be a different person (the database backs this with a
unique constraint on every SignOff table); the change is carried out by the signature that
makes `needed`.
"""

from django.utils import timezone


def sign(signatures, *, by, needed: int, refusal: Exception, at=None) -> bool:
    """Add `by`'s signature to `signatures` (a related manager of SignOff rows); True when it is
    the one that makes `needed` different people. Raises `refusal` if `by` has signed already.
    `at` (default now) is the moment the caller records for the whole step."""
    if signatures.filter(by=by).exists():
        raise refusal
    signatures.create(by=by, at=at or timezone.now())
    return signatures.count() >= needed
