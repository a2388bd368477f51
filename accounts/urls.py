"""Logging in and out, under /accounts/ (URL names `login` and `logout`, as Django expects)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from accounts.views import login

urlpatterns = [
    path("login/", login, name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
]
