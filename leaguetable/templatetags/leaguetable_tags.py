"""Template filters of the read side: the table's own red/amber/green badge, for other pages."""

from django import template
from django.utils.safestring import mark_safe

from leaguetable import tables

register = template.Library()


@register.filter
def rag(rating):
    """{{ scorecard.finance|rag }}: the same badge as the league table (letter plus hidden word)."""
    return mark_safe(tables.rag_badge(rating))
