import pytest


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages in English, so that tests read the messages' own wording."""
    settings.LANGUAGE_CODE = "en"
