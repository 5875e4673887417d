from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django.views.i18n import set_language

from articles import views as article_views
from forum import email_views, moderation_views, notification_views, views
from forum.publishing import feeds
from forum.publishing.sitemaps import SITEMAPS

discussion_patterns = [
    # Actions sit one level deeper than the detail route, so no thread slug
    # can be taken for one.
    path(
        "threads/<int:thread_id>/actions/reply/",
        views.reply_create,
        name="reply-create",
    ),
    path(
        "threads/<int:thread_id>/actions/follow/",
        views.thread_follow,
        name="thread-follow",
    ),
    path(
        "threads/<int:thread_id>/<str:slug>/",
        views.thread_detail,
        name="thread-detail",
    ),
    path("r/<int:reply_id>/", views.reply_permalink, name="reply-permalink"),
    path("replies/preview/", views.reply_preview, name="reply-preview"),
    path(
        "replies/<int:reply_id>/versions/",
        views.reply_revisions,
        name="reply-revisions",
    ),
    path("replies/<int:reply_id>/reply/", views.reply_respond, name="reply-respond"),
    path("replies/<int:reply_id>/edit/", views.reply_edit, name="reply-edit"),
    path("replies/<int:reply_id>/vote/", views.reply_vote, name="reply-vote"),
    path("replies/<int:reply_id>/report/", views.reply_flag, name="reply-flag"),
    path("replies/<int:reply_id>/delete/", views.reply_delete, name="reply-delete"),
    path(
        "replies/<int:reply_id>/appeal/",
        moderation_views.reply_appeal,
        name="reply-appeal",
    ),
    path(
        "threads/<int:thread_id>/actions/appeal/",
        moderation_views.thread_appeal,
        name="thread-appeal",
    ),
    path("account/ban/appeal/", moderation_views.ban_appeal, name="ban-appeal"),
    path(
        "notice/illegal-content/",
        moderation_views.illegal_content_notice,
        name="illegal-content-notice",
    ),
    path(
        "email/unsubscribe/<str:token>/",
        email_views.unsubscribe,
        name="email-unsubscribe",
    ),
    path(
        "notifications/",
        notification_views.notification_list,
        name="notification-list",
    ),
    path(
        "notifications/read/",
        notification_views.notifications_read_all,
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:notification_id>/",
        notification_views.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        notification_views.notification_read,
        name="notification-read",
    ),
]

# RSS by default; the same feeds in Atom under atom/.
feed_patterns = [
    path("articles/", feeds.LatestArticlesFeed(), name="articles"),
    path("articles/<slug:slug>/", feeds.ArticleThreadsFeed(), name="article-threads"),
    path("threads/<int:thread_id>/", feeds.ThreadRepliesFeed(), name="thread-replies"),
    path("atom/articles/", feeds.LatestArticlesAtomFeed(), name="articles-atom"),
    path(
        "atom/articles/<slug:slug>/",
        feeds.ArticleThreadsAtomFeed(),
        name="article-threads-atom",
    ),
    path(
        "atom/threads/<int:thread_id>/",
        feeds.ThreadRepliesAtomFeed(),
        name="thread-replies-atom",
    ),
]

urlpatterns = [
    path("", article_views.home, name="home"),
    path("", include((discussion_patterns, "forum"))),
    path("", include("articles.urls")),
    path("", include("accounts.urls")),
    path("search/", include("forum.search.urls")),
    path("accounts/", include("allauth.urls")),
    path("feeds/", include((feed_patterns, "feeds"))),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # The language switch needs no CSRF token: a forged request can only
    # change a reader's language, and pages then carry no per-reader token,
    # so anonymous pages are served from the cache as they were stored.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("forum.api.urls")),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
]

handler400 = "forum.infra.errors.bad_request"
handler403 = "forum.infra.errors.forbidden"
handler404 = "forum.infra.errors.not_found"
handler500 = "forum.infra.errors.server_error"
