from django.db import migrations

from accounts.usernames import skeleton

USERNAME = "deleted-member"


def create_deleted_member(apps, schema_editor):
    """The account that authors an erased account's replies: it exists from
    the start, so no one can sign up under its name or a look-alike."""
    User = apps.get_model("accounts", "User")
    User.objects.get_or_create(
        username=USERNAME,
        defaults={
            "is_active": False,
            "password": "!",
            "username_skeleton": skeleton(USERNAME),
        },
    )


def remove_deleted_member(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(username=USERNAME, replies__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens_from_authtoken"),
    ]

    operations = [
        migrations.RunPython(create_deleted_member, remove_deleted_member),
    ]
