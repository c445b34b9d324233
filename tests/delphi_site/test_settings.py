"""The settings module as an operator meets it: environment in, a safe configuration out."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7$kq!f0-a-long-random-production-secret-9b2c4d6e8f0a1b3c5d7e9f",
    "DJANGO_ALLOWED_HOSTS": "delphi.example.org",
    "DJANGO_EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "delphi_site.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _setting(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print(repr({expression}))"
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_deployment_checks_pass_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    env = PRODUCTION | {"DJANGO_SECRET_KEY": ""}
    env.pop("DJANGO_SECRET_KEY")

    result = _manage("check", **env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_sqlite_by_default_and_postgresql_from_database_url():
    assert _setting("settings.DATABASES['default']['ENGINE']") == "'django.db.backends.sqlite3'"
    engine = _setting(
        "settings.DATABASES['default']['ENGINE']", DATABASE_URL="postgres://u:p@db.example:5432/d"
    )
    assert engine == "'django.db.backends.postgresql'"


def test_smtp_mailer_from_the_email_url():
    mailer = _setting("settings.MAILERS['default']", **PRODUCTION)

    assert "smtp.EmailBackend" in mailer
    assert "'host': 'smtp.example.org'" in mailer
    assert "'port': 587" in mailer
    assert "'use_tls': True" in mailer


def test_bangkok_time_and_thai_first():
    assert _setting("(settings.TIME_ZONE, settings.LANGUAGE_CODE)") == "('Asia/Bangkok', 'th')"


def test_file_mailer_keeps_an_absolute_path():
    mailer = _setting("settings.MAILERS['default']", DJANGO_EMAIL_URL="filemail:///var/mail/delphi")

    assert "'file_path': '/var/mail/delphi'" in mailer


def _production_request(expression: str) -> str:
    """Evaluate `expression` on the response `r` of a test client in a production process."""
    code = f"from django.test import Client; c = Client(); print({expression})"
    env = PRODUCTION | {"DJANGO_ALLOWED_HOSTS": "testserver", "DATABASE_URL": "sqlite://:memory:"}
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_answers_https_with_strict_transport_security():
    hsts = _production_request("c.get('/', secure=True).headers.get('Strict-Transport-Security')")

    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_production_sends_plain_http_to_https():
    redirect = _production_request("(lambda r: (r.status_code, r.url))(c.get('/study/'))")

    assert redirect == "(301, 'https://testserver/study/')"


def test_health_probes_over_plain_http_are_not_sent_to_https():
    assert _production_request("c.get('/healthz').status_code") == "200"


def test_a_shared_cache_for_the_throttles_comes_from_the_environment():
    backend = _setting(
        "settings.CACHES['default']['BACKEND']", DJANGO_CACHE_URL="dbcache://delphi_cache"
    )

    assert backend == "'django.core.cache.backends.db.DatabaseCache'"
