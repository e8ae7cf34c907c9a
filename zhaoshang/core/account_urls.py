"""/accounts/: login, logout and the user's own profile (with the password change).
There is no self-service password reset: administrators and the bureau reset passwords
on the user-management page."""

from django.urls import path

from zhaoshang.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
]
