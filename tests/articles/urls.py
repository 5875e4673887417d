"""The site's URLs with the import page included as articles/urls.py includes it.

Used by the admin import tests until the page is wired into the site's URLs.
"""

from django.urls import URLResolver, include, path

from articles import urls as articles_urls
from articles.importer import admin_views
from forum import urls as forum_urls

articles_patterns = [
    path("admin/articles/import/", include(admin_views.urlpatterns)),
    *articles_urls.urlpatterns,
]

urlpatterns = [
    path("", include((articles_patterns, "articles"))),
    *(
        pattern
        for pattern in forum_urls.urlpatterns
        if not (isinstance(pattern, URLResolver) and pattern.namespace == "articles")
    ),
]

handler400 = forum_urls.handler400
handler403 = forum_urls.handler403
handler404 = forum_urls.handler404
handler500 = forum_urls.handler500
