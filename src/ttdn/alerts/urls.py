"""Alerts pages, mounted at /canh-bao/ by the project URLconf."""

from django.urls import path

from ttdn.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("da-xem-tat-ca/", views.mark_all_read, name="mark_all_read"),
    path("quy-tac/", views.rule_list, name="rule_list"),
    path("quy-tac/moi/", views.rule_new, name="rule_new"),
    path("quy-tac/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("quy-tac/<int:rule_id>/xoa/", views.rule_delete, name="rule_delete"),
    path("do-tre/", views.latency, name="latency"),
]
