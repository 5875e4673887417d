import pytest

from tests.factories import UserFactory


@pytest.fixture
def editor(db):
    """A staff member allowed to add articles."""
    from django.contrib.auth.models import Permission

    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(
            codename="add_article", content_type__app_label="articles"
        )
    )
    return editor


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
