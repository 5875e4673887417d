"""PostgreSQL's plans for the thread page's queries, as Markdown.

    DATABASE_URL=postgres://... python bench/explain.py THREAD_ID [USERNAME]

Renders the thread page's context as an anonymous reader (every sort) and,
with USERNAME, as that signed-in reader, and prints EXPLAIN (ANALYZE,
BUFFERS) of each query it ran.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import SESSION_KEY  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from forum import pagecache  # noqa: E402
from forum.selectors import thread_for_page, thread_page  # noqa: E402


def _plan(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _queries(run) -> list[dict]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return captured.captured_queries


def _print(title: str, queries) -> None:
    print(f"#### {title}\n")
    for query in queries:
        sql = query["sql"]
        print("```sql")
        print(sql if len(sql) < 1500 else sql[:1500] + " …")
        print("```\n```")
        # The captured SQL has its parameters inlined; plan it as it is.
        print(_plan(sql, None))
        print("```\n")


def main(thread_id: int, username: str | None) -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to the PostgreSQL database to explain.")
    anonymous = AnonymousUser()
    thread = thread_for_page(thread_id, anonymous)
    _print(
        "Anonymous reader: the thread, its postings",
        _queries(lambda: thread_for_page(thread_id, anonymous)),
    )
    for sort in ("best", "top", "new", "old"):

        def page(sort=sort):
            return thread_page(thread=thread, viewer=anonymous, sort=sort)

        _print(
            f"Anonymous reader, sort {sort}: the first top-level page, descendants",
            _queries(page),
        )
    if username:
        reader = User.objects.get(username=username)
        request = RequestFactory().get(thread.get_absolute_url())
        request.user = reader
        request.LANGUAGE_CODE = "fr"
        request.session = {SESSION_KEY: str(reader.pk)}
        request.COOKIES = {}
        request.META["HTTP_HOST"] = "127.0.0.1"
        shared = {"thread_id": thread_id, "slug": thread.slug}
        pagecache.shared_thread_page(request, **shared)
        _print(
            "Signed-in reader (page already shared): the user with their votes, "
            "reports, held replies, follow and unread notifications",
            _queries(lambda: pagecache.shared_thread_page(request, **shared)),
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
