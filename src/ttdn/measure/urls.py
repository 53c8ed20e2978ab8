from django.urls import path

from ttdn.web import views

urlpatterns = [
    path("", views.module_page, {"key": "measure"}, name="measure"),
]
