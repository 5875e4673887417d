from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Now


def carry_over_verified_addresses(apps, schema_editor):
    """An account whose address allauth already confirmed counts as verified;
    every other existing account confirms its address before its next reply
    (docs/privacy.md)."""
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    confirmed = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    User.objects.filter(Exists(confirmed)).exclude(email="").update(
        email_verified_at=Now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_api_tokens_from_authtoken"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="e-mail verified at",
            ),
        ),
        migrations.RunPython(carry_over_verified_addresses, migrations.RunPython.noop),
    ]
