from django.urls import path

from zhaoshang.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("export.xlsx", views.export, name="export"),
]
