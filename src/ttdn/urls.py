from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ttdn.api import api
from ttdn.coordinate.api import router as coordinate_router
from ttdn.demo import views as demo_views
from ttdn.measure.api import open_api, staff_router
from ttdn.monitor import views as monitor_views
from ttdn.monitor import websub_views
from ttdn.reports.api import router as reports_router
from ttdn.respond.api import router as respond_router
from ttdn.web import overview, views

# Measure: search and saved searches in the staff API (/api/measure/...)
api.add_router("/measure/", staff_router)
api.add_router("/reports/", reports_router)  # periodic reports (/api/reports/...)
open_api.add_router("/fact-checks/", respond_router)  # published fact-checks (open data)
api.add_router("", coordinate_router)  # tasks, board, submissions (/api/tasks, /api/coordinate/...)

handler400 = "ttdn.web.errors.bad_request"
handler403 = "ttdn.web.errors.permission_denied"
handler404 = "ttdn.web.errors.page_not_found"
handler500 = "ttdn.web.errors.server_error"

urlpatterns = [
    path("", overview.overview, name="home"),
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
    path("websub/<str:token>/", websub_views.websub_callback, name="websub_callback"),
    path("do-luong/bao-cao/", include("ttdn.reports.urls")),
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
]
