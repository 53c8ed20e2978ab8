from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "ttdn.web"
    label = "web"

    def ready(self) -> None:
        # the admin carries the platform's name in the reader's language, not Django's
        from django.contrib import admin

        admin.site.site_header = _("Quản trị Nền tảng TTĐN")
        admin.site.site_title = _("Quản trị TTĐN")
        admin.site.index_title = _("Dữ liệu của nền tảng")
        admin.site.site_url = "/"
