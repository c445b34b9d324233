"""Reaching the expert's pages: the link's token, its throttle, and the friendly refusal."""

import functools

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from delphi_site.client_ip import client_ip
from panels.models import Expert
from rounds.answering.selectors import round_for_expert
from rounds.links import expert_for_token
from rounds.models import Round

# Repeated bad tokens from one address are refused for a while: a personal link carries 128
# bits of secret, so nobody guesses one, but this keeps a scanner from hammering the lookup.
# The counter lives in the default cache, which by default is per-process memory: with several
# server processes each counts on its own (the limit is then per process) and a restart forgets
# it. A shared cache (DJANGO_CACHE_URL, see settings) makes it exact.
BAD_TOKEN_LIMIT = 20
BAD_TOKEN_WINDOW = 10 * 60


class Unavailable(Exception):
    """Answered with the friendly page: 404 (nothing here for this link) or 429 (throttled)."""

    def __init__(self, status: int = 404):
        self.status = status


def _throttle_key(request: HttpRequest) -> str:
    return "expert-link-refused:" + client_ip(request)


def _expert_for_request(request: HttpRequest, token: str) -> Expert:
    key = _throttle_key(request)
    if cache.get(key, 0) >= BAD_TOKEN_LIMIT:
        # Refuse good tokens too while the address is blocked, or the block would still
        # answer the one question a scanner asks: is this token right?
        raise Unavailable(429)
    expert = expert_for_token(token)
    if expert is None:
        # add() opens the window; incr() keeps its expiry, so the window is fixed, not sliding.
        if not cache.add(key, 1, BAD_TOKEN_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, 1, BAD_TOKEN_WINDOW)
        raise Unavailable(404)
    return expert


def expert_page(view):
    """Resolve the link's token to the expert, or answer with the friendly page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs) -> HttpResponse:
        try:
            expert = _expert_for_request(request, token)
            response = view(request, expert=expert, token=token, **kwargs)
        except Unavailable as refusal:
            response = render(
                request,
                "rounds/expert/link_unavailable.html",
                {"throttled": refusal.status == 429},
                status=refusal.status,
            )
        # A personal page: no search engine should keep it.
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapper)


def expert_round(expert: Expert, round_pk: int) -> Round:
    """The round if the expert's link reaches it; otherwise the friendly page."""
    delphi_round = round_for_expert(expert=expert, round_pk=round_pk)
    if delphi_round is None:
        raise Unavailable(404)
    return delphi_round
