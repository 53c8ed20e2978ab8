from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitorConfig(AppConfig):
    name = "ttdn.monitor"
    label = "monitor"
    verbose_name = _("Theo dõi")

    def ready(self) -> None:
        # its jobs in the one registry (ttdn.core.jobs); the signals keep the stories'
        # outlet countries right when a source changes
        from ttdn.monitor import jobs, signals  # noqa: F401
