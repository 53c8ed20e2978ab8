from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ttdn.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # signal receivers: every publication is registered and announced; subscribers:
        # pickups among stored reports, drafts from the respond module's published answers
        # pages: what each kind of page shows (the models ask ttdn.portal.rendering)
        from ttdn.portal import pages, signals, subscribers  # noqa: F401

        # the portal's figures for the periodic reports (Coordinate's computed-figure registry)
        from ttdn.portal.computed import register_figures

        pages.register()
        register_figures()
