from django.apps import AppConfig


class GeographyConfig(AppConfig):
    """Where a postcode, town or lat/lon becomes a point, and how far apart two points are.

    A leaf: nothing here imports from the rest of the project.
    """

    name = "geography"
    default_auto_field = "django.db.models.BigAutoField"
