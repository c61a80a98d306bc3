from django.apps import AppConfig


class ResourceListsConfig(AppConfig):
    name = "signposting.resource_lists"
    label = "resource_lists"
