"""Template filters of the assurance pages."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ saved|get_item:field.name }}: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None


@register.filter
def illustrative_labels(items) -> list[str]:
    """{% include "_illustrative_years.html" with illustrative=flags|illustrative_labels %}: the
    labels of the illustrative years among `items` (years, or things with a .year), oldest first.
    """
    items = items if hasattr(items, "__iter__") else [items]
    years = {getattr(item, "year", item) for item in items}
    return [
        year.label for year in sorted(years, key=lambda y: y.start_year) if year.is_illustrative
    ]
