from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Keep the index in step with directory's "listings changed" event.
        from . import signals  # noqa: F401
