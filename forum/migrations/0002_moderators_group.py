from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_moderators_group(apps, schema_editor):
    from accounts.services import moderators_group

    # Permissions are normally created after the whole migrate run; the group
    # needs them now, so create them for every app first.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(
            app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias
        )
        app_config.models_module = None
    moderators_group(apps=apps, reset=True)


def delete_moderators_group(apps, schema_editor):
    from accounts.services import MODERATORS_GROUP

    apps.get_model("auth", "Group").objects.filter(name=MODERATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("accounts", "0001_initial"),
        ("articles", "0001_initial"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_moderators_group, delete_moderators_group),
    ]
