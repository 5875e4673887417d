"""The table of the shared cache used when no Redis is configured.

Created whatever the settings say, so that a site moving from Redis back to
the default configuration finds it (forum/sharedstore.py).
"""

from django.core.management.commands.createcachetable import (
    Command as CreateCacheTable,
)
from django.db import migrations

from forum.sharedstore import SHARED_TABLE


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, SHARED_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name(SHARED_TABLE)}"
    )


class Migration(migrations.Migration):
    dependencies = [("forum", "0008_thread_title_must_show_text")]

    operations = [migrations.RunPython(create_table, drop_table)]
