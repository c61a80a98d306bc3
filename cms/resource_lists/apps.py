from django.apps import AppConfig


class ResourceListsConfig(AppConfig):
    name = "cms.resource_lists"
    label = "resource_lists"
