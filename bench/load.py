"""Load benchmark: a whole panel submits a rating round at once on a production-style server.

Run from the repository root (PostgreSQL must be running; see bench/server.py for the
database it uses):

    python bench/load.py                                # 500 experts x 50 statements
    python bench/load.py --experts 50 --statements 10   # a quick run

bench/server.py seeds an open rating round and serves it with gunicorn. Every expert is one
client, all released at the same moment. Each does what a phone does on the no-JavaScript
path of the questionnaire (also what the page's "Submit my answers" button posts when
JavaScript runs, after the autosaves): GET the questionnaire (cookies, CSRF token), POST
every rating and comment with action=submit, follow the redirect to the thank-you page.
Autosave is left to bench/faults.py: here the question is whether a full panel's submits
all land, once each.

- 10 % of the experts submit twice AT ONCE (a double tap: two concurrent POSTs);
- 5 % lose the connection mid-upload (headers and part of the body sent, socket closed),
  then reconnect, reload and submit again, as a phone does;
- a request that fails (no answer, 5xx) is retried a few times, as the user would tap again.

Afterwards the DATABASE is checked: exactly one submitted submission per expert, holding
every statement's rating and comment exactly as sent, and no duplicated row. Then the floor:
the same gunicorn serves /healthz (a bare Django view running SELECT 1) to as many clients
making as many requests. It prints lost, duplicated, throughput, p50/p95 latency and the
ratio app throughput / floor throughput; the last line reads like
`lost=0 duplicated=0 ratio=0.62 p95_ms=180`. Exit status 1 when anything is lost or
duplicated, 2 when the run did not finish within --timeout.

Client and server share the machine's CPUs (and, on a CI or shared box, with whatever else
runs): both throughputs are measured in the same run under the same conditions, which is why
the ratio, not the absolute figure, is the result.
"""

import argparse
import http.client
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent]
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import (  # noqa: E402
    Browser,
    ExpertPlan,
    Site,
    percentile,
    rating_fields,
    running_site,
)

RETRIES = 5
GOAL_RATIO = 0.5


@dataclass
class Log:
    """What the clients saw; appended to from every thread (list.append is atomic)."""

    latencies: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    drops: int = 0
    retries: int = 0

    def timed(self, kind: str, call: Callable):
        started = time.perf_counter()
        result = call()
        self.latencies.append((kind, time.perf_counter() - started))
        return result


class OutOfTime(Exception):
    pass


@dataclass
class Client:
    site: Site
    expert: ExpertPlan
    log: Log
    deadline: float
    double: bool = False
    drop: bool = False
    finished: bool = False

    def _check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise OutOfTime

    def _retrying(self, what: str, attempt_once: Callable[[], bool]) -> None:
        for attempt in range(RETRIES):
            self._check_time()
            try:
                if attempt_once():
                    return
            except (OSError, http.client.HTTPException) as error:
                self.log.errors.append(f"{self.expert.index} {what}: {error!r}")
            self.log.retries += 1
            time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"expert {self.expert.index}: {what} failed {RETRIES} times")

    def open_page(self, browser: Browser) -> None:
        def once() -> bool:
            status, _headers, _body = self.log.timed(
                "get", lambda: browser.get(self.site.round_path(self.expert))
            )
            if status != 200:
                self.log.errors.append(f"{self.expert.index} GET questionnaire: HTTP {status}")
            return status == 200 and bool(browser.csrf_token)

        self._retrying("GET questionnaire", once)

    def submit(self, browser: Browser) -> bool:
        """One POST and the thank-you page it leads to; True when both arrived."""
        path = self.site.round_path(self.expert)
        fields = rating_fields(self.expert.answers, "submit")
        status, headers, _body = self.log.timed("post", lambda: browser.post(path, fields))
        location = headers.get("Location", "")
        if status != 302 or not location.endswith("/thanks/"):
            self.log.errors.append(f"{self.expert.index} POST submit: HTTP {status} {location}")
            return False
        status, _headers, _body = self.log.timed("thanks", lambda: browser.get(location))
        if status != 200:
            self.log.errors.append(f"{self.expert.index} GET thanks: HTTP {status}")
        return status == 200

    def double_submit(self, browser: Browser) -> bool:
        """Two POSTs at the same moment from the same page (same cookies, same token)."""
        outcomes = [False, False]
        both = threading.Barrier(2)

        def tap(n: int) -> None:
            twin = Browser(self.site.url, timeout=browser.timeout)
            twin.cookies, twin.csrf_token, twin.last_url = (
                dict(browser.cookies),
                browser.csrf_token,
                browser.last_url,
            )
            both.wait()
            try:
                outcomes[n] = self.submit(twin)
            except (OSError, http.client.HTTPException) as error:
                self.log.errors.append(f"{self.expert.index} double tap {n}: {error!r}")

        taps = [threading.Thread(target=tap, args=(n,)) for n in (0, 1)]
        for t in taps:
            t.start()
        for t in taps:
            t.join()
        # Both taps must land on the same submission; at least one must show the thanks page.
        return any(outcomes)

    def drop_then_reconnect(self, browser: Browser) -> None:
        path = self.site.round_path(self.expert)
        fields = rating_fields(self.expert.answers, "submit")
        rng = random.Random(self.expert.index)
        try:
            browser.post_and_drop(path, fields, rng.uniform(0.2, 0.9))
        except OSError as error:
            self.log.errors.append(f"{self.expert.index} drop: {error!r}")
        self.log.drops += 1
        time.sleep(rng.uniform(0.1, 1.0))
        # Back in coverage: the browser reloads the page, then the expert submits again.
        self.open_page(browser)

    def run(self) -> None:
        # A phone's browser waits minutes for a busy server; a short timeout here would turn
        # the queue in front of the workers into a storm of retries the server still serves.
        browser = Browser(self.site.url, timeout=max(1.0, self.deadline - time.monotonic()))
        self.open_page(browser)
        if self.drop:
            self.drop_then_reconnect(browser)
        # A double tap happens once; a retry after a failure is a single tap.
        attempts = iter([self.double_submit] if self.double else [])
        self._retrying("submit", lambda: next(attempts, self.submit)(browser))
        self.finished = True


def run_clients(clients: list, target: str) -> tuple[float, list[threading.Thread]]:
    """Start every client at the same moment; return (seconds until the last ended, threads
    still running at the deadline)."""
    threading.stack_size(512 * 1024)
    start = threading.Barrier(len(clients) + 1)
    failures = []

    def body(client) -> None:
        start.wait()
        try:
            getattr(client, target)()
        except OutOfTime:
            failures.append(f"out of time: {client}")
        except Exception as error:  # reported; the run fails on it
            failures.append(repr(error))

    threads = [threading.Thread(target=body, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    deadline = max(c.deadline for c in clients)
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
    elapsed = time.perf_counter() - began
    for failure in failures[:10]:
        print(f"  client failed: {failure}", file=sys.stderr)
    return elapsed, [t for t in threads if t.is_alive()]


# --------------------------------------------------------------------------- the floor


@dataclass
class HealthClient:
    site: Site
    log: Log
    requests: int
    deadline: float

    def run(self) -> None:
        browser = Browser(self.site.url, timeout=max(1.0, self.deadline - time.monotonic()))
        for _n in range(self.requests):
            if time.monotonic() > self.deadline:
                raise OutOfTime
            status, _h, _b = self.log.timed("healthz", lambda: browser.request("GET", "/healthz"))
            if status != 200:
                self.log.errors.append(f"healthz: HTTP {status}")


# --------------------------------------------------------------------------- the check


def check_database(site: Site) -> tuple[int, int, list[str]]:
    """(experts lost, duplicated rows, notes) read from the database after the run.

    An expert counts as lost unless exactly one submitted submission holds every statement
    with the value and comment that were sent.
    """
    from django.db import connection

    from rounds.models import DEFAULT_CRITERION, Rating, Submission

    notes = []
    submissions = {}
    for submission in Submission.objects.filter(delphi_round_id=site.round_pk):
        submissions.setdefault(submission.expert_id, []).append(submission)
    stored: dict[int, dict[int, tuple[int, str]]] = {}
    for expert_id, item_id, value, comment in Rating.objects.filter(
        submission__delphi_round_id=site.round_pk, criterion=DEFAULT_CRITERION
    ).values_list("submission__expert_id", "item_id", "value", "comment"):
        stored.setdefault(expert_id, {})[item_id] = (value, comment)
    lost = 0
    for expert in site.experts:
        own = submissions.get(expert.pk, [])
        if len(own) != 1 or own[0].status != Submission.Status.SUBMITTED:
            lost += 1
            notes.append(f"expert {expert.index}: submissions {[s.status for s in own]}")
        elif stored.get(expert.pk) != expert.answers:
            lost += 1
            got = stored.get(expert.pk, {})
            wrong = [pk for pk, sent in expert.answers.items() if got.get(pk) != sent]
            notes.append(f"expert {expert.index}: {len(wrong)} ratings missing or different")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT count(*) - count(DISTINCT expert_id) FROM rounds_submission
                     WHERE delphi_round_id = %s),
                   (SELECT count(*) - count(DISTINCT (r.submission_id, r.item_id, r.criterion))
                      FROM rounds_rating r JOIN rounds_submission s ON s.id = r.submission_id
                     WHERE s.delphi_round_id = %s)
            """,
            [site.round_pk, site.round_pk],
        )
        extra_submissions, extra_ratings = cursor.fetchone()
    return lost, extra_submissions + extra_ratings, notes


# --------------------------------------------------------------------------- the run


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _latency_line(name: str, log: Log, requests: int, elapsed: float) -> tuple[float, float]:
    times = [t for _kind, t in log.latencies]
    throughput = requests / elapsed if elapsed else 0.0
    print(
        f"{name:<6} {requests:>6} requests in {elapsed:6.1f} s = {throughput:7.1f} req/s"
        f"   p50 {_ms(percentile(times, 0.5)):>5} ms   p95 {_ms(percentile(times, 0.95)):>5} ms"
        f"   max {_ms(max(times, default=0)):>5} ms"
    )
    return throughput, percentile(times, 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experts", type=int, default=500)
    parser.add_argument("--statements", type=int, default=50)
    parser.add_argument("--double", type=float, default=0.10, help="share submitting twice at once")
    parser.add_argument("--drop", type=float, default=0.05, help="share dropping the connection")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: conf)"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds for each phase")
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="DJANGO_CONN_MAX_AGE for the server"
    )
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    extra_env = {}
    if args.conn_max_age is not None:
        extra_env["DJANGO_CONN_MAX_AGE"] = str(args.conn_max_age)
    with running_site(
        experts=args.experts, statements=args.statements, workers=args.workers, extra_env=extra_env
    ) as site:
        indices = list(range(args.experts))
        doubles = set(rng.sample(indices, round(args.double * args.experts)))
        drops = set(rng.sample(indices, round(args.drop * args.experts)))
        log = Log()
        deadline = time.monotonic() + args.timeout
        clients = [
            Client(site, e, log, deadline, double=e.index in doubles, drop=e.index in drops)
            for e in site.experts
        ]
        print(
            f"{args.experts} experts x {args.statements} statements, all at once: "
            f"{len(doubles)} double submits, {len(drops)} dropped connections",
            file=sys.stderr,
        )
        elapsed, stuck = run_clients(clients, "run")
        unfinished = len(clients) - sum(c.finished for c in clients)
        app_requests = len(log.latencies)
        lost, duplicated, notes = check_database(site)
        for note in notes[:20]:
            print(f"  {note}", file=sys.stderr)
        for error in log.errors[:10]:
            print(f"  seen by a client: {error}", file=sys.stderr)

        # The floor: as many clients, as many requests, to the bare view.
        floor_log = Log()
        per_client, extra = divmod(app_requests, len(clients))
        floor_deadline = time.monotonic() + args.timeout
        health = [
            HealthClient(site, floor_log, per_client + (n < extra), floor_deadline)
            for n in range(len(clients))
        ]
        floor_elapsed, floor_stuck = run_clients(health, "run")

    print(
        f"client-side: {len(log.errors)} errors seen, {log.retries} retries, "
        f"{log.drops} connections dropped on purpose"
    )
    app_rate, app_p95 = _latency_line("app", log, app_requests, elapsed)
    for kind in ("get", "post", "thanks"):
        times = [t for k, t in log.latencies if k == kind]
        print(
            f"  {kind:<7} {len(times):>5}   p50 {_ms(percentile(times, 0.5)):>5} ms"
            f"   p95 {_ms(percentile(times, 0.95)):>5} ms"
        )
    floor_rate, _floor_p95 = _latency_line(
        "floor", floor_log, len(floor_log.latencies), floor_elapsed
    )
    ratio = app_rate / floor_rate if floor_rate else 0.0
    print(f"ratio {ratio:.2f} (goal ≥ {GOAL_RATIO})")
    if unfinished:
        print(f"{unfinished} experts did not finish (gave up after {RETRIES} tries or timed out)")
    if stuck or floor_stuck:
        print(
            f"OUT OF TIME: {len(stuck)} app clients, {len(floor_stuck)} floor clients still running"
        )
    print(f"lost={lost} duplicated={duplicated} ratio={ratio:.2f} p95_ms={_ms(app_p95)}")
    if lost or duplicated:
        return 1
    return 2 if stuck or floor_stuck else 0


if __name__ == "__main__":
    sys.exit(main())
