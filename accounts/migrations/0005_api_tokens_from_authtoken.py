"""Carry the tokens of DRF's authtoken app over to hashed, named tokens.

Clients keep their token: its hash is stored, and the plain-text key is
dropped. The old table may not exist (a database made after the switch).
"""

import hashlib
from datetime import UTC

from django.db import migrations
from django.utils import timezone

OLD_TABLE = "authtoken_token"


def _aware(moment):
    return timezone.make_aware(moment, UTC) if timezone.is_naive(moment) else moment


def copy_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("accounts", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, created, user_id FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    # SQLite gives back the UTC time without its zone.
    rows = [
        (key, _aware(created), user_id) for key, created, user_id in rows
    ]
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            name="Token",
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created_at=created,
            last_used_at=created,
        )
        for key, created, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")


def forget_copies(apps, schema_editor):
    """The plain keys are gone; going back leaves the hashed tokens alone."""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_api_tokens")]

    operations = [migrations.RunPython(copy_tokens, forget_copies)]
