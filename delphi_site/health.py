"""/healthz: is this server process able to answer and reach its database?

For a load balancer, a process supervisor or a monitoring probe, and the floor the load
benchmark (bench/load.py) measures the app against: one view, no template, no session, one
`SELECT 1`. It answers 503 while the database is unreachable, so a probe sees the outage and
the recovery without reading logs.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # The probe gets a bare status; the reason goes to the log, not to whoever asks.
        logger.warning("Health check: the database is unreachable", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
