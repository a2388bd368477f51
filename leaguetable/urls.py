"""URLs of the read side: league tables, PCT and SHA pages, overview, comparison, methodology."""

from django.urls import path

from leaguetable import views

app_name = "leaguetable"
urlpatterns = [
    path("", views.league, name="latest"),
    path("league/<str:year_slug>/", views.league, name="league"),
    path("pct/<str:code>/", views.pct_profile, name="pct"),
    path("sha/<str:code>/", views.sha_page, name="sha"),
    path("overview/", views.national_overview, name="overview"),
    path("compare/", views.compare_pcts, name="compare"),
    path("methodology/", views.methodology, name="methodology"),
]
