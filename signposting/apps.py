from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    name = "signposting"
    label = "signposting"
