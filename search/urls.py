from django.urls import path

from search.views import search_listings

app_name = "search"
urlpatterns = [path("", search_listings, name="results")]
