from django.urls import path

from ttdn.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("<int:report_id>/trang-thai/", views.report_status, name="status"),
    path("<int:report_id>/tai/<str:fmt>/", views.download, name="download"),
    path("<int:report_id>/<slug:action>/", views.report_action, name="action"),
    path("lich/", views.schedule_create, name="schedule_create"),
    path("lich/<int:schedule_id>/xoa/", views.schedule_delete, name="schedule_delete"),
]
