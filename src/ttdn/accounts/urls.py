"""The organisations' pages, under /to-chuc/ (names kept: templates link to them)."""

from django.urls import path

from ttdn.accounts import views

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
