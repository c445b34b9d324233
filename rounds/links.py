"""Personal links for experts: unguessable, revocable, and useless from a database copy alone.

A link token is `<expert pk>-<signature>`, the signature being an HMAC (SHA-256, keyed with the
site's SECRET_KEY) over the expert's pk and `Expert.link_key`. The database holds only the key:
without SECRET_KEY nobody can compute a token from it. Revoking or re-issuing replaces the key,
which invalidates every earlier token at once.
"""

import base64

from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from panels.models import Expert, new_link_key

SALT = "delphi-site.expert-link"
# 128 bits of the HMAC are kept: unguessable, yet short enough for a QR code and a LINE message.
SIGNATURE_BYTES = 16


def _signature(expert_pk: int, link_key: str) -> str:
    digest = salted_hmac(SALT, f"{expert_pk}:{link_key}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).rstrip(b"=").decode()


def expert_token(expert: Expert) -> str:
    return f"{expert.pk}-{_signature(expert.pk, expert.link_key)}"


def expert_link_path(expert: Expert) -> str:
    return reverse("expert:start", kwargs={"token": expert_token(expert)})


def expert_link_url(expert: Expert, request=None, base_url: str | None = None) -> str:
    """The absolute link, from the request's host, or `base_url` (e.g. in a background task)."""
    path = expert_link_path(expert)
    if request is not None:
        return request.build_absolute_uri(path)
    return (base_url or "").rstrip("/") + path


def expert_for_token(token: str) -> Expert | None:
    """The expert a token belongs to, or None when it is wrong, altered or revoked."""
    expert_pk, _sep, signature = token.partition("-")
    if not expert_pk.isdigit() or not signature:
        return None
    expert = Expert.objects.select_related("panel__study").filter(pk=int(expert_pk)).first()
    if expert is None or expert.link_revoked_at is not None:
        return None
    if not constant_time_compare(signature, _signature(expert.pk, expert.link_key)):
        return None
    return expert


def expert_link_revoke(*, expert: Expert) -> None:
    expert.link_key = new_link_key()
    expert.link_revoked_at = timezone.now()
    expert.save(update_fields=["link_key", "link_revoked_at"])


def expert_link_reissue(*, expert: Expert) -> str:
    """A fresh link; every earlier link of this expert stops working."""
    expert.link_key = new_link_key()
    expert.link_revoked_at = None
    expert.save(update_fields=["link_key", "link_revoked_at"])
    return expert_token(expert)
