from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_top_level_replies(apps, schema_editor):
    """Set each thread's count from its replies: top-level and published."""
    Reply = apps.get_model("forum", "Reply")
    Thread = apps.get_model("forum", "Thread")
    counted = (
        Reply.objects.filter(thread=OuterRef("pk"), depth=0, status="published")
        .order_by()
        .values("thread")
        .annotate(total=Count("pk"))
        .values("total")
    )
    Thread.objects.update(
        top_level_count=Coalesce(
            Subquery(counted, output_field=IntegerField()), Value(0)
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0021_reply_author_thread_by_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="top_level_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="top-level replies"
            ),
        ),
        migrations.RunPython(
            count_top_level_replies, migrations.RunPython.noop, elidable=True
        ),
    ]
