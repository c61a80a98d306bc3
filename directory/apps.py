from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"

    def ready(self) -> None:
        # Wagtail's page signals become the one "listings changed" event.
        from directory import events

        events.connect()
