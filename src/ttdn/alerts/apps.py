from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "ttdn.alerts"
    label = "alerts"
    verbose_name = _("Cảnh báo")

    def ready(self) -> None:
        # its jobs, and its reactions to what the monitor announces (ttdn.core.events)
        # the unread-alerts tile of the morning overview (ttdn.web.tiles)
        from ttdn.alerts import jobs, subscribers, tiles  # noqa: F401

        tiles.register()
