from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    label = "onboarding"
    verbose_name = "Onboarding and editors"
    default_auto_field = "django.db.models.BigAutoField"
