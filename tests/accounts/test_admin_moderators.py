import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.services import MODERATOR_PERMISSIONS, MODERATORS_GROUP
from forum.permissions import is_moderator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("forum.migrations.0002_moderators_group")


def group_permissions() -> set[tuple[str, str]]:
    group = Group.objects.get(name=MODERATORS_GROUP)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_migration_gives_the_group_exactly_the_moderation_permissions():
    assert group_permissions() == set(MODERATOR_PERMISSIONS)
    assert ("forum", "moderate_reply") in group_permissions()
    assert not {
        codename
        for _app, codename in group_permissions()
        if codename.startswith("delete_") and codename != "delete_wordrule"
    }


def test_migration_is_reversible_and_reapplies_the_exact_permissions():
    state = MigrationExecutor(connection).loader.project_state(
        ("forum", "0002_moderators_group")
    )
    editor = SimpleNamespace(connection=connection)
    Group.objects.get(name=MODERATORS_GROUP).permissions.clear()

    MIGRATION.delete_moderators_group(state.apps, editor)
    gone = not Group.objects.filter(name=MODERATORS_GROUP).exists()
    MIGRATION.create_moderators_group(state.apps, editor)

    assert gone
    assert group_permissions() == set(MODERATOR_PERMISSIONS)


def test_make_moderator_adds_someone_to_the_group_and_to_the_admin(client):
    claire = UserFactory(username="claire")
    out = StringIO()

    call_command("make_moderator", "claire", stdout=out)

    claire.refresh_from_db()
    assert claire.is_staff
    assert claire.groups.filter(name=MODERATORS_GROUP).exists()
    assert is_moderator(claire)
    assert "claire" in out.getvalue()
    client.force_login(claire)
    assert client.get(reverse("admin:forum_flag_changelist")).status_code == 200


def test_make_moderator_remove_takes_someone_out_of_the_group(moderator):
    call_command("make_moderator", "modo", "--remove", stdout=StringIO())

    moderator.refresh_from_db()
    assert not moderator.groups.exists()
    assert not is_moderator(moderator)


def test_make_moderator_names_unknown_users_and_changes_nothing():
    UserFactory(username="claire")

    with pytest.raises(CommandError, match="nobody"):
        call_command("make_moderator", "claire", "nobody", stdout=StringIO())

    assert not Group.objects.get(name=MODERATORS_GROUP).user_set.exists()


def test_make_moderator_refuses_an_inactive_account():
    UserFactory(username="gone", is_active=False)

    with pytest.raises(CommandError, match="gone"):
        call_command("make_moderator", "gone", stdout=StringIO())

    assert not Group.objects.get(name=MODERATORS_GROUP).user_set.exists()


def test_make_moderator_recreates_a_deleted_group():
    Group.objects.filter(name=MODERATORS_GROUP).delete()
    UserFactory(username="claire")

    call_command("make_moderator", "claire", stdout=StringIO())

    assert group_permissions() == set(MODERATOR_PERMISSIONS)


def test_moderator_fixture_is_a_member_of_the_group_not_a_superuser(moderator):
    assert list(moderator.groups.values_list("name", flat=True)) == [MODERATORS_GROUP]
    assert not moderator.is_superuser
    assert not moderator.user_permissions.exists()
    assert is_moderator(moderator)


def test_moderator_sees_only_what_the_group_allows(client, moderator):
    client.force_login(moderator)

    index = client.get(reverse("admin:index"))

    models = {
        model["object_name"]
        for app in index.context["app_list"]
        for model in app["models"]
    }
    assert models == {
        "Article",
        "Company",
        "Posting",
        # Merges are read and undone with the right to change postings,
        # import corrections read with the right to read articles.
        "PostingMerge",
        "ImportCorrection",
        "User",
        "Reply",
        # Earlier versions of replies, which moderators may hide.
        "Revision",
        "Flag",
        "Thread",
        "WordRule",
        "LogEntry",
        # Read by every moderator through the right to moderate replies.
        "ModerationDecision",
        "Appeal",
        "IllegalContentNotice",
    }
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert client.get(reverse("admin:articles_article_add")).status_code == 403


def test_moderator_reads_an_account_but_cannot_change_it(client, moderator, user):
    client.force_login(moderator)

    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {"username": "renamed", "is_staff": "on"},
    )

    assert page.status_code == 200
    assert 'name="username"' not in page.content.decode()
    assert 'name="groups"' not in page.content.decode()
    assert response.status_code == 403
    user.refresh_from_db()
    assert (user.username, user.is_staff) == ("alice", False)


def test_staff_outside_the_group_sees_an_empty_admin(client):
    client.force_login(UserFactory(is_staff=True))

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert index.context["app_list"] == []
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_a_reader_is_sent_to_the_admin_log_in_page(auth_client):
    response = auth_client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
