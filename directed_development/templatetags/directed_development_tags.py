"""Template filters: who may see suggestions and flags, and flag a PCT (see access.py)."""

from django import template

from directed_development import access

register = template.Library()

register.filter("may_see_flags", access.may_see_flags)
register.filter("may_see_suggestions", access.may_see_suggestions)
register.filter("may_flag", access.may_flag)
