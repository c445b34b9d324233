"""Writes to researcher accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction


@transaction.atomic
def account_create(*, username: str, email: str, password: str, first_name="", last_name=""):
    """A researcher's own account, from the sign-up form's checked data."""
    return get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
