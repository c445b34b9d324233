"""Personal links: unguessable, revocable, and useless from a copy of the database alone."""

import pytest
from django.test import override_settings

from rounds.links import (
    expert_for_token,
    expert_link_reissue,
    expert_link_revoke,
    expert_token,
)
from tests.panels.factories import ExpertFactory

pytestmark = pytest.mark.django_db


def test_a_token_leads_back_to_its_expert():
    expert = ExpertFactory()

    assert expert_for_token(expert_token(expert)) == expert


def test_tokens_carry_at_least_128_bits_of_secret():
    token = expert_token(ExpertFactory())

    signature = token.split("-", 1)[1]
    assert len(signature) * 6 >= 128


def test_an_altered_token_is_refused():
    expert, other = ExpertFactory(), ExpertFactory()
    token = expert_token(expert)
    signature = token.split("-", 1)[1]

    assert expert_for_token(f"{other.pk}-{signature}") is None
    assert expert_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert expert_for_token("garbage") is None
    assert expert_for_token("") is None


def test_a_database_copy_alone_cannot_make_a_link():
    """Whoever holds the rows but not SECRET_KEY computes a token that does not work."""
    expert = ExpertFactory()
    real = expert_token(expert)
    with override_settings(SECRET_KEY="an attacker's guess of the key, long enough"):
        forged = expert_token(expert)

    assert forged != real
    assert expert_for_token(forged) is None


def test_revoking_kills_the_link_and_reissuing_gives_a_new_one():
    expert = ExpertFactory()
    old = expert_token(expert)

    expert_link_revoke(expert=expert)

    assert expert_for_token(old) is None
    new = expert_link_reissue(expert=expert)
    assert new != old
    assert expert_for_token(new) == expert
    assert expert_for_token(old) is None
