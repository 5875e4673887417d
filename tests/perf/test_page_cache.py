"""Cached pages: anonymous pages whole, signed-in pages shared.

Writes go through the pages as readers make them; the services invalidate the
caches when their transaction commits, which `committed()` lets happen.
"""

import gzip
import re

from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import User
from accounts.services import ban_user, make_moderator
from articles.models import Article
from forum.models import Reply, Thread, is_moderator
from forum.pagecache import anonymous, shared, store
from forum.pagecache.anonymous import _compressed, _from_entry
from forum.pagecache.store import CSRF_PLACEHOLDER, LocalCopies
from forum.selectors import thread_for_page, thread_page
from forum.services import follow_thread, post_reply
from forum.sharedstore import shared_cache
from tests.factories import (
    ArticleFactory,
    FlagFactory,
    ReplyFactory,
    ThreadFactory,
    UserFactory,
    VoteFactory,
)
from tests.perf.conftest import VERSION_QUERIES

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _held_reply(thread, author) -> Reply:
    """A reply held for review: shown to moderators and its author only."""
    return ReplyFactory(
        thread=thread,
        author=author,
        status=Reply.Status.PENDING,
        body="Une réponse retenue pour relecture.",
    )


def test_anonymous_thread_page_is_served_from_the_cache_on_the_second_request(
    client, reply, django_assert_num_queries
):
    url = reply.thread.get_absolute_url()
    first = client.get(url)

    # the version counters, read where every server process sees them
    with django_assert_num_queries(VERSION_QUERIES):
        second = client.get(url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert reply.body in second.content.decode()


def test_anonymous_page_missing_from_the_cache_is_looked_for_once(
    client, reply, page_lookups
):
    url = reply.thread.get_absolute_url()
    asked = page_lookups

    first = client.get(url)
    assert (first["X-Page-Cache"], len(asked)) == ("miss", 1)
    # A reader with a session cookie is looked for by the view alone.
    client.cookies["sessionid"] = "none-such"
    second = client.get(url)
    assert (second["X-Page-Cache"], len(asked)) == ("hit", 2)


def test_new_reply_shows_on_the_next_anonymous_request(client, thread, user, committed):
    url = thread.get_absolute_url()
    client.get(url)

    with committed():
        posted = _signed_in(user).post(
            reverse("forum:reply-create", args=[thread.pk]),
            {"body": "Les grilles publiques sont à la traîne."},
        )

    page = client.get(url)
    assert posted.status_code == 302
    assert page["X-Page-Cache"] == "miss"
    assert "Les grilles publiques sont à la traîne." in page.content.decode()
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_vote_shows_on_the_next_anonymous_request(client, reply, other_user, committed):
    url = reply.thread.get_absolute_url()
    before = client.get(url).content.decode()

    with committed():
        _signed_in(other_user).post(
            reverse("forum:reply-vote", args=[reply.pk]), {"value": "1"}
        )

    after = client.get(url).content.decode()
    assert '<span class="score" data-score>0</span>' in before
    assert '<span class="score" data-score>1</span>' in after
    reply.refresh_from_db()
    assert (reply.score, reply.upvotes) == (1, 1)


def test_removal_shows_on_the_next_anonymous_request(client, thread, user, committed):
    with committed():
        reply = post_reply(thread=thread, author=user, body="À supprimer bientôt.")
    url = thread.get_absolute_url()
    assert reply.body in client.get(url).content.decode()

    with committed():
        removed = _signed_in(reply.author).post(
            reverse("forum:reply-delete", args=[reply.pk])
        )

    page = client.get(url).content.decode()
    assert removed.status_code == 302
    assert reply.body not in page
    assert "[message deleted by its author]" in page or "[message supprimé" in page
    reply.refresh_from_db()
    assert reply.is_removed


def test_edit_shows_on_the_next_anonymous_request(client, reply, committed):
    url = reply.thread.get_absolute_url()
    client.get(url)

    with committed():
        _signed_in(reply.author).post(
            reverse("forum:reply-edit", args=[reply.pk]),
            {"body": "Tout compte fait, ces salaires se défendent."},
        )

    page = client.get(url).content.decode()
    assert "Tout compte fait, ces salaires se défendent." in page
    reply.refresh_from_db()
    assert reply.edited_at is not None


def test_new_reply_updates_the_cached_home_and_article_pages(
    client, thread, user, committed
):
    home = reverse("home")
    article = thread.article.get_absolute_url()
    assert "0 " in client.get(home).content.decode()
    client.get(article)

    with committed():
        _signed_in(user).post(
            reverse("forum:reply-create", args=[thread.pk]),
            {"body": "Les écoles n'y préparent pas."},
        )

    assert client.get(home)["X-Page-Cache"] == "miss"
    assert client.get(article)["X-Page-Cache"] == "miss"
    thread.refresh_from_db()
    assert thread.reply_count == 1


def test_article_edited_outside_the_services_shows_on_the_next_request(client, db):
    article = ArticleFactory(title="Les salaires de l'IA en 2024")
    ThreadFactory(article=article)
    client.get(article.get_absolute_url())

    article.title = "Les salaires de l'IA en 2025"
    article.save()

    page = client.get(article.get_absolute_url()).content.decode()
    assert "Les salaires de l&#x27;IA en 2025" in page
    article.refresh_from_db()
    assert article.title == "Les salaires de l'IA en 2025"


def test_page_read_while_an_admin_edit_commits_is_not_served_after_the_commit(
    client, db, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Les salaires de l'IA en 2024")
    ThreadFactory(article=article)
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks() as at_commit:
        article.title = "Les salaires de l'IA en 2025"
        article.save()
        # Another process, which does not see the edit yet, renders the page
        # as it was and keeps it under the counter the save just moved.
        Article.objects.filter(pk=article.pk).update(
            title="Les salaires de l'IA en 2024"
        )
        before = client.get(url).content.decode()
        Article.objects.filter(pk=article.pk).update(
            title="Les salaires de l'IA en 2025"
        )
    for callback in at_commit:
        callback()

    after = client.get(url).content.decode()
    assert "Les salaires de l&#x27;IA en 2024" in before
    assert "Les salaires de l&#x27;IA en 2025" in after


def test_moderation_read_while_an_admin_edit_commits_is_not_kept_after_it(
    thread, user, other_user, django_capture_on_commit_callbacks
):
    _held_reply(thread, other_user)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    with django_capture_on_commit_callbacks() as at_commit:
        user.is_superuser = True
        user.save()
        # Another process reads the account as it was before the commit.
        User.objects.filter(pk=user.pk).update(is_superuser=False)
        before = reader.get(url).content.decode()
        User.objects.filter(pk=user.pk).update(is_superuser=True)
    for callback in at_commit:
        callback()

    after = reader.get(url).content.decode()
    assert "Une réponse retenue pour relecture." not in before
    assert "Une réponse retenue pour relecture." in after


def test_cached_anonymous_page_carries_no_token_and_its_language_switch_works(
    thread,
):
    url = thread.get_absolute_url()
    Client().get(url)
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(url)
    response = reader.post(reverse("set_language"), {"language": "en", "next": url})

    assert page["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert "csrftoken" not in page.cookies
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert "Discussion" in reader.get(url).content.decode()


def test_cached_page_with_a_form_gets_each_readers_own_token(db):
    """A stored page that carries a token is stored with a placeholder and
    served with the token of the reader's own CSRF secret."""
    form = b'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
    page = form + b'value="' + CSRF_PLACEHOLDER.encode() + b'"></form>'
    entry = (page, [], True, _compressed(page, tokens=1))

    first = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    second = RequestFactory().get("/")
    tokens = [
        TOKEN.search(_from_entry(request, entry).content.decode()).group(1)
        for request in (first, second)
    ]

    assert entry[3] is None
    assert "Content-Encoding" not in _from_entry(first, entry)
    assert CSRF_PLACEHOLDER.encode() not in _from_entry(first, entry).content
    assert _unmask_cipher_token(tokens[0]) == first.META["CSRF_COOKIE"]
    assert _unmask_cipher_token(tokens[1]) == second.META["CSRF_COOKIE"]
    assert first.META["CSRF_COOKIE"] != second.META["CSRF_COOKIE"]


def test_anonymous_page_with_a_flash_message_is_neither_served_nor_stored(
    client, thread
):
    url = thread.get_absolute_url()
    client.get(url)
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(constants.SUCCESS, "Vous êtes déconnecté.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    with_message = client.get(url)
    del client.cookies["messages"]
    without = client.get(url)

    assert "Vous êtes déconnecté." in with_message.content.decode()
    assert "X-Page-Cache" not in with_message
    assert "Vous êtes déconnecté." not in without.content.decode()
    assert without["X-Page-Cache"] == "hit"


def test_cached_page_follows_the_readers_language(client, thread):
    url = thread.get_absolute_url()

    french = client.get(url, headers={"accept-language": "fr"})
    english = client.get(url, headers={"accept-language": "en"})

    assert english["X-Page-Cache"] == "miss"
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert "No reply yet" in english.content.decode()


def test_hidden_thread_is_not_served_from_the_cache(client, thread, moderator):
    from forum.services import hide_thread

    url = thread.get_absolute_url()
    client.get(url)

    hide_thread(thread=thread, by=moderator)
    from forum.infra import cache as versions

    versions.thread_changed(thread.pk, thread.article_id)

    assert client.get(url).status_code == 404
    thread.refresh_from_db()
    assert thread.is_hidden


# Signed-in readers ----------------------------------------------------------


def test_signed_in_readers_see_their_own_votes_on_a_shared_reply_list(
    thread, user, other_user
):
    voted = ReplyFactory(thread=thread, body="Les juniors ne voient pas ces chiffres.")
    VoteFactory(reply=voted, user=user, value=-1)
    voted.score, voted.downvotes = -1, 1
    Reply.objects.filter(pk=voted.pk).update(score=-1, downvotes=1)
    url = thread.get_absolute_url()

    theirs = _signed_in(user).get(url).content.decode()
    others = _signed_in(other_user).get(url).content.decode()

    assert 'value="0" class="vote down" aria-pressed="true"' in theirs
    assert 'aria-pressed="true"' not in others
    assert 'value="-1" class="vote down" aria-pressed="false"' in others


def test_signed_in_readers_see_edit_and_delete_only_on_their_own_replies(
    thread, user, other_user
):
    own = ReplyFactory(thread=thread, author=user)
    url = thread.get_absolute_url()
    edit = reverse("forum:reply-edit", args=[own.pk])
    delete = reverse("forum:reply-delete", args=[own.pk])

    others = _signed_in(other_user).get(url).content.decode()
    theirs = _signed_in(user).get(url).content.decode()

    assert edit in theirs and delete in theirs
    assert edit not in others and delete not in others
    assert reverse("forum:reply-vote", args=[own.pk]) in others
    assert 'class="vote up"' in others
    assert 'class="vote up"' not in theirs


def test_reported_reply_shows_reported_to_its_reporter_only(thread, user, other_user):
    reported = ReplyFactory(thread=thread)
    FlagFactory(reply=reported, reporter=user)
    url = thread.get_absolute_url()
    flag_url = reverse("forum:reply-flag", args=[reported.pk])

    theirs = _signed_in(user).get(url).content.decode()
    others = _signed_in(other_user).get(url).content.decode()

    assert flag_url not in theirs
    assert flag_url in others
    reported.refresh_from_db()
    assert reported.flags.count() == 1


def test_banned_reader_sees_no_vote_buttons(thread, user, moderator):
    ReplyFactory(thread=thread)
    ban_user(user=user, by=moderator, reason="Spam répété")

    page = _signed_in(user).get(thread.get_absolute_url()).content.decode()

    assert 'class="vote up"' not in page
    assert 'class="score"' in page
    user.refresh_from_db()
    assert user.is_banned


def test_reader_banned_between_two_requests_loses_the_vote_buttons(
    thread, user, moderator
):
    ReplyFactory(thread=thread)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    before = reader.get(url)

    ban_user(user=user, by=moderator, reason="Spam répété")
    after = reader.get(url).content.decode()

    assert before["X-Page-Cache"] in {"miss", "hit"}
    assert 'class="vote up"' in before.content.decode()
    assert 'class="vote up"' not in after
    assert "Spam répété" in after


def test_unconfirmed_reader_is_told_why_after_others_shared_the_page(thread, user):
    ReplyFactory(thread=thread)
    url = thread.get_absolute_url()
    assert _signed_in(user).get(url)["X-Page-Cache"] == "miss"
    newcomer = UserFactory(username="claire", email_verified_at=None)

    page = _signed_in(newcomer).get(url).content.decode()

    assert "Confirmez votre adresse e-mail avant votre première réponse" in page
    assert "Renvoyer le lien" in page


def test_reader_signed_out_elsewhere_gets_the_anonymous_page(thread, user):
    ReplyFactory(thread=thread)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    assert user.username in reader.get(url).content.decode()

    # A new password ends every other session of the account.
    user.set_password("un-tout-autre-secret-42")
    user.save(update_fields=["password"])
    page = reader.get(url).content.decode()

    assert user.username not in page
    assert 'class="vote up"' not in page
    assert reverse("account_login") in page


def test_deleted_reader_gets_the_anonymous_page(thread, user):
    ReplyFactory(thread=thread)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    assert user.username in reader.get(url).content.decode()

    username = user.username
    user.delete()
    response = reader.get(url)

    assert response.status_code == 200
    assert username not in response.content.decode()
    assert reverse("account_login") in response.content.decode()


def test_reader_sees_their_reply_held_for_review(thread, user, other_user):
    ReplyFactory(thread=thread, body="Une réponse publiée.")
    ReplyFactory(
        thread=thread,
        author=user,
        status=Reply.Status.PENDING,
        body="Ma réponse en attente.",
    )
    url = thread.get_absolute_url()

    theirs = _signed_in(user).get(url).content.decode()
    others = _signed_in(other_user).get(url).content.decode()

    assert "Ma réponse en attente." in theirs
    assert "Ma réponse en attente." not in others
    assert "Une réponse publiée." in others


def test_own_vote_shows_on_the_readers_next_request(thread, other_user, committed):
    reply = ReplyFactory(thread=thread)
    reader = _signed_in(other_user)
    url = thread.get_absolute_url()
    reader.get(url)

    with committed():
        reader.post(reverse("forum:reply-vote", args=[reply.pk]), {"value": "1"})

    page = reader.get(url).content.decode()
    assert 'value="0" class="vote up" aria-pressed="true"' in page
    assert '<span class="score" data-score>1</span>' in page
    reply.refresh_from_db()
    assert reply.score == 1


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", TOKEN.sub('name="csrfmiddlewaretoken" value=""', html))


def test_shared_reply_list_matches_the_list_rendered_for_the_reader_alone(
    thread, user, settings
):
    """Own, voted, reported, removed, flag-hidden and past-the-cap replies."""
    root = ReplyFactory(thread=thread)
    parent = root
    for depth in range(settings.FORUM_DISPLAY_DEPTH_CAP + 2):
        author = {"author": user} if depth == 3 else {}
        parent = ReplyFactory(parent=parent, **author)
    VoteFactory(reply=root, user=user, value=1)
    FlagFactory(reply=ReplyFactory(parent=root), reporter=user)
    ReplyFactory(
        thread=thread,
        open_flag_count=settings.FORUM_FLAGS_TO_HIDE,
        open_flag_weight=settings.FORUM_FLAGS_TO_HIDE * 100,
    )
    removed = ReplyFactory(thread=thread, author=user)
    Reply.objects.filter(pk=removed.pk).update(
        removed_at=removed.created_at, removal_reason=Reply.RemovalReason.AUTHOR
    )
    ReplyFactory(parent=removed)
    reader = _signed_in(user)
    reader.get(thread.get_absolute_url())

    shared = reader.get(thread.get_absolute_url())

    request = RequestFactory().get(thread.get_absolute_url())
    request.user = user
    alone = render_to_string(
        "forum/_reply_list.html",
        thread_page(thread=thread_for_page(thread.pk, user), viewer=user),
        request=request,
    )
    page = shared.content.decode()
    listed = page[page.index('<ol class="replies" id="replies">') :]
    assert _normalised(alone).strip() in _normalised(listed)
    assert "in reply to @" in page or "en réponse à @" in page
    assert user.replies.count() == 2


def _page_alone(client, url, settings) -> str:
    """The page as rendered for its reader alone, with the caches off."""
    timeout = settings.FORUM_PAGE_CACHE_TIMEOUT
    settings.FORUM_PAGE_CACHE_TIMEOUT = 0
    try:
        return client.get(url).content.decode()
    finally:
        settings.FORUM_PAGE_CACHE_TIMEOUT = timeout


def test_shared_page_equals_the_page_rendered_for_the_reader_alone(
    thread, user, other_user, settings, committed
):
    """Header, follow button, reply form and every reply's actions."""
    own = ReplyFactory(thread=thread, author=user)
    voted = ReplyFactory(thread=thread, author=other_user)
    ReplyFactory(parent=voted)
    VoteFactory(reply=voted, user=user, value=1)
    FlagFactory(reply=ReplyFactory(thread=thread), reporter=user)
    Reply.objects.filter(pk=voted.pk).update(score=1, upvotes=1)
    with committed():
        follow_thread(thread=thread, user=user)
        post_reply(thread=thread, author=other_user, body="Une réponse suivie.")
    reader = _signed_in(user)
    url = thread.get_absolute_url()

    stored = reader.get(url)
    shared = reader.get(url)
    alone = _page_alone(reader, url, settings)

    assert stored["X-Page-Cache"] == "miss"
    assert shared["X-Page-Cache"] == "hit"
    assert _normalised(shared.content.decode()) == _normalised(alone)
    assert _normalised(stored.content.decode()) == _normalised(alone)
    assert 'value="unfollow"' in alone
    assert 'class="badge unread"' in alone
    assert reverse("forum:reply-edit", args=[own.pk]) in alone


def test_readers_of_one_shared_page_each_see_their_own_header_and_follow(
    thread, user, other_user, committed
):
    UserFactory(display_name="Une lectrice de passage")
    with committed():
        follow_thread(thread=thread, user=user)
        post_reply(thread=thread, author=other_user, body="Qui suit ce fil ?")
    url = thread.get_absolute_url()

    theirs = _signed_in(user).get(url)
    others = _signed_in(other_user).get(url)

    assert others["X-Page-Cache"] == "hit"
    assert f'href="{user.get_absolute_url()}"><bdi>{user.public_name}</bdi><' in (
        theirs.content.decode()
    )
    assert user.public_name + "<" not in others.content.decode()
    assert f'href="{other_user.get_absolute_url()}"' in others.content.decode()
    assert 'value="unfollow"' in theirs.content.decode()
    assert 'value="follow"' in others.content.decode()
    assert 'class="badge unread"' in theirs.content.decode()
    assert 'class="badge unread"' not in others.content.decode()


def test_each_reader_of_a_shared_page_gets_a_token_of_their_own(
    thread, user, other_user
):
    url = thread.get_absolute_url()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(user)
    second.force_login(other_user)
    first.get(url)

    page = second.get(url)
    token = TOKEN.search(page.content.decode()).group(1)
    response = second.post(
        reverse("forum:thread-follow", args=[thread.pk]),
        {"action": "follow", "csrfmiddlewaretoken": token},
    )

    assert page["X-Page-Cache"] == "hit"
    assert CSRF_PLACEHOLDER not in page.content.decode()
    assert response.status_code == 302
    assert thread.follows.filter(user=other_user).exists()


def test_new_display_name_shows_in_the_header_of_the_next_shared_page(thread, user):
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    reader.get(url)

    user.display_name = "Camille des données"
    user.save()

    page = reader.get(url).content.decode()
    assert ">Camille des données<" in page


def test_reader_made_moderator_gets_the_moderators_page_on_the_next_request(
    thread, user, other_user
):
    _held_reply(thread, other_user)
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    before = reader.get(url).content.decode()

    make_moderator(user=user)

    after = reader.get(url).content.decode()
    assert "Une réponse retenue pour relecture." not in before
    assert "Une réponse retenue pour relecture." in after
    assert is_moderator(User.objects.get(pk=user.pk))


def test_reader_with_a_flash_message_gets_it_on_their_own_page(thread, user):
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    reader.get(url)
    ReplyFactory(thread=thread)

    response = reader.post(
        reverse("forum:thread-follow", args=[thread.pk]),
        {"action": "follow"},
        follow=True,
    )

    page = response.content.decode()
    assert 'class="messages"' in page
    assert "X-Page-Cache" not in response
    assert 'class="messages"' not in reader.get(url).content.decode()


def test_cached_page_keeps_the_headers_of_the_page_it_was_stored_from(client, thread):
    url = thread.get_absolute_url()

    first = client.get(url)
    second = client.get(url)

    assert second["X-Page-Cache"] == "hit"
    for header in ("X-Frame-Options", "Content-Security-Policy", "Content-Language"):
        assert second[header] == first[header]
    assert "Accept-Language" in second["Vary"]


def test_cached_page_is_sent_gzipped_to_readers_whose_browser_accepts_it(client, reply):
    url = reply.thread.get_absolute_url()

    stored = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    plain = client.get(url)
    gzipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert [page["X-Page-Cache"] for page in (stored, plain, gzipped)] == [
        "miss",
        "hit",
        "hit",
    ]
    assert stored["Content-Encoding"] == gzipped["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain
    assert gzip.decompress(stored.content) == gzip.decompress(gzipped.content)
    assert gzip.decompress(gzipped.content) == plain.content
    assert reply.body in plain.content.decode()
    assert len(gzipped.content) < len(plain.content) / 3
    for page in (stored, plain, gzipped):
        assert "Accept-Encoding" in page["Vary"]
        assert int(page["Content-Length"]) == len(page.content)


def test_anonymous_reader_with_a_stale_session_cookie_gets_the_cached_page(
    client, thread, django_assert_num_queries
):
    url = thread.get_absolute_url()
    client.get(url)
    client.cookies["sessionid"] = "expired0session0key0that0matches0nothing"

    # the session lookup finds nothing; the version counters
    with django_assert_num_queries(1 + VERSION_QUERIES):
        page = client.get(url)

    assert page["X-Page-Cache"] == "hit"
    assert thread.title in page.content.decode()


def test_cached_page_is_not_answered_for_a_path_another_urlconf_gives_a_plain_view(
    client, thread, settings
):
    url = thread.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    settings.ROOT_URLCONF = "tests.perf.plain_urls"
    response = client.get(url)

    assert response.content == b"plain"
    assert "X-Page-Cache" not in response


# Local copies -----------------------------------------------------------------


def test_flushed_shared_cache_never_brings_back_a_local_copy(client, thread):
    """Counters restart at a value they never had, so a worker's copy of the
    page under the old counters is not found again."""
    url = thread.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"

    cache.clear()
    shared_cache().clear()
    Thread.objects.filter(pk=thread.pk).update(title="Faut-il rester en France ?")

    page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Faut-il rester en France ?" in page.content.decode()


def test_local_copies_keep_the_most_recent_within_their_size(settings):
    settings.FORUM_PAGE_LOCAL_BYTES = 1000
    copies = LocalCopies()

    copies.set("a", "A", 400)
    copies.set("b", "B", 400)
    copies.get("a")
    copies.set("c", "C", 400)
    copies.set("huge", "H", 2000)

    assert copies.get("a") == "A"
    assert copies.get("b") is None
    assert copies.get("c") == "C"
    assert copies.get("huge") is None


def test_local_copies_expire(settings, monkeypatch):
    settings.FORUM_PAGE_LOCAL_SECONDS = 60
    copies = LocalCopies()
    now = [1000.0]
    monkeypatch.setattr("forum.pagecache.store.time.monotonic", lambda: now[0])

    copies.set("page", "P", 10)
    now[0] += 59
    kept = copies.get("page")
    now[0] += 2

    assert kept == "P"
    assert copies.get("page") is None


def test_pages_cached_by_another_release_are_not_served(
    client, thread, user, monkeypatch
):
    """A release that changes a template or a translation renders its own
    pages, whole and shared, instead of serving those the previous one left
    in the shared cache."""
    reader = _signed_in(user)
    url = thread.get_absolute_url()
    before = [client.get(url), reader.get(url), client.get(url), reader.get(url)]
    monkeypatch.setattr(anonymous, "rendering_salt", lambda: "next-release")
    monkeypatch.setattr(shared, "rendering_salt", lambda: "next-release")
    after = [client.get(url), reader.get(url), client.get(url), reader.get(url)]

    assert [page["X-Page-Cache"] for page in before] == ["miss", "miss", "hit", "hit"]
    assert [page["X-Page-Cache"] for page in after] == ["miss", "miss", "hit", "hit"]


def test_entries_kept_in_another_shape_are_not_read(monkeypatch):
    """The shape of kept entries is part of every key's salt: a release that
    changes it does not read the entries of the one before."""
    before = store.rendering_salt()
    monkeypatch.setattr(store, "ENTRY_FORMAT", store.ENTRY_FORMAT + 1)
    store.rendering_salt.cache_clear()
    try:
        after = store.rendering_salt()
    finally:
        store.rendering_salt.cache_clear()

    assert after != before
