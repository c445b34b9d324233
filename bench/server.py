"""A production-style delphi-site on 127.0.0.1 for the load and fault benchmarks.

    with running_site(experts=500, statements=50) as site:
        ...  # site.url, site.experts (token, answers to send), site.gunicorn_pid

creates a throw-away PostgreSQL database (unique name) on the server that DATABASE_URL names
(default postgres://delphi_dev:dev@127.0.0.1:5432/postgres; the role must be able to create
databases), migrates it, collects the static files into a temporary STATIC_ROOT, seeds one
study with a panel of `experts` and an open rating round of `statements` through the app's
services (invitations and personal links included), and serves it with gunicorn
(gunicorn.conf.py) and production settings: DEBUG off, a secret key made for this run, plain
HTTP on loopback (so no HTTPS redirect), whitenoise serving the collected files. On the way
out — normal end, error, Ctrl-C or SIGTERM — gunicorn is stopped and the database dropped.

`Browser` is a small stdlib HTTP client that behaves like a phone's browser: it keeps
cookies, reads the CSRF token from the form and sends Origin and Referer, which Django checks
on every POST. This module imports Django only inside `running_site`, after it has set the
environment, so the settings see the production values.
"""

import atexit
import contextlib
import functools
import html
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER_URL = "postgres://delphi_dev:dev@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
# The scale's points (1..5) and some comments in Thai and English, so the check after a run
# compares non-ASCII text as well as numbers.
POINTS = 5
COMMENTS = ["", "", "", "เห็นด้วยบางส่วน", "needs a clearer definition", "ควรระบุ “ผู้ดูแล” ให้ชัด"]


# --------------------------------------------------------------------------- the database


def _server_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_SERVER_URL


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin_connection(url: str):
    """A connection to the server's maintenance database: the one DATABASE_URL names may not
    exist yet (pytest-django, for one, only creates test_<name>)."""
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True, connect_timeout=10)


@contextlib.contextmanager
def throwaway_database(server_url: str):
    """A new database on the server, dropped on the way out (connections still open are
    ended: a gunicorn worker killed mid-request may leave one)."""
    name = f"bench_delphi_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with _admin_connection(server_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(server_url, name)
    finally:
        for _attempt in range(30):
            # The server may be restarting (faults.py): wait for it rather than leave the
            # database behind.
            try:
                with _admin_connection(server_url) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except Exception as error:  # any failure: wait and retry
                print(f"  (dropping {name}: {error}; retrying)", file=sys.stderr)
                time.sleep(1)


# --------------------------------------------------------------------------- the seed


@dataclass
class ExpertPlan:
    """One expert of the run: the personal link and the answers the client will send."""

    index: int
    pk: int
    token: str
    # item pk -> (value, comment)
    answers: dict[int, tuple[int, str]]


@dataclass
class Site:
    url: str
    port: int
    database_url: str
    round_pk: int
    item_pks: list[int]
    experts: list[ExpertPlan]
    process: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)

    @property
    def gunicorn_pid(self) -> int:
        return self.process.pid

    def round_path(self, expert: ExpertPlan) -> str:
        return f"/e/{expert.token}/rounds/{self.round_pk}/"

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's child processes."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name is in parentheses and may hold spaces: split after it.
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)


def _answers_for(index: int, item_pks: list[int]) -> dict[int, tuple[int, str]]:
    import random

    rng = random.Random(20190308 + index)
    return {
        pk: (rng.randint(1, POINTS), rng.choice(COMMENTS) if rng.random() < 0.2 else "")
        for pk in item_pks
    }


def seed(experts: int, statements: int) -> tuple[int, list[int], list[ExpertPlan]]:
    """One study, one panel, an open rating round; returns (round pk, item pks, experts).

    Through the services where the app has one (study, experts, building and opening the
    round, which creates the invitations; links from rounds.links). Statements and the panel
    have no creating service of their own (the views save forms), so the ORM makes them.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from panels.models import Expert, Panel
    from panels.services import expert_create, study_create
    from rounds.building.services import round_build_from_statements
    from rounds.lifecycle.services import round_open
    from rounds.links import expert_token
    from rounds.models import Round, Statement

    owner = get_user_model().objects.create_user(
        username="bench-researcher", password=secrets.token_urlsafe(16)
    )
    study = study_create(owner=owner, title="การศึกษาทดสอบภาระ (load benchmark)")
    panel = Panel.objects.create(study=study, name="Bench panel", code_prefix="B")
    people = [
        expert_create(panel=panel, actor=owner, code=f"B{n:04d}", name=f"ผู้เชี่ยวชาญ {n}")
        for n in range(1, experts + 1)
    ]
    Statement.objects.bulk_create(
        Statement(
            study=study, order=n, number=n, text=f"ข้อความที่ {n}: statement {n} of the benchmark"
        )
        for n in range(1, statements + 1)
    )
    delphi_round = Round.objects.create(
        study=study,
        panel=panel,
        number=1,
        kind=Round.Kind.RATING,
        title="Bench rating round",
        closes_at=timezone.now() + timezone.timedelta(days=7),
    )
    round_build_from_statements(delphi_round=delphi_round, actor=owner)
    round_open(delphi_round=delphi_round, actor=owner)
    # Consent is the welcome page's one click; the run starts with experts who gave it, so
    # every request measured is the questionnaire itself.
    Expert.objects.filter(panel=panel).update(consent_given_at=timezone.now())
    item_pks = list(delphi_round.items.order_by("order", "pk").values_list("pk", flat=True))
    plans = [
        ExpertPlan(
            index=n, pk=expert.pk, token=expert_token(expert), answers=_answers_for(n, item_pks)
        )
        for n, expert in enumerate(people)
    ]
    return delphi_round.pk, item_pks, plans


# --------------------------------------------------------------------------- gunicorn


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = Browser(url).get("/healthz")
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise RuntimeError(f"the server did not become healthy in {timeout:.0f} s: {last}")


def _start_gunicorn(env: dict, port: int, workers: int | None, log_path: Path) -> subprocess.Popen:
    env = env | {"GUNICORN_BIND": f"{HOST}:{port}"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    log = log_path.open("ab")
    # A session of its own: Ctrl-C in the terminal reaches this script, which stops gunicorn
    # gracefully, instead of killing the workers behind its back.
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_for_workers(site: "Site", count: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while len(site.worker_pids()) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=35)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """Let `kill <pid>` of the script unwind like Ctrl-C, so the clean-up still runs."""

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# Django reads its settings once per process, at the first setup: the secret key (which makes the
# experts' links) and the static folder must stay the same for every site this process starts
# (faults.py starts one per fault); only the database changes, and running_site repoints it.
_PROCESS_SECRET = secrets.token_urlsafe(50)


@functools.cache
def _static_root() -> Path:
    path = Path(tempfile.mkdtemp(prefix="delphi-bench-static-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def production_env(database_url: str, static_root: Path) -> dict:
    return {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": _PROCESS_SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        # Plain HTTP on loopback: no TLS proxy in front, so no redirect to https.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "delphi_site.settings",
    }


@contextlib.contextmanager
def running_site(
    *, experts: int, statements: int, workers: int | None = None, extra_env=None, quiet=False
):
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    scratch = Path(tempfile.mkdtemp(prefix="delphi-bench-"))
    process = None
    try:
        with _sigterm_as_interrupt(), throwaway_database(_server_url()) as database_url:
            env = production_env(database_url, _static_root())
            env.update(extra_env or {})
            # Before Django is imported anywhere in this process: settings read these.
            os.environ.update(env)
            sys.path.insert(0, str(ROOT))
            import django
            from django.conf import settings
            from django.core.management import call_command
            from django.db import connections

            django.setup()
            # A second site in this process: point the settings read at the first at its database.
            connections.close_all()
            for database in (settings.DATABASES["default"], connections["default"].settings_dict):
                database["NAME"] = urlsplit(database_url).path[1:]
            say(f"database {urlsplit(database_url).path[1:]}: migrating…")
            call_command("migrate", verbosity=0, interactive=False)
            call_command("collectstatic", verbosity=0, interactive=False)
            say(f"seeding {experts} experts x {statements} statements…")
            round_pk, item_pks, plans = seed(experts, statements)
            connections.close_all()
            port = _free_port()
            log_path = scratch / "gunicorn.log"
            process = _start_gunicorn(os.environ.copy(), port, workers, log_path)
            url = f"http://{HOST}:{port}"
            try:
                wait_healthy(url)
            except RuntimeError:
                print(log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            site = Site(url, port, database_url, round_pk, item_pks, plans, process, log_path, env)
            _wait_for_workers(site, workers or 2 * os.cpu_count() + 1)
            say(f"gunicorn {process.pid} on {url} with {len(site.worker_pids())} workers")
            try:
                yield site
            finally:
                _stop(process)
                connections.close_all()
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------- the client

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies, CSRF token, Origin and Referer, as a phone's browser sends them.

    One connection per request (gunicorn's sync workers close it after each response).
    Each call returns (status, headers, body bytes); OSError when the server is unreachable.
    """

    def __init__(self, url: str, timeout: float = 60.0):
        parts = urlsplit(url)
        self.origin = url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.last_url = ""

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "Mozilla/5.0 (Linux; Android 14) delphi-bench",
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": "th,en;q=0.5",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers | (extra or {})

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=self._headers(headers))
            response = connection.getresponse()
            content = response.read()
            self._keep_cookies(response)
            return response.status, response.headers, content
        finally:
            connection.close()

    def get(self, path: str):
        status, headers, body = self.request("GET", path)
        if status == 200:
            found = CSRF_INPUT.search(body.decode("utf-8", "replace"))
            if found:
                self.csrf_token = html.unescape(found.group(1))
            self.last_url = self.origin + path
        return status, headers, body

    def form_body(self, fields: list[tuple[str, str]]) -> bytes:
        return urlencode([("csrfmiddlewaretoken", self.csrf_token), *fields]).encode()

    def post_headers(self, body: bytes) -> dict:
        return {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
            "Origin": self.origin,
            "Referer": self.last_url or self.origin + "/",
        }

    def post(self, path: str, fields: list[tuple[str, str]]):
        body = self.form_body(fields)
        return self.request("POST", path, body=body, headers=self.post_headers(body))

    def post_and_drop(self, path: str, fields: list[tuple[str, str]], fraction: float) -> None:
        """Send the headers and the first `fraction` of the body, then close the socket: a
        phone losing its signal half-way through the upload."""
        body = self.form_body(fields)
        headers = self._headers(self.post_headers(body))
        head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        with socket.create_connection((self.host, self.port), timeout=self.timeout) as raw:
            raw.sendall(head.encode("latin-1") + b"\r\n" + body[: int(len(body) * fraction)])
            # Abortive close (RST), as a dropped radio link ends, rather than a polite FIN.
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def rating_fields(answers: dict[int, tuple[int, str]], action: str) -> list[tuple[str, str]]:
    """The questionnaire form as the browser posts it: the statements in page order, each
    with its rating and comment box (empty boxes are sent too), then the button pressed."""
    fields = []
    for pk, (value, comment) in answers.items():
        fields += [(f"rating_{pk}", str(value)), (f"comment_{pk}", comment)]
    return [*fields, ("action", action)]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
