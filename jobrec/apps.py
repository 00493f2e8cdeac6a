from django.apps import AppConfig


class JobrecConfig(AppConfig):
    """The project package as an app, for its platform commands (runplatform, embedded, ...)."""

    name = "jobrec"
    verbose_name = "jobrec platform"
