"""gunicorn settings for delphi-site: `gunicorn -c gunicorn.conf.py delphi_site.wsgi`.

Every value can be changed from the environment, so one file serves a laptop, CI and the
server. gunicorn itself also reads GUNICORN_CMD_ARGS (e.g. "--bind 0.0.0.0:8000").
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return value in {"1", "true", "yes", "on"} if value else default


wsgi_app = "delphi_site.wsgi:application"

# Behind a reverse proxy on the same machine: listen on loopback only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: the pages are short database-bound requests, and a sync worker holds at most
# one database connection, so the count below bounds the connections PostgreSQL must allow.
# 2 x cores + 1 keeps the CPUs busy while some workers wait for the database.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

# Waiting connections queue here while every worker is busy (a whole panel opening its
# links at once after the invitation e-mail).
backlog = _int("GUNICORN_BACKLOG", 2048)

# A request that runs longer is killed and its worker replaced; the largest PDF report takes
# a few seconds, so 60 s leaves room without letting a stuck worker hang forever.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On restart or SIGTERM, requests in flight get this long to finish (an expert's submit).
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Replacing workers now and then bounds any slow memory growth (WeasyPrint, pandas); the
# jitter keeps them from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Trust X-Forwarded-Proto / X-Forwarded-For only from the proxy (loopback by default), so a
# client cannot claim HTTPS or another address; Django's SECURE_PROXY_SSL_HEADER relies on it.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The proxy already logs every request; errors still go to stderr.
accesslog = "-" if _bool("GUNICORN_ACCESS_LOG", False) else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Loading the app once in the master makes starting and replacing workers fast; each worker
# opens its own database connections after the fork (Django opens them lazily).
preload_app = _bool("GUNICORN_PRELOAD", True)


def when_ready(server) -> None:
    """Warm the app in the master, before the workers are forked.

    Django imports the views (and WeasyPrint, pandas, openpyxl behind them) and compiles each
    template on the first request that needs it: seconds per worker. Done once here, every
    worker — including one replaced after a crash or after max_requests — starts warm and
    shares those pages of memory with the master. Nothing here touches the database.
    """
    if not preload_app:
        return
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 — evaluating the property imports every view
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Submit my answers")
    for name in WARM_TEMPLATES:
        get_template(name)


# The expert's pages, which a whole panel opens within minutes of the invitation.
WARM_TEMPLATES = [
    "rounds/expert/start.html",
    "rounds/expert/round_rating.html",
    "rounds/expert/round_open.html",
    "rounds/expert/thanks.html",
    "rounds/expert/closed.html",
    "rounds/expert/link_unavailable.html",
    "500.html",
]
