"""No secret lives in the repository: no private key, no cloud access key, no secret key
written into a file, and the local .env stays out of git. The one literal secret key is the
documented development default in settings.py; that production refuses to start without
DJANGO_SECRET_KEY is tested in tests/delphi_site/test_settings.py."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DEV_DEFAULT = b"dev-only-insecure-key-change-me"
# Tests carry fake secrets on purpose; .env.example documents the variables.
EXEMPT = ("tests/", ".env.example")

PATTERNS = {
    "private key": re.compile(rb"-----BEGIN"),
    "AWS access key": re.compile(rb"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret key": re.compile(rb"aws_secret_access_key\s*[:=]\s*\S{20,}", re.IGNORECASE),
    # SECRET_KEY = "…" in Python, SECRET_KEY: "…" in YAML, SECRET_KEY=… in a shell or .env file
    # (a $(…) or ${…} there is computed or passed on, not written down).
    "secret key literal": re.compile(
        rb"SECRET_KEY\s*[:=]\s*(?:[\"'][^\"'\n]{8,}[\"']|[^\s$\"'(){}]{8,})"
    ),
}


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout


def _findings(path: str, content: bytes) -> list[str]:
    found = [f"{path}: {kind}" for kind, pattern in PATTERNS.items() if pattern.search(content)]
    if DEV_DEFAULT in content and path != "delphi_site/settings.py":
        found.append(f"{path}: the development key outside settings.py")
    return found


@pytest.fixture(scope="module")
def repository_files() -> list[str]:
    # Tracked files and new ones not ignored: a secret about to be committed counts too.
    listed = _git("ls-files", "--cached", "--others", "--exclude-standard").splitlines()
    assert "manage.py" in listed, "git ls-files must list the repository"
    return [path for path in listed if not path.startswith(EXEMPT) and (ROOT / path).is_file()]


def test_no_file_holds_something_that_looks_like_a_secret(repository_files):
    findings = [
        finding
        for path in repository_files
        for finding in _findings(path, (ROOT / path).read_bytes())
    ]

    assert findings == []


@pytest.mark.parametrize(
    "content",
    [
        b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n",
        b"key_id = AKIAIOSFODNN7EXAMPLE\n",
        b"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
        b'SECRET_KEY = "django-insecure-3f9a8b7c6d5e"\n',
        b"DJANGO_SECRET_KEY=3f9a8b7c6d5e4f3a2b1c\n",
        b'  DJANGO_SECRET_KEY: "3f9a8b7c6d5e4f3a2b1c"\n',
        b'SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")',
    ],
)
def test_the_scan_recognises_secrets(content):
    assert _findings("panels/somewhere.py", content)


@pytest.mark.parametrize(
    "content",
    [
        b'SECRET_KEY = env.str("DJANGO_SECRET_KEY")\n',
        b"DJANGO_SECRET_KEY=$$(python -c 'import secrets')\n",
        b"    DJANGO_SECRET_KEY: ${{ secrets.DJANGO_SECRET_KEY }}\n",
        b"# signed with the site's SECRET_KEY, so a copy of the database is not enough\n",
    ],
)
def test_the_scan_lets_references_to_a_secret_pass(content):
    assert _findings("panels/somewhere.py", content) == []


def test_the_development_key_is_only_a_default_in_settings():
    text = (ROOT / "delphi_site/settings.py").read_text()

    assert text.count(DEV_DEFAULT.decode()) == 1
    assert 'default="dev-only-insecure-key-change-me"' in text


def test_local_env_file_is_ignored_by_git():
    assert _git("check-ignore", ".env").strip() == ".env"
