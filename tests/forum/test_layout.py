"""What the package layout promises: which imports pull in what, and where
the page cache's invalidation is wired."""

import ast
from pathlib import Path

from django.conf import settings

from tests.support import run_python

ROOT = Path(settings.BASE_DIR)


def test_importing_the_models_pulls_in_no_view_admin_or_url_code():
    # The admin is set up without autodiscovery, which would import every
    # app's admin module on purpose: what is left is what the models, the
    # app configs and their ready() bring in.
    found = run_python(
        "import json, sys\n"
        "import django\n"
        "from django.conf import settings\n"
        "settings.INSTALLED_APPS = [\n"
        "    'django.contrib.admin.apps.SimpleAdminConfig'\n"
        "    if app == 'django.contrib.admin' else app\n"
        "    for app in settings.INSTALLED_APPS\n"
        "]\n"
        "django.setup()\n"
        "import forum.models\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )

    ours = [
        name
        for name in found
        if name.split(".")[0] in {"forum", "articles", "accounts"}
    ]
    assert "forum.models" in ours
    assert [
        name
        for name in ours
        if any(word in name for word in ("view", "admin", "urls", "api"))
    ] == []


def test_page_cache_receivers_work_in_a_process_that_never_loads_the_urlconf(
    tmp_path,
):
    # The version counters live in the shared store: without Redis, a table
    # of the database, created here in an SQLite database of the process's
    # own.
    found = run_python(
        "import json, sys\n"
        "import django\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('createcachetable')\n"
        "from django.db.models.signals import post_save\n"
        "from articles.models import Company\n"
        "from forum.infra import cache as versions\n"
        "before = versions.version(*versions.CATALOG)\n"
        "post_save.send(sender=Company, instance=Company(name='Mistral AI'),"
        " created=True)\n"
        "print(json.dumps({\n"
        "    'moved': versions.version(*versions.CATALOG) != before,\n"
        "    'urlconf': 'forum.urls' in sys.modules,\n"
        "}))\n",
        SQLITE_PATH=str(tmp_path / "receivers.sqlite3"),
        DATABASE_URL="",
    )

    assert found == {"moved": True, "urlconf": False}


def test_no_other_app_imports_the_forum_admin():
    importers = []
    for app in ("accounts", "articles"):
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module] + [
                        f"{node.module}.{alias.name}" for alias in node.names
                    ]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                if any(
                    name == "forum.admin" or name.startswith("forum.admin.")
                    for name in names
                ):
                    importers.append(str(path.relative_to(ROOT)))

    assert importers == []
