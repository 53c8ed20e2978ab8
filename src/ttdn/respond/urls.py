"""Respond pages, mounted at /phan-hoi/ by the project URLconf (names start with respond)."""

from django.urls import path

from ttdn.respond import views

urlpatterns = [
    path("", views.board, name="respond"),
    path("thong-tin/moi/", views.claim_new, name="respond_claim_new"),
    path("thong-tin/<int:claim_id>/", views.claim_detail, name="respond_claim"),
    path("thong-tin/<int:claim_id>/bo-qua/", views.claim_dismiss, name="respond_claim_dismiss"),
    path("ho-so/moi/", views.case_new, name="respond_case_new"),
    path("ho-so/<int:case_id>/", views.case_detail, name="respond_case"),
    path("ho-so/<int:case_id>/trang-thai/", views.case_status, name="respond_case_status"),
    path("ho-so/<int:case_id>/bai/", views.case_answer, name="respond_case_answer"),
    path(
        "ho-so/<int:case_id>/bai/<int:answer_id>/duyet/",
        views.answer_approve,
        name="respond_answer_approve",
    ),
    path(
        "ho-so/<int:case_id>/danh-gia/<int:claim_id>/",
        views.case_rating,
        name="respond_case_rating",
    ),
    path("ho-so/<int:case_id>/cong-bo/", views.case_publish, name="respond_case_publish"),
    path("ho-so/<int:case_id>/bang-chung/", views.case_evidence, name="respond_case_evidence"),
    path("ho-so/<int:case_id>/su-that/", views.case_fact, name="respond_case_fact"),
    path("ho-so/<int:case_id>/ghi-chu/", views.case_note, name="respond_case_note"),
    path("ho-so/<int:case_id>/chuyen-giao/", views.case_hand_over, name="respond_case_hand_over"),
    path("thong-bao/da-xem/", views.notifications_read, name="respond_notifications_read"),
    path("theo-doi-hieu-qua/", views.followup, name="respond_followup"),
    path("cong-khai/", views.public_list, name="respond_public_list"),
    path("cong-khai/feed.json", views.public_feed_json, name="respond_feed_json"),
    path("cong-khai/rss.xml", views.public_feed_rss, name="respond_feed_rss"),
    path("cong-khai/atom.xml", views.public_feed_atom, name="respond_feed_atom"),
    path("cong-khai/<slug:slug>/", views.public_detail, name="respond_public"),
]
