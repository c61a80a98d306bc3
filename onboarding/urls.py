from django.urls import path, re_path

from onboarding import join_views, views

app_name = "onboarding"

# Ids are parsed by directory.ids.parse_id in the views: an id beyond the database's
# range is a 404, never a server error.
urlpatterns = [
    re_path(r"^manage-this-listing/(?P<page_id>[0-9]{1,20})/$", views.claim, name="claim"),
    re_path(
        r"^manage-this-listing/(?P<page_id>[0-9]{1,20})/sent/$",
        views.claim_sent,
        name="claim_sent",
    ),
    path("ask-to-be-listed/", views.ask_to_be_listed, name="ask_to_be_listed"),
    path("ask-to-be-listed/sent/", views.listing_request_sent, name="listing_request_sent"),
    path("join/accept/", join_views.accept_invitation, name="accept"),
    re_path(r"^join/(?P<token>[A-Za-z0-9_-]{1,200})/$", join_views.join, name="join"),
]
