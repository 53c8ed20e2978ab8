from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinateConfig(AppConfig):
    name = "ttdn.coordinate"
    label = "coordinate"
    verbose_name = _("Điều phối")
