"""Template filters: roles (the same questions views ask, via assurance.roles) and lookups."""

from django import template

from assurance import roles

register = template.Library()

register.filter("is_assurance_admin", roles.is_assurance_admin)
register.filter("may_see_flags", roles.may_see_flags)
register.filter("may_see_suggestions", roles.may_see_suggestions)
register.filter("may_flag", roles.may_flag)


@register.filter
def get_item(mapping, key):
    """{{ saved|get_item:field.name }}: a dict lookup by a variable key."""
    return mapping.get(key) if mapping else None
