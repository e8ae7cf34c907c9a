from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = "基础数据与账号"

    def ready(self):
        from zhaoshang.core.tracking import register_domain_models

        register_domain_models()
