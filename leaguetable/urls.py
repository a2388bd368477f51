"""URLs of the read side: league tables, PCT and SHA pages, overview, compare, methodology, and
each chart's data as CSV (charts/<slug>.csv under the page that draws it)."""

from django.urls import path

from leaguetable import views

app_name = "leaguetable"
urlpatterns = [
    path("", views.league, name="latest"),
    path("charts/<slug:chart>.csv", views.league_chart_data, name="latest_chart"),
    path("league/<year:year_slug>/", views.league, name="league"),
    path(
        "league/<year:year_slug>/charts/<slug:chart>.csv",
        views.league_chart_data,
        name="league_chart",
    ),
    path("pct/<str:code>/", views.pct_profile, name="pct"),
    path("pct/<pct:code>/report/", views.pct_report, name="pct_report"),
    path("pct/<str:code>/charts/<slug:chart>.csv", views.pct_chart_data, name="pct_chart"),
    path("sha/<str:code>/", views.sha_page, name="sha"),
    path("sha/<str:code>/charts/<slug:chart>.csv", views.sha_chart_data, name="sha_chart"),
    path("overview/", views.national_overview, name="overview"),
    path("overview/charts/<slug:chart>.csv", views.overview_chart_data, name="overview_chart"),
    path("compare/", views.compare_pcts, name="compare"),
    path("compare/charts/<slug:chart>.csv", views.compare_chart_data, name="compare_chart"),
    path("methodology/", views.methodology, name="methodology"),
]
