"""URLs of the read side: league, PCT, SHA, overview, compare, methodology and flag pages."""

from django.urls import path

from leaguetable import flag_views, views

app_name = "leaguetable"
urlpatterns = [
    path("", views.league, name="latest"),
    path("league/<str:year_slug>/", views.league, name="league"),
    path("pct/<str:code>/", views.pct_profile, name="pct"),
    path("sha/<str:code>/", views.sha_page, name="sha"),
    path("overview/", views.national_overview, name="overview"),
    path("compare/", views.compare_pcts, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
    path("flags/", flag_views.flag_list, name="flags"),
    path("flags/suggestions/", flag_views.suggestions, name="suggestions"),
    path("flags/new/<str:year_slug>/<str:pct_code>/", flag_views.flag_new, name="flag_new"),
    path("flags/<int:flag_id>/", flag_views.flag_detail, name="flag"),
    path("flags/<int:flag_id>/confirm/", flag_views.flag_confirm, name="flag_confirm"),
    path("flags/<int:flag_id>/lift/", flag_views.flag_lift, name="flag_lift"),
]
