from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    label = "lifecycle"
    verbose_name = "Listing lifecycle"

    def ready(self) -> None:
        # Editors are emailed when council approval approves or sends back a change.
        from lifecycle import moderation

        moderation.connect()
