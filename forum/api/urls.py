"""Routes of the API: /api/schema/, /api/docs/ and the endpoints under /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from forum.api import viewsets
from forum.api.search import SearchView

app_name = "api"

router = DefaultRouter()
router.register("articles", viewsets.ArticleViewSet, basename="article")
router.register("threads", viewsets.ThreadViewSet, basename="thread")
router.register("replies", viewsets.ReplyViewSet, basename="reply")
router.register("postings", viewsets.PostingViewSet, basename="posting")
router.register("companies", viewsets.CompanyViewSet, basename="company")
router.register("notifications", viewsets.NotificationViewSet, basename="notification")
router.register("auth/tokens", viewsets.ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema"),
        name="docs",
    ),
    path("v1/auth/token/", viewsets.TokenView.as_view(), name="token"),
    path("v1/me/", viewsets.MeView.as_view(), name="me"),
    path("v1/me/export/", viewsets.MyDataExportView.as_view(), name="my-export"),
    path("v1/me/replies/", viewsets.MyRepliesView.as_view(), name="my-replies"),
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/", include(router.urls)),
]
