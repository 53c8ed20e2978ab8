"""The portal's routes (decision 0016). `urlpatterns` (included at the root before the
staff shell): `/`, the sitemap, media files, the Wagtail admin, the staff board and
Measure's pickups page. `language_urlpatterns`: everything under /vi/, /en/, … — added to the
root URLconf directly, because a language-prefix pattern cannot live in an included one."""

from django.urls import include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ttdn.portal import views
from ttdn.portal.prefix import portal_patterns

urlpatterns = [
    # `/` is the portal in the reader's language, or the platform for signed-in staff
    path("", views.root, name="root"),
    path("sitemap.xml", views.sitemap, name="portal_sitemap"),
    path("media/<path:path>", views.media, name="media"),
    path("quang-ba/", views.publish_home, name="publish"),
    path("quang-ba/quan-tri/", include(wagtailadmin_urls)),
    path("quang-ba/tai-lieu/", include(wagtaildocs_urls)),
    path("quang-ba/bang-theo-doi/", views.board, name="portal_board"),
    path("do-luong/luot-dan-lai/", views.pickups, name="portal_pickups"),
]

language_urlpatterns = [
    *portal_patterns(
        path("search/", views.search, name="portal_search"),
        path("privacy/", views.privacy, name="portal_privacy"),
        path("for-you/", views.for_you, name="portal_for_you"),
        path("for-you/pages.json", views.recommend, name="portal_recommend"),
        path("feeds/<str:kind>.xml", views.feed, name="portal_feed"),
        # Wagtail's page route (same name, so page.url reverses to it)
        re_path(r"^((?:[\w\-]+/)*)$", views.serve, name="wagtail_serve"),
    ),
    # any other two- or three-letter prefix: a 404 in the reader's likely language
    re_path(r"^(?P<code>[a-z]{2,3}(?:-[a-z]{2,4})?)/(?P<rest>.*)$", views.unknown_language),
]
