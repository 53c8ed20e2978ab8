from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ttdn.web"
    label = "web"
