from django.urls import re_path

from lifecycle import views

# Ids are parsed by directory.ids.parse_id in the views: an id beyond the database's
# range is a 404, never a server error.
urlpatterns = [
    re_path(r"^(?P<page_id>[0-9]{1,20})/$", views.report_problem, name="report_problem"),
    re_path(
        r"^(?P<page_id>[0-9]{1,20})/sent/$", views.report_problem_sent, name="report_problem_sent"
    ),
]
