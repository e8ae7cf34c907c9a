from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhaoshang.review"
    label = "review"
    verbose_name = "认定"

    def ready(self):
        from django.apps import apps

        from zhaoshang.core.changelog import track

        track(apps.get_model("review", "Claim"), parent="project")
        track(apps.get_model("review", "Evidence"), parent="project")
