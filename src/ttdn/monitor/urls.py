"""Monitor's pages under /theo-doi/ (names kept: templates and JS link to them)."""

from django.urls import path

from ttdn.monitor import views

urlpatterns = [
    path("", views.stories, name="monitor"),
    path("luong/", views.stories_stream, name="monitor_stream"),
    path("cau-chuyen/<int:story_id>/", views.story_detail, name="story_detail"),
    path("cau-chuyen/<int:story_id>/sac-thai/", views.story_tone, name="story_tone"),
    path("tinh-trang/", views.health, name="monitor_health"),
    path(
        "tinh-trang/cong-viec/<int:failure_id>/xep-lai/",
        views.job_failure_requeue,
        name="job_failure_requeue",
    ),
]
