"""Signals the record sends, so other apps can act on them without assurance importing them."""

from django.dispatch import Signal

# Sent with `year` (the AssessmentYear), once per publication, when the year has become public:
# at the publication itself, or at the moment its embargo lifts (assurance.actions.announcement
# decides, by AssessmentYear.is_public, and claims the announcement so it is sent once). Never
# at an approval under embargo: what the public may not read yet must not reach an inbox.
# directed_development connects the receiver that emails SHA staff their PCTs of concern, and
# watchlists the one that emails group owners; assurance cannot call them directly: imports run
# from those apps to assurance only.
year_became_public = Signal()

# Sent with `year` once a transaction that changed the year's results, its status or its
# reference data has committed (assurance.actions.touch_year): every cached page showing the year
# is stale. leaguetable connects the receiver that renders them again (leaguetable/warming.py).
year_changed = Signal()

# Sent (no arguments) each time a write statement has moved years' revisions
# (assurance.revisions.move), inside its transaction: assurance.cache forgets the approved years
# and their revisions once it commits. A signal rather than a call, so the models' managers
# (revisions) do not import the cache, which imports the models.
revisions_moved = Signal()
