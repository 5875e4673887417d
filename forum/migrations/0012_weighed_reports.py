from django.db import migrations, models
from django.db.models import F


def weigh_open_reports(apps, schema_editor):
    """Reports stored before weighing each count as one full report."""
    Reply = apps.get_model("forum", "Reply")
    Reply.objects.filter(open_flag_count__gt=0).update(
        open_flag_weight=F("open_flag_count") * 100
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0011_reply_held_edit"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="weight",
            field=models.PositiveSmallIntegerField(
                default=100, editable=False, verbose_name="weight"
            ),
        ),
        migrations.AddField(
            model_name="reply",
            name="open_flag_weight",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="weight of open reports"
            ),
        ),
        migrations.AlterField(
            model_name="flag",
            name="reason",
            field=models.CharField(
                choices=[
                    ("spam", "Spam"),
                    ("abuse", "Abuse or harassment"),
                    ("off_topic", "Off-topic"),
                    ("personal_data", "Personal data"),
                    ("illegal", "Illegal content"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="reason",
            ),
        ),
        migrations.RunPython(weigh_open_reports, migrations.RunPython.noop),
    ]
