from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespondConfig(AppConfig):
    name = "ttdn.respond"
    label = "respond"
    verbose_name = _("Phản hồi")

    def ready(self) -> None:
        # Subscribers and jobs register themselves on import (the core's contract).
        from ttdn.respond import jobs, subscribers  # noqa: F401

        # Respond's figures for Coordinate's periodic reports (Coordinate never imports Respond)
        from ttdn.respond.computed import register_figures

        register_figures()

        # the "open cases" tile of the morning overview (web never imports Respond)
        from ttdn.respond import tiles

        tiles.register()

        # the follow-up panel of Measure's dashboard (Measure never imports Respond)
        from ttdn.respond import dashboards

        dashboards.register()
