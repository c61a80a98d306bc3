from django.apps import AppConfig


class VocabularyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vocabulary"
    verbose_name = "Concept lexicon"

    def ready(self) -> None:
        from vocabulary import signals

        signals.connect()
