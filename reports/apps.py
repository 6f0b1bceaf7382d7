from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Dashboards and board packs"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
