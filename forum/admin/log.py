"""The admin log, read-only: every moderation action, who did it and when."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from forum.adminbase import WritesNothing


@admin.register(LogEntry)
class LogEntryAdmin(WritesNothing, admin.ModelAdmin):
    """Every moderation action, with who did it and when: read-only."""

    list_display = (
        "action_time",
        "user",
        "content_type",
        "object_link",
        "action_flag",
        "sentence",
    )
    list_filter = (
        "action_flag",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        "action_time",
    )
    search_fields = ("object_repr", "change_message", "user__username")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
    show_full_result_count = False

    @admin.display(description=gettext_lazy("object"), ordering="object_repr")
    def object_link(self, obj):
        url = obj.get_admin_url()
        if url:
            return format_html('<a href="{}">{}</a>', url, obj.object_repr)
        return obj.object_repr

    @admin.display(description=gettext_lazy("what was done"))
    def sentence(self, obj):
        return obj.get_change_message()
