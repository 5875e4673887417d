from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0010_reply_author_goes_to_deleted_member"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="pending_body",
            field=models.TextField(blank=True, verbose_name="edit waiting for review"),
        ),
        migrations.AddField(
            model_name="reply",
            name="pending_edit_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="edit held at"
            ),
        ),
        migrations.AddField(
            model_name="reply",
            name="pending_edit_reason",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="edit held because"
            ),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(
                condition=models.Q(("pending_edit_at__isnull", False)),
                fields=["thread", "author"],
                name="forum_reply_held_edit",
            ),
        ),
    ]
