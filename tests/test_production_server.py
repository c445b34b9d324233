"""The production server under stress, in the suite: gunicorn (several workers) on PostgreSQL,
driven by the scripts under bench/ with small numbers. Concurrent double submits, dropped
connections and killed workers must lose and duplicate nothing.

Each script creates and drops a database of its own on the server DATABASE_URL names, so these
tests need PostgreSQL: CI (`.ci/run`) provides it; on SQLite they are skipped with the reason.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL: set DATABASE_URL (as .ci/run does) to run gunicorn against it",
    ),
]


def _bench(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=420,
    )


def test_concurrent_double_submits_and_dropped_connections_lose_and_duplicate_nothing():
    result = _bench("load.py", "--experts", "40", "--statements", "10", "--timeout", "180")

    last = result.stdout.strip().splitlines()[-1]
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert last.startswith("lost=0 duplicated=0 ratio="), last


def test_a_killed_worker_loses_no_acknowledged_answer():
    result = _bench(
        "faults.py", "--worker-kill", "--experts", "40", "--statements", "10", "--kills", "2"
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "respawned=yes" in result.stdout
    assert "acknowledged_lost=0 lost=0 duplicated=0 OK" in result.stdout
