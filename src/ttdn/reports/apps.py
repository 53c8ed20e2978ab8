from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ttdn.reports"
    label = "reports"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self) -> None:
        # declares its jobs in the one registry (ttdn.core.jobs)
        from ttdn.reports import jobs  # noqa: F401
