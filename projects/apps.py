from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and grant payments"

    def ready(self) -> None:
        from . import exports, permissions  # noqa: F401  (register the app's rules and exports)
