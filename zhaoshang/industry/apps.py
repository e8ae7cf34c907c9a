from django.apps import AppConfig


class IndustryConfig(AppConfig):
    name = "zhaoshang.industry"
    label = "industry"
