from django.apps import AppConfig


class SignpostingConfig(AppConfig):
    name = "cms.signposting"
    label = "signposting"
