from django.urls import path

from signposting import views

app_name = "signposting"

urlpatterns = [
    path("", views.console, name="console"),
    path("results/", views.results, name="results"),
    path("details/<int:page_id>/", views.details, name="details"),
    path("pick/", views.pick, name="pick"),
    path("send/", views.send, name="send"),
    path("notes/", views.notes, name="notes"),
    path("new-call/", views.new_call, name="new_call"),
]
