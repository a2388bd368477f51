"""Signals the record sends, so other apps can act on them without assurance importing them."""

from django.dispatch import Signal

# Sent with `year` (the AssessmentYear) and `by` once the transaction that published the year has
# committed: receivers see the year published and never act on a publication that rolled back.
# directed_development connects the receiver that emails SHA staff their PCTs of concern;
# assurance cannot call it directly: the rules for concern live there, and imports run from
# directed_development to assurance only.
year_published = Signal()
