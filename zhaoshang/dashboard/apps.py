from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "zhaoshang.dashboard"
    label = "dashboard"
