from django.utils import translation

from articles.importer.extract import ExtractedPosting
from articles.importer.review import posting_key, review_items
from articles.models import ImportCorrection

PAY = "Kairo recrute un ingénieur payé 90 000 euros par an."


def posting(**fields) -> ExtractedPosting:
    values = {
        "company": "Kairo",
        "title": "ingénieur IA",
        "salary_min": 90_000,
        "salary_max": 90_000,
        "currency": "EUR",
        "period": "year",
        "evidence": PAY,
        "sources": {"company": PAY, "pay": PAY, "url": "Voir kairo.example."},
        "confidence": 0.8,
    }
    return ExtractedPosting(**{**values, **fields})


def correction(key: str, action: str, **fields) -> ImportCorrection:
    return ImportCorrection(posting_key=key, action=action, **fields)


def test_review_item_labels_each_sentence_with_the_parts_it_gave_in_order():
    item = review_items([posting()])[0]

    with translation.override("en"):
        sources = [(str(labels), sentence) for labels, sentence in item.sources]
    assert sources == [
        ("Employer, Pay", PAY),
        ("Link", "Voir kairo.example."),
    ]


def test_corrections_apply_on_top_of_a_fresh_extraction():
    kept, false = posting(), posting(company="Lumen", salary_max=100_000)
    corrections = [
        correction(
            posting_key(kept),
            "changed",
            field="salary_max",
            corrected_value=95_000,
        ),
        correction(posting_key(false), "dropped", corrected_value=True),
        correction(
            "added:1",
            "added",
            corrected_value={"company": "Orbe", "salary_max": 70_000},
        ),
        correction(posting_key(kept), "merged", corrected_value=42),
    ]

    items = review_items([kept, false], corrections)

    first, second, added = items
    assert first.as_posting().salary_max == 95_000
    assert first.as_posting().evidence == PAY
    assert (first.merge_into, first.corrected) == (42, {"salary_max"})
    assert second.dropped is True
    assert (added.is_added, added.as_posting().company) == (True, "Orbe")


def test_a_correction_follows_its_posting_when_the_role_is_reworded():
    before = posting()
    fix = correction(
        posting_key(before), "changed", field="location", corrected_value="Lyon"
    )

    item = review_items([posting(title="ingénieure en IA")], [fix])[0]

    assert item.values["location"] == "Lyon"


def test_a_correction_whose_posting_left_the_text_waits():
    fix = correction("ailleurs||1|2|EUR|year", "dropped", corrected_value=True)

    items = review_items([posting()], [fix])

    assert [item.dropped for item in items] == [False]
