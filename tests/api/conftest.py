"""Fixtures for the API tests: clients signed in by token, generous throttles."""

import pytest
from rest_framework.test import APIClient

from accounts.services import create_api_token

GENEROUS_RATES = {
    "anon_read": "100000/m",
    "user_write": "100000/m",
    "vote": "100000/m",
    "token": "100000/m",
}


@pytest.fixture(autouse=True)
def _generous_throttles(settings):
    """Throttles stay out of the way unless a test lowers them."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict(GENEROUS_RATES),
    }


@pytest.fixture
def throttle_rates(settings):
    """Set some throttle rates for one test: throttle_rates(vote="2/m")."""

    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**GENEROUS_RATES, **rates},
        }

    return set_rates


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        token = create_api_token(user=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.secret}")
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user_api(user):
    return client_for(user)


@pytest.fixture
def other_api(other_user):
    return client_for(other_user)


@pytest.fixture
def moderator_api(moderator):
    return client_for(moderator)
