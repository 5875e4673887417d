"""Signals the services send for changes no model signal sees (updates made
with QuerySet.update): webhooks listen to them."""

from django.dispatch import Signal

# sender=Thread, thread=..., field="is_locked" | "is_pinned" | "is_hidden", value
thread_flag_changed = Signal()
