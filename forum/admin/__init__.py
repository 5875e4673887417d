"""Moderation in the admin: replies, the report queue, threads, word lists and
the admin log, one module each; base.py holds what replies and reports share.

Every action calls a service, so moderators are bound by the same rules as
the site, and writes a sentence a person can read to the admin log. Nothing a
user wrote is editable here, and nothing is deleted: removal is a soft state.
The pieces other apps' admins share live in forum/adminbase.py.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy

from forum.admin import appeals, flags, log, queue, replies, threads, wordrules

__all__ = ["appeals", "flags", "log", "queue", "replies", "threads", "wordrules"]

admin.site.site_header = gettext_lazy("Forum moderation")
admin.site.site_title = gettext_lazy("Forum moderation")
admin.site.index_title = gettext_lazy("Moderation")
# The queues are wide tables: give them the whole width of the page.
admin.site.enable_nav_sidebar = False
