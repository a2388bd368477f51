"""Signals the record sends, so the read side can act on them without assurance importing it."""

from django.dispatch import Signal

# Sent with `year` (the AssessmentYear) and `by` once the transaction that published the year has
# committed: receivers see the year published and never act on a publication that rolled back.
# leaguetable connects the receiver that emails SHA staff their PCTs of concern; assurance cannot
# call it directly, because the rules for concern live on the read side (leaguetable.concerns)
# and the dependency runs from leaguetable to assurance only.
year_published = Signal()
