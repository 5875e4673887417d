from django.urls import include, path

from articles import views
from articles.importer import admin_views

app_name = "articles"

urlpatterns = [
    path("articles/<slug:slug>/", views.article_detail, name="article-detail"),
    path("postings/", views.posting_list, name="posting-list"),
    path("postings/<int:pk>/", views.posting_detail, name="posting-detail"),
    path("companies/<slug:slug>/", views.company_detail, name="company-detail"),
    # The admin's import pages, matched before the admin's own URLs.
    path("admin/articles/import/", include(admin_views.urlpatterns)),
]
