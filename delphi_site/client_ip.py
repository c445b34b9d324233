"""The address a request comes from, for throttling sign-ins and bad expert links."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: from the proxy's header when one is configured, else the socket.

    A header such as X-Forwarded-For may hold a list ("client, proxy1"); the first entry is the
    address the trusted proxy saw. Only the configured header is read, so a client cannot pick
    its own address by sending another one.
    """
    value = request.META.get(settings.DELPHI_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR")
    return (value or "").split(",")[0].strip()
