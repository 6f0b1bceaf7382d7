from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and grant payments"

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the app's rules)
