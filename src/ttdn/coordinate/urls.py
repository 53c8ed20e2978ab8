"""Coordinate's pages under /dieu-phoi/. The names of the first pages (coordinate, task_new,
task_detail, task_edit) and their paths are kept, so old links and bookmarks still work."""

from django.urls import path

from ttdn.coordinate.views import tasks

urlpatterns = [
    path("", tasks.home, name="coordinate"),
    path("nhiem-vu/", tasks.task_index, name="coordinate_tasks"),
    path("nhiem-vu/moi/", tasks.task_new, name="task_new"),
    path("nhiem-vu/<int:task_id>/", tasks.task_detail, name="task_detail"),
    path("nhiem-vu/<int:task_id>/sua/", tasks.task_edit, name="task_edit"),
    path("nhiem-vu/<int:task_id>/y-kien/", tasks.task_comment, name="coordinate_task_comment"),
    path(
        "nhiem-vu/<int:task_id>/minh-chung/", tasks.task_evidence, name="coordinate_task_evidence"
    ),
    path("nhiem-vu/<int:task_id>/<slug:action>/", tasks.task_action, name="coordinate_task_action"),
    path("ke-hoach/", tasks.plans, name="coordinate_plans"),
    path("ke-hoach/<int:plan_id>/", tasks.plan_detail, name="coordinate_plan"),
    path("cham-tre/", tasks.board, name="coordinate_board"),
    path("thong-bao/", tasks.notifications, name="coordinate_notifications"),
]
