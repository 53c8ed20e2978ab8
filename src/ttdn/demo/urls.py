"""The demo feeds and articles under /demo/ (served by the platform itself)."""

from django.urls import path

from ttdn.demo import views

urlpatterns = [
    path("feeds/<slug:name>.xml", views.feed, name="demo_feed"),
    path("articles/<slug:item_id>/", views.article, name="demo_article"),
]
