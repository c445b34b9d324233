"""Fault injection on a production-style server: nothing that was acknowledged is lost.

Run from the repository root, as root on a machine whose PostgreSQL may be restarted
(the restart disturbs everything else using that server, so it is off unless asked):

    python bench/faults.py --worker-kill               # (a) only
    python bench/faults.py --worker-kill --pg-restart  # (a) and (b)

(a) worker-kill: experts submit a rating round while a gunicorn worker is killed with
    SIGKILL, several times. Requests in flight on that worker fail and the client retries
    them, as a person taps again; every request that got a success response must be in the
    database, gunicorn must replace each killed worker, and every expert must finish.
(b) pg-restart: during an open round some experts autosave statement by statement (the
    HTMX path of the questionnaire) and then submit, others only autosave (a draft left for
    later), while PostgreSQL is restarted (`pg_ctlcluster --skip-systemctl-redirect <ver>
    main restart`). Every autosave and submit that got a success response must be in the
    database afterwards; requests during the outage must get the friendly error page (no
    stack trace), and the site must recover by itself: the same gunicorn, no manual step.

Each fault prints one summary line; the exit status is 1 on any loss, failure to recover or
unfriendly error page. PostgreSQL is started again on the way out if it is found down.
"""

import argparse
import http.client
import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import check_database  # noqa: E402
from bench.server import Browser, ExpertPlan, Site, rating_fields, running_site  # noqa: E402

CLIENT_ERRORS = (OSError, http.client.HTTPException)
# What only a stack trace or Django's technical page would show.
TRACE_MARKERS = (b"Traceback", b"OperationalError", b"psycopg", b'id="traceback"')


@dataclass
class Ledger:
    """Successes the server acknowledged, and what went wrong on the way (thread-safe)."""

    submitted: set = field(default_factory=set)  # expert pk
    autosaved: dict = field(default_factory=dict)  # (expert pk, item pk) -> value
    failures: int = 0
    friendly_errors: int = 0
    unfriendly: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, status: int | None = None, body: bytes = b"") -> None:
        with self.lock:
            self.failures += 1
            if status is not None and status >= 500:
                if any(marker in body for marker in TRACE_MARKERS) or b"<html" not in body:
                    self.unfriendly.append(body[:300])
                else:
                    self.friendly_errors += 1


def _retry(deadline: float, ledger: Ledger, attempt) -> bool:
    """Call `attempt()` until it returns True, pausing more each time, until the deadline."""
    pause = 0.2
    while time.monotonic() < deadline:
        try:
            if attempt():
                return True
        except CLIENT_ERRORS:
            ledger.failed()
        time.sleep(pause)
        pause = min(pause * 1.5, 3.0)
    return False


def open_questionnaire(site: Site, expert: ExpertPlan, ledger: Ledger, deadline: float):
    browser = Browser(site.url, timeout=30)

    def attempt() -> bool:
        status, _headers, body = browser.get(site.round_path(expert))
        if status != 200:
            ledger.failed(status, body)
        return status == 200

    return browser if _retry(deadline, ledger, attempt) else None


def submit(site: Site, expert: ExpertPlan, ledger: Ledger, deadline: float, browser) -> bool:
    fields = rating_fields(expert.answers, "submit")

    def attempt() -> bool:
        status, headers, body = browser.post(site.round_path(expert), fields)
        if status == 302 and headers.get("Location", "").endswith("/thanks/"):
            with ledger.lock:
                ledger.submitted.add(expert.pk)
            return True
        ledger.failed(status, body)
        return False

    return _retry(deadline, ledger, attempt)


def autosave(site, expert, ledger, deadline, browser, item_pk: int, value: int) -> bool:
    """One statement saved as the page's HTMX request does it (CSRF token in a header)."""
    path = f"/e/{expert.token}/rounds/{site.round_pk}/items/{item_pk}/save/"
    body = f"rating_{item_pk}={value}&comment_{item_pk}=".encode()
    headers = browser.post_headers(body) | {"HX-Request": "true", "X-CSRFToken": browser.csrf_token}

    def attempt() -> bool:
        status, _headers, answer = browser.request("POST", path, body=body, headers=headers)
        if status == 200 and b"text-success" in answer:
            with ledger.lock:
                ledger.autosaved[(expert.pk, item_pk)] = value
            return True
        ledger.failed(status, answer)
        return False

    return _retry(deadline, ledger, attempt)


def run_all(workers: list) -> None:
    threads = [threading.Thread(target=w, daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --------------------------------------------------------------------------- (a) worker-kill


def fault_worker_kill(args) -> bool:
    with running_site(experts=args.experts, statements=args.statements) as site:
        ledger = Ledger()
        deadline = time.monotonic() + args.timeout
        finished = set()

        def expert_run(expert: ExpertPlan):
            def run() -> None:
                browser = open_questionnaire(site, expert, ledger, deadline)
                if browser is not None and submit(site, expert, ledger, deadline, browser):
                    finished.add(expert.pk)

            return run

        before = site.worker_pids()
        killed = []

        def killer() -> None:
            rng = random.Random(args.seed)
            for _n in range(args.kills):
                # Wait until submissions are flowing, then kill a busy-looking worker.
                while len(ledger.submitted) < len(killed) * 5 + 3 and time.monotonic() < deadline:
                    time.sleep(0.05)
                workers = site.worker_pids()
                if workers:
                    victim = rng.choice(workers)
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                time.sleep(args.kill_interval)

        run_all([killer, *(expert_run(e) for e in site.experts)])
        respawned = _wait_for_workers(site, len(before), set(killed))
        lost, duplicated, notes = check_database(site)
        acknowledged_missing = _acknowledged_missing(site, ledger)
    for note in notes[:10]:
        print(f"  {note}", file=sys.stderr)
    ok = (
        not lost
        and not duplicated
        and not acknowledged_missing
        and respawned
        and len(finished) == args.experts
    )
    print(
        f"fault=worker-kill kills={len(killed)} respawned={'yes' if respawned else 'NO'} "
        f"failed_requests={ledger.failures} (retried) experts_done={len(finished)}/{args.experts} "
        f"acknowledged_lost={acknowledged_missing} lost={lost} duplicated={duplicated} "
        f"{'OK' if ok else 'FAILED'}"
    )
    return ok


def _wait_for_workers(site: Site, count: int, killed: set, timeout: float = 30) -> bool:
    """gunicorn replaced every killed worker: as many workers as before, none of the dead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = set(site.worker_pids())
        if len(workers) == count and not workers & killed:
            return True
        time.sleep(0.2)
    return False


def _acknowledged_missing(site: Site, ledger: Ledger) -> int:
    """Successes the server acknowledged that the database does not hold."""
    from rounds.models import DEFAULT_CRITERION, Rating, Submission

    submitted = set(
        Submission.objects.filter(
            delphi_round_id=site.round_pk, status=Submission.Status.SUBMITTED
        ).values_list("expert_id", flat=True)
    )
    stored = {
        (expert_id, item_id): value
        for expert_id, item_id, value in Rating.objects.filter(
            submission__delphi_round_id=site.round_pk, criterion=DEFAULT_CRITERION
        ).values_list("submission__expert_id", "item_id", "value")
    }
    missing = len(ledger.submitted - submitted)
    missing += sum(1 for key, value in ledger.autosaved.items() if stored.get(key) != value)
    return missing


# --------------------------------------------------------------------------- (b) pg-restart


def _pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1], "main"


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def pg_ensure_up() -> None:
    if not pg_ready():
        version, cluster = _pg_cluster()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"], check=False
        )


def fault_pg_restart(args) -> bool:
    try:
        return _pg_restart_run(args)
    finally:
        pg_ensure_up()


def _pg_restart_run(args) -> bool:
    with running_site(
        experts=args.experts,
        statements=args.statements,
        extra_env={"DJANGO_CONN_MAX_AGE": str(args.conn_max_age)},
    ) as site:
        ledger = Ledger()
        deadline = time.monotonic() + args.timeout
        finished = set()
        drafters = {e.pk for e in site.experts[: len(site.experts) // 4]}
        restart = {"at": None, "took": None, "error": None}

        def expert_run(expert: ExpertPlan):
            def run() -> None:
                rng = random.Random(expert.index)
                browser = open_questionnaire(site, expert, ledger, deadline)
                if browser is None:
                    return
                for item_pk, (value, _comment) in expert.answers.items():
                    # A person reading and tapping: the saves spread over the outage.
                    time.sleep(rng.uniform(0.05, 0.4))
                    if not autosave(site, expert, ledger, deadline, browser, item_pk, value):
                        return
                if expert.pk in drafters or submit(site, expert, ledger, deadline, browser):
                    finished.add(expert.pk)

            return run

        def restarter() -> None:
            # Restart once the autosaves are well under way.
            while len(ledger.autosaved) < len(site.experts) * 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            version, cluster = _pg_cluster()
            restart["at"] = time.monotonic()
            done = subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                capture_output=True,
                text=True,
                check=False,
            )
            restart["took"] = time.monotonic() - restart["at"]
            if done.returncode:
                restart["error"] = done.stderr.strip()

        run_all([restarter, *(expert_run(e) for e in site.experts)])
        healthy = Browser(site.url).request("GET", "/healthz")[0] == 200
        same_server = site.process.poll() is None
        from django.db import connections

        connections.close_all()  # the harness's own connection died with the restart
        acknowledged_missing = _acknowledged_missing(site, ledger)
        submitters = [e for e in site.experts if e.pk not in drafters]
        lost, duplicated, notes = _check_submitters(site, submitters)
    for note in notes[:10]:
        print(f"  {note}", file=sys.stderr)
    for body in ledger.unfriendly[:3]:
        print(f"  unfriendly error page: {body!r}", file=sys.stderr)
    if restart["error"]:
        print(f"  restart failed: {restart['error']}", file=sys.stderr)
    ok = (
        restart["took"] is not None
        and not restart["error"]
        and not acknowledged_missing
        and not lost
        and not duplicated
        and not ledger.unfriendly
        and healthy
        and same_server
        and len(finished) == args.experts
    )
    print(
        f"fault=pg-restart restart_s={restart['took'] or 0:.1f} "
        f"autosaves_ok={len(ledger.autosaved)} submits_ok={len(ledger.submitted)} "
        f"failed_requests={ledger.failures} friendly_error_pages={ledger.friendly_errors} "
        f"unfriendly={len(ledger.unfriendly)} "
        f"recovered={'yes' if healthy and same_server else 'NO'} "
        f"experts_done={len(finished)}/{args.experts} acknowledged_lost={acknowledged_missing} "
        f"lost={lost} duplicated={duplicated} {'OK' if ok else 'FAILED'}"
    )
    return ok


def _check_submitters(site: Site, submitters: list[ExpertPlan]):
    """check_database on the experts who were to submit (the drafters keep a draft)."""
    everyone = site.experts
    site.experts = submitters
    try:
        return check_database(site)
    finally:
        site.experts = everyone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker-kill", action="store_true")
    parser.add_argument("--pg-restart", action="store_true")
    parser.add_argument("--experts", type=int, default=120)
    parser.add_argument("--statements", type=int, default=20)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--kill-interval", type=float, default=1.0)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=60,
        help="DJANGO_CONN_MAX_AGE for the restart: kept connections are the hard case",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds per fault")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    if not (args.worker_kill or args.pg_restart):
        parser.error("choose --worker-kill and/or --pg-restart")
    results = []
    if args.worker_kill:
        results.append(fault_worker_kill(args))
    if args.pg_restart:
        results.append(fault_pg_restart(args))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
