from django.urls import path

from forum.search_views import search_page

urlpatterns = [
    path("", search_page, name="search"),
]
