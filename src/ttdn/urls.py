from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ttdn.api import api
from ttdn.coordinate.api import router as coordinate_router
from ttdn.demo import views as demo_views
from ttdn.measure.api import open_api, staff_router
from ttdn.monitor import views as monitor_views
from ttdn.monitor import websub_views
from ttdn.portal import views as portal_views
from ttdn.portal.api import router as portal_open_router
from ttdn.portal.prefix import portal_patterns
from ttdn.reports.api import router as reports_router
from ttdn.web import overview, views

# Measure: search and saved searches in the staff API (/api/measure/...)
api.add_router("/measure/", staff_router)
api.add_router("/reports/", reports_router)  # periodic reports (/api/reports/...)
open_api.add_router("/portal/", portal_open_router)  # portal pages' metadata (open data)
api.add_router("", coordinate_router)  # tasks, board, submissions (/api/tasks, /api/coordinate/...)

handler400 = "ttdn.web.errors.bad_request"
handler403 = "ttdn.web.errors.permission_denied"
handler404 = "ttdn.web.errors.page_not_found"
handler500 = "ttdn.web.errors.server_error"

urlpatterns = [
    # `/` is the portal in the reader's language, or the platform for signed-in staff;
    # the staff home moved to /nen-tang/ (docs/decisions/0016-portal-url-layout.md)
    path("", portal_views.root, name="root"),
    path("nen-tang/", overview.overview, name="home"),
    path("sitemap.xml", portal_views.sitemap, name="portal_sitemap"),
    path("media/<path:path>", portal_views.media, name="media"),
    path("quang-ba/quan-tri/", include(wagtailadmin_urls)),
    path("quang-ba/tai-lieu/", include(wagtaildocs_urls)),
    path("quang-ba/bang-theo-doi/", portal_views.board, name="portal_board"),
    path("tong-quan/", overview.overview, name="overview"),
    path("tong-quan/quoc-gia/<str:country>/", overview.overview_country, name="overview_country"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("theo-doi/", monitor_views.stories, name="monitor"),
    path("theo-doi/luong/", monitor_views.stories_stream, name="monitor_stream"),
    path("theo-doi/cau-chuyen/<int:story_id>/", monitor_views.story_detail, name="story_detail"),
    path(
        "theo-doi/cau-chuyen/<int:story_id>/sac-thai/", monitor_views.story_tone, name="story_tone"
    ),
    path("theo-doi/tinh-trang/", monitor_views.health, name="monitor_health"),
    path(
        "theo-doi/tinh-trang/cong-viec/<int:failure_id>/xep-lai/",
        monitor_views.job_failure_requeue,
        name="job_failure_requeue",
    ),
    path("websub/<str:token>/", websub_views.websub_callback, name="websub_callback"),
    path("do-luong/bao-cao/", include("ttdn.reports.urls")),
    path("do-luong/luot-dan-lai/", portal_views.pickups, name="portal_pickups"),
    path("do-luong/", include("ttdn.measure.urls")),
    path("canh-bao/", include("ttdn.alerts.urls")),
    path("phan-hoi/", include("ttdn.respond.urls")),
    path("quang-ba/", views.module_page, {"key": "publish"}, name="publish"),
    path("dieu-phoi/", include("ttdn.coordinate.urls")),
    path("to-chuc/", views.organisation_list, name="organisation_list"),
    path("to-chuc/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("nhat-ky/", views.audit_log, name="audit_log"),
    path("api/open/", open_api.urls),  # public open-data API (Measure)
    path("api/", api.urls),
    path("demo/feeds/<slug:name>.xml", demo_views.feed, name="demo_feed"),
    path("demo/articles/<slug:item_id>/", demo_views.article, name="demo_article"),
    path("quan-tri/", admin.site.urls),
    # the portal: /vi/, /en/, /fr/, … (TTDN_PORTAL_LANGUAGES), Wagtail pages last
    *portal_patterns(
        path("search/", portal_views.search, name="portal_search"),
        path("privacy/", portal_views.privacy, name="portal_privacy"),
        path("for-you/", portal_views.for_you, name="portal_for_you"),
        path("for-you/pages.json", portal_views.recommend, name="portal_recommend"),
        path("feeds/<str:kind>.xml", portal_views.feed, name="portal_feed"),
        # Wagtail's page route (same name, so page.url reverses to it), cached for readers
        re_path(r"^((?:[\w\-]+/)*)$", portal_views.serve, name="wagtail_serve"),
    ),
    # any other two- or three-letter prefix: a 404 in the reader's likely language
    re_path(r"^(?P<code>[a-z]{2,3}(?:-[a-z]{2,4})?)/(?P<rest>.*)$", portal_views.unknown_language),
]
