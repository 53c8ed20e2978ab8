from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "ttdn.monitor"
    label = "monitor"
    verbose_name = _("Theo dõi")

    def ready(self) -> None:
        # declares its jobs in the one registry (ttdn.core.jobs)
        from ttdn.monitor import jobs  # noqa: F401
