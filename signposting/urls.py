from django.urls import path, register_converter

from directory.ids import IdConverter
from signposting import views

# <id:...> matches only ids the database can hold: a huge number is a 404, not an error.
register_converter(IdConverter, "id")

app_name = "signposting"

urlpatterns = [
    path("", views.console, name="console"),
    path("results/", views.results, name="results"),
    path("details/<id:page_id>/", views.details, name="details"),
    path("pick/", views.pick, name="pick"),
    path("send/", views.send, name="send"),
    path("notes/", views.notes, name="notes"),
    path("new-call/", views.new_call, name="new_call"),
]
