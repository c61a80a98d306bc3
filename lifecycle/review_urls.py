from django.urls import re_path

from lifecycle import review_views

# The token stays in the address only until the first redirect (review_views).
urlpatterns = [
    re_path(
        r"^(?P<listing_id>[0-9]{1,20})/(?P<token>[A-Za-z0-9_-]{20,100})/$",
        review_views.review_link,
        name="review_link",
    ),
    re_path(
        r"^(?P<listing_id>[0-9]{1,20})/confirm/$",
        review_views.review_confirm,
        name="review_confirm",
    ),
    re_path(
        r"^(?P<listing_id>[0-9]{1,20})/confirmed/$",
        review_views.review_confirmed,
        name="review_confirmed",
    ),
]
