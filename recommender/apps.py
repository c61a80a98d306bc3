from django.apps import AppConfig


class RecommenderConfig(AppConfig):
    name = "recommender"
    verbose_name = "What matters recommender"

    def ready(self) -> None:
        from recommender import signals

        signals.connect()
