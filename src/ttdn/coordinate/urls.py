"""Coordinate's pages under /dieu-phoi/. The names of the first pages (coordinate, task_new,
task_detail, task_edit) and their paths are kept, so old links and bookmarks still work."""

from django.urls import path

from ttdn.coordinate.views import awards, setup, submissions, tasks

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
    path("ke-hoach/tu-mau/", tasks.plan_template_use, name="coordinate_plan_from_template"),
    path("cham-tre/", tasks.board, name="coordinate_board"),
    path("thong-bao/", tasks.notifications, name="coordinate_notifications"),
    path("bao-cao/", submissions.index, name="coordinate_reports"),
    path("bao-cao/mo/", submissions.open_report, name="coordinate_report_open"),
    path("bao-cao/tong-hop/", submissions.rollup, name="coordinate_rollup"),
    path(
        "bao-cao/tong-hop/tai/<str:fmt>/",
        submissions.rollup_download,
        name="coordinate_rollup_download",
    ),
    path("bao-cao/<int:submission_id>/", submissions.report_detail, name="coordinate_report"),
    path(
        "bao-cao/<int:submission_id>/tai/<str:fmt>/",
        submissions.report_download,
        name="coordinate_report_download",
    ),
    path(
        "bao-cao/<int:submission_id>/<slug:action>/",
        submissions.report_action,
        name="coordinate_report_action",
    ),
    path("bao-cao/ky/<int:period_id>/khoa/", submissions.period_toggle, name="coordinate_period"),
    # reference data (once in the Django admin only): programmes, report templates, periods,
    # targets
    path("thiet-lap/", setup.setup_index, name="coordinate_setup_index"),
    path("thiet-lap/<slug:section>/", setup.setup_list, name="coordinate_setup"),
    path("thiet-lap/<slug:section>/moi/", setup.setup_edit, name="coordinate_setup_new"),
    path("thiet-lap/<slug:section>/<int:pk>/sua/", setup.setup_edit, name="coordinate_setup_edit"),
    path(
        "thiet-lap/<slug:section>/<int:pk>/luu-tru/",
        setup.setup_archive,
        name="coordinate_setup_archive",
    ),
    path("danh-gia/", submissions.evaluation, name="coordinate_evaluation"),
    path("giai-thuong/", awards.seasons, name="coordinate_awards"),
    path("giai-thuong/<int:season_id>/", awards.season_detail, name="coordinate_award"),
    path("giai-thuong/<int:season_id>/gui/", awards.entry_submit, name="coordinate_award_entry"),
    path(
        "giai-thuong/<int:season_id>/tac-pham/<int:entry_id>/cham/",
        awards.entry_score,
        name="coordinate_award_score",
    ),
    path("giai-thuong/<int:season_id>/ket-qua/", awards.winners, name="coordinate_award_winners"),
    path(
        "giai-thuong/<int:season_id>/<slug:action>/",
        awards.season_action,
        name="coordinate_award_action",
    ),
]
