from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinateConfig(AppConfig):
    name = "ttdn.coordinate"
    label = "coordinate"
    verbose_name = _("Điều phối")

    def ready(self) -> None:
        # the computed indicators of periodic reports; other apps add theirs in their ready()
        from ttdn.coordinate.computed_builtin import register_builtin

        register_builtin()
        # the overview's "overdue tasks" tile (the web layer's registry, not an import of us)
        from ttdn.coordinate import tiles

        tiles.register()
        # the 3/5/10-year reports' "against targets" part (reports never imports us)
        from ttdn.coordinate.selectors.submissions import evaluations_with_targets
        from ttdn.reports.targets import targets_provider_set

        targets_provider_set(evaluations_with_targets)
        # the periodic reminders, on the core's job registry
        from ttdn.coordinate import jobs  # noqa: F401
