"""URLs under /what-matters/ (included from cms/urls.py)."""

from django.urls import path

from recommender import views

app_name = "what_matters"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("results/", views.results, name="results"),
    path("feedback/", views.feedback, name="feedback"),
    path("save/", views.save_plan, name="save"),
    path("start-again/", views.start_again, name="start_again"),
    path("plan/<str:token>/", views.plan, name="plan"),
    path("plan/<str:token>/delete/", views.delete_plan, name="delete_plan"),
    path("<slug:slug>/", views.question, name="question"),
]
