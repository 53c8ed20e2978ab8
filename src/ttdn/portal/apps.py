from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ttdn.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # signal receivers: every publication is registered and announced
        from ttdn.portal import signals  # noqa: F401
