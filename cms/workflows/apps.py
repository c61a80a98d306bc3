from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "cms.workflows"
    label = "cms_workflows"
    verbose_name = "Roles and approval workflow"
