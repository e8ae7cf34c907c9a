from django.urls import path

from zhaoshang.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_create, name="create"),
    path("stats/", views.ticket_stats, name="stats"),
    path("settings/", views.ticket_settings, name="settings"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/do/<str:name>/", views.ticket_action, name="action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/bell/", views.notification_bell, name="bell"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("notifications/read/", views.notification_read, name="notification_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
