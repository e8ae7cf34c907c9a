from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"

    def ready(self):
        from zhaoshang.core.changelog import track

        track(self.get_model("WarningRules"))
