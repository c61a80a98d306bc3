"""The Celery application. Embedded runs are eager; set CELERY_BROKER_URL for workers."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")

app = Celery("directory")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="cms.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete expired sessions (``manage.py clearsessions``), which the database keeps."""
    from importlib import import_module

    from django.conf import settings

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
