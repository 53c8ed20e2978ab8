from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasureConfig(AppConfig):
    name = "ttdn.measure"
    label = "measure"
    verbose_name = _("Đo lường")

    def ready(self) -> None:
        # a source's country or kind changing makes the roll-ups stale (signals.py)
        # and each stored report is added to the roll-ups in its own transaction
        # its figures, rising stories and map on the morning overview (ttdn.web.tiles)
        from ttdn.measure import jobs, signals, subscribers, tiles  # noqa: F401

        tiles.register()
