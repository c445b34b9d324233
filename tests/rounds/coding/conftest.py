import pytest
from django.conf import settings

from tests.rounds.factories import answered_round


@pytest.fixture
def answered(study):
    return answered_round(study, experts=3, questions=2)


@pytest.fixture
def client_en(alice_client):
    # Assertions read English wording; the site itself starts in Thai.
    alice_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return alice_client
