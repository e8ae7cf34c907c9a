"""/settings/: the zone switcher, zone settings, user management and the audit trail."""

from django.urls import path

from zhaoshang.core import views

app_name = "core"

urlpatterns = [
    path("", views.settings_index, name="settings"),
    path("zone/", views.zone_switch, name="zone_switch"),
    path("zone/settings/", views.zone_settings, name="zone_settings"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_set_active, {"active": False}, name="user_deactivate"),
    path("users/<int:pk>/activate/", views.user_set_active, {"active": True}, name="user_activate"),
    path("audit/", views.audit, name="audit"),
]
