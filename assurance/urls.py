"""URLs of the assurance admins' pages, under /assurance/."""

from django.urls import path

from assurance import views

app_name = "assurance"
urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_upload, name="import"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:batch_id>/reverse/", views.import_reverse, name="import_reverse"),
    path("import/<int:batch_id>/", views.import_preview, name="import_preview"),
    path("import/<int:batch_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("pct/<pct:pct_code>/history/", views.pct_history, name="history"),
    path("publication/<int:request_id>/approve/", views.approve_request, name="approve"),
    path("publication/<int:request_id>/cancel/", views.cancel_request, name="cancel_request"),
    path("<year:year_slug>/", views.year_detail, name="year"),
    path("<year:year_slug>/publish/", views.publish, name="publish"),
    path("<year:year_slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<year:year_slug>/publication/", views.publication, name="publication"),
    path("<year:year_slug>/template.<str:fmt>", views.template, name="template"),
    path("<year:year_slug>/pct/<pct:pct_code>/", views.entry, name="entry"),
]
