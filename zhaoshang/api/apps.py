from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhaoshang.api"
    label = "api"
    verbose_name = "API"
