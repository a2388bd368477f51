"""URLs of the league table pages."""

from django.urls import path

from leaguetable import views

app_name = "leaguetable"
urlpatterns = [
    path("", views.league, name="latest"),
    path("league/<str:year_slug>/", views.league, name="league"),
    path("methodology/", views.methodology, name="methodology"),
]
