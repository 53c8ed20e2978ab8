"""The shell's own pages: the overview (home), sign-in, robots/favicon, and the pages of the
modules not built yet."""

from django.contrib.auth import views as auth_views
from django.urls import path

from ttdn.web import overview, views

urlpatterns = [
    # the staff home; `/` is the portal's (or sends signed-in staff here), decision 0016
    path("nen-tang/", overview.overview, name="home"),
    path("tong-quan/", overview.overview, name="overview"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
]
