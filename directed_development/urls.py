"""URLs of directed development, under /flags/: suggestions, flags, a flag and its steps."""

from django.urls import path

from directed_development import views

app_name = "directed_development"
urlpatterns = [
    path("", views.flag_list, name="flags"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path(
        "suggestions/<year:year_slug>/<pct:pct_code>/dismiss/",
        views.suggestion_dismiss,
        name="suggestion_dismiss",
    ),
    path(
        "suggestions/dismissals/<int:dismissal_id>/restore/",
        views.suggestion_restore,
        name="suggestion_restore",
    ),
    path("new/<year:year_slug>/<pct:pct_code>/", views.flag_new, name="flag_new"),
    path("<int:flag_id>/", views.flag_detail, name="flag"),
    path("<int:flag_id>/confirm/", views.flag_confirm, name="flag_confirm"),
    path("<int:flag_id>/lift/", views.flag_lift, name="flag_lift"),
    path("<int:flag_id>/lift/approve/", views.flag_lift_approve, name="flag_lift_approve"),
    path("<int:flag_id>/lift/cancel/", views.flag_lift_cancel, name="flag_lift_cancel"),
]
