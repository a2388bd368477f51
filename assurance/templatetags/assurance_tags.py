"""Template filters of the assurance pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ saved|get_item:field.name }}: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None
