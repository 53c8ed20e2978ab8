from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ttdn.core"
    label = "core"
    verbose_name = _("Công việc nền")

    def ready(self) -> None:
        # the core's own periodic jobs (retries of failed jobs, clearing sessions)
        from ttdn.core import housekeeping  # noqa: F401 - registers jobs on import
