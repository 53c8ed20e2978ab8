from django.urls import path

from ttdn.measure import views

urlpatterns = [
    path("", views.dashboard, name="measure"),
    path("du-lieu/<slug:key>/", views.indicator_data, name="measure_data"),
    path("dinh-nghia/", views.definition_list, name="measure_definitions"),
    path("dinh-nghia/<slug:key>/", views.definition, name="measure_definition"),
    path("tim-kiem/", views.search, name="measure_search"),
    path("tim-kiem/da-luu/<int:saved_id>/", views.saved_search_run, name="measure_saved_search"),
    path(
        "tim-kiem/da-luu/<int:saved_id>/xoa/",
        views.saved_search_remove,
        name="measure_saved_search_delete",
    ),
    # the morning overview's drill-down from the map (the overview itself is the shell's)
    path("tong-quan/quoc-gia/<str:country>/", views.overview_country, name="overview_country"),
    path("khoa-api/", views.api_keys, name="measure_api_keys"),
    path(
        "khoa-api/<int:key_id>/thu-hoi/",
        views.api_key_revoke_view,
        name="measure_api_key_revoke",
    ),
]
