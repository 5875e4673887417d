"""Full-text search on PostgreSQL: French stemming that ignores accents.

The "french_unaccent" text search configuration strips accents (unaccent
extension) before French stemming, so "societe" finds "sociétés". Articles,
threads and replies get a generated "search_document" tsvector column, kept
up to date by the database itself, with a GIN index: forum.search matches and
ranks on stored lexemes instead of parsing every row. The columns are no
model fields, since only PostgreSQL has them: on other databases the
operation does nothing and forum.search falls back to plain matching.
"""

from django.db import migrations

CONFIG = "french_unaccent"


def _document(*weighted_columns):
    parts = [
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({column}, '')), "
        f"'{weight}')"
        for column, weight in weighted_columns
    ]
    return " || ".join(parts)


DOCUMENTS = {
    "articles_article": _document(("title", "A"), ("body", "B")),
    "forum_thread": _document(("title", "A")),
    "forum_reply": _document(("body", "A")),
}

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG}
                ALTER MAPPING FOR hword, hword_part, word
                WITH unaccent, french_stem;
        END IF;
    END
    $$
    """,
]
for table, document in DOCUMENTS.items():
    FORWARD += [
        f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
        f"GENERATED ALWAYS AS ({document}) STORED",
        f"CREATE INDEX {table}_search ON {table} USING gin (search_document)",
    ]

BACKWARD = [
    f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document"
    for table in DOCUMENTS
] + [f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("forum", "0002_moderators_group"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
