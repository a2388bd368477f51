"""Django admin: saved groups, to see who follows what (they are edited on their own pages)."""

from django.contrib import admin

from watchlists.models import Watchlist


@admin.register(Watchlist)
class WatchlistAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "email_on_publication", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__username"]
    readonly_fields = ["token"]
    filter_horizontal = ["pcts"]
