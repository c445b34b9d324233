import os

import pytest
from django.core.cache import cache
from django.test import Client

from tests.panels.factories import PASSWORD, StudyFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# from such a thread unless told that this is deliberate (it is: tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests hash many passwords and need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Throttles count in the cache; one test's refused links must not block the next test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", first_name="Alice")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", first_name="Bob")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(bob):
    """A separate browser session, so a test can act as Alice and Bob side by side."""
    other = Client()
    other.force_login(bob)
    return other


@pytest.fixture
def study(alice):
    return StudyFactory(owner=alice, title="เครือข่ายความร่วมมือ")
