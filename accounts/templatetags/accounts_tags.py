"""Template filters: the role questions views ask (accounts.roles), for navigation."""

from django import template

from accounts import roles

register = template.Library()

register.filter("is_assurance_admin", roles.is_assurance_admin)
