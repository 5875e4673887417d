from pathlib import Path

from django.db import migrations

TEXTS = Path(__file__).resolve().parents[1] / "legal"
TITLES = {
    ("privacy", "fr"): "Confidentialité",
    ("privacy", "en"): "Privacy",
    ("terms", "fr"): "Conditions d'utilisation",
    ("terms", "en"): "Terms of use",
}


def add_default_pages(apps, schema_editor):
    """The default privacy notice and terms, in French and English; staff
    edit them in the admin."""
    from forum.markdown import render_markdown

    LegalPage = apps.get_model("accounts", "LegalPage")
    for (kind, language), title in TITLES.items():
        body = (TEXTS / f"{kind}.{language}.md").read_text(encoding="utf-8")
        LegalPage.objects.get_or_create(
            kind=kind,
            language=language,
            defaults={
                "title": title,
                "body": body,
                "body_html": render_markdown(body),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_legal_pages_and_terms_acceptance"),
    ]

    operations = [
        migrations.RunPython(add_default_pages, migrations.RunPython.noop),
    ]
