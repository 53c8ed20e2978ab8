"""Every app is routed the same way: its own `urls.py` under its path (include), its own
`api.py` router under /api/."""

from django.contrib import admin
from django.urls import include, path

from ttdn.accounts.api import router as accounts_router
from ttdn.api import api
from ttdn.coordinate.api import router as coordinate_router
from ttdn.measure.api import open_api, staff_router
from ttdn.portal.api import router as portal_open_router
from ttdn.portal.urls import language_urlpatterns
from ttdn.reports.api import router as reports_router
from ttdn.respond.api import router as respond_router

api.add_router("", accounts_router)  # organisations (/api/organisations)
# Measure: search and saved searches in the staff API (/api/measure/...)
api.add_router("/measure/", staff_router)
api.add_router("/reports/", reports_router)  # periodic reports (/api/reports/...)
open_api.add_router("/fact-checks/", respond_router)  # published fact-checks (open data)
open_api.add_router("/portal/", portal_open_router)  # portal pages' metadata (open data)
api.add_router("", coordinate_router)  # tasks, board, submissions (/api/tasks, /api/coordinate/...)

handler400 = "ttdn.web.errors.bad_request"
handler403 = "ttdn.web.errors.permission_denied"
handler404 = "ttdn.web.errors.page_not_found"
handler500 = "ttdn.web.errors.server_error"

urlpatterns = [
    # the public portal's root, sitemap, media, Wagtail admin (decision 0016)
    path("", include("ttdn.portal.urls")),
    path("", include("ttdn.web.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("theo-doi/", include("ttdn.monitor.urls")),
    path("websub/", include("ttdn.monitor.websub_urls")),
    path("do-luong/bao-cao/", include("ttdn.reports.urls")),
    path("do-luong/", include("ttdn.measure.urls")),
    path("canh-bao/", include("ttdn.alerts.urls")),
    path("phan-hoi/", include("ttdn.respond.urls")),
    path("dieu-phoi/", include("ttdn.coordinate.urls")),
    path("to-chuc/", include("ttdn.accounts.urls")),
    path("xac-thuc-2-buoc/", include("ttdn.accounts.twofactor")),
    path("nhat-ky/", include("ttdn.audit.urls")),
    path("api/open/", open_api.urls),  # public open-data API (Measure)
    path("api/", api.urls),
    path("demo/", include("ttdn.demo.urls")),
    path("quan-tri/", admin.site.urls),
    # the portal in each language (/vi/, /en/, …) and unknown prefixes: last
    *language_urlpatterns,
]
