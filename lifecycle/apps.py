from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    label = "lifecycle"
    verbose_name = "Listing lifecycle"
