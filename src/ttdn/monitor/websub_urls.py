"""The WebSub callback under /websub/ (hubs call it; outside the staff pages)."""

from django.urls import path

from ttdn.monitor import websub_views

urlpatterns = [path("<str:token>/", websub_views.websub_callback, name="websub_callback")]
