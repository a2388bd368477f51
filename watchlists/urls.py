"""URLs of saved groups, under /groups/: a group's page is its token, the unguessable link."""

from django.urls import path

from watchlists import views

app_name = "watchlists"
urlpatterns = [
    path("", views.group_list, name="groups"),
    path("add/", views.add_from_profile, name="add_from_profile"),
    path("<slug:token>/", views.group_detail, name="group"),
    path("<slug:token>/edit/", views.group_edit, name="edit"),
    path("<slug:token>/pcts/", views.group_add_pct, name="add_pct"),
    path("<slug:token>/pcts/<pct:pct_code>/remove/", views.group_remove_pct, name="remove_pct"),
    path("<slug:token>/delete/", views.group_delete, name="delete"),
]
