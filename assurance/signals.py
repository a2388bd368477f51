"""Signals the record sends, so other apps can act on them without assurance importing them."""

from django.dispatch import Signal

# Sent with `year` (the AssessmentYear) and `by` once the transaction that published the year has
# committed: receivers see the year published and never act on a publication that rolled back.
# directed_development connects the receiver that emails SHA staff their PCTs of concern;
# assurance cannot call it directly: the rules for concern live there, and imports run from
# directed_development to assurance only.
year_published = Signal()

# Sent with `year` once a transaction that changed the year's results, its status or its
# reference data has committed (assurance.actions.touch_year): every cached page showing the year
# is stale. leaguetable connects the receiver that renders them again (leaguetable/warming.py).
year_changed = Signal()
