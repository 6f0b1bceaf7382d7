"""Pages read at two scales of synthetic data, and a load run, as one table.

``make bench`` runs it after the pytest benchmarks. On PostgreSQL (``DATABASE_URL``
set) it measures the ``regional`` and ``national`` scales, each in a database of
its own named after the one in ``DATABASE_URL`` (``<name>_bench_national``), made
and filled by ``generate_scale_data`` the first time and kept for later runs; on
SQLite it measures ``small`` and ``regional`` in files under ``benchmarks/data/``.

For every page it reports the median and 95th percentile of ``READS`` reads, the
queries of one read, the peak Python memory of one read, and two ratios measured in
the same run: to a bare Django view (the sign-in page) and to the same page at the
smaller scale. Then 50 clients read the dashboard and the lists for 30 seconds
against gunicorn on 127.0.0.1 at the larger scale: throughput, p95 and errors. The
background jobs (``benchmarks.jobs``) are measured at both scales beside their own
baselines.
The table is printed and saved as JSON in ``benchmarks/results/``.

Run one scale's measurements alone with ``python -m benchmarks.scale --measure``
(``DATABASE_URL`` naming the filled database); the runner does that in a fresh
process per scale, as settings are read once at start-up.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchmarks.jobs import measure_jobs

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "benchmarks" / "results"
READS = 10
SEED = 1
LOAD_CLIENTS = 50
LOAD_SECONDS = 30
LOAD_PORT = 8765
LOAD_CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3")

# (name, URL, who reads it): the pages the issue names, each read by the role that
# works from it.
PAGES = [
    ("bare Django view", "/accounts/login/", None),
    ("board dashboard", "/dashboard/", "board"),
    ("savings summary", "/savings/", "board"),
    ("payment schedule", "/projects/payments/schedule/", "finance"),
    ("projects list", "/projects/", "manager"),
    ("projects list, by grant", "/projects/?sort=-grant", "manager"),
    ("bidding rounds", "/bids/rounds/", "manager"),
]
LOADED = ["/dashboard/", "/projects/", "/projects/payments/schedule/"]


def _python() -> str:
    return sys.executable


def _database_for(scale: str) -> dict[str, str]:
    """The environment that points a process at this scale's database."""
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "portal"
        return {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}_bench_{scale}"))}
    folder = BASE_DIR / "benchmarks" / "data"
    folder.mkdir(exist_ok=True)
    return {"DATABASE_URL": f"sqlite:///{folder / f'bench-{scale}.sqlite3'}"}


def _run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=BASE_DIR, env={**os.environ, **env}, check=True, text=True, **kwargs
    )


def _create_postgres_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(server)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def prepare(scale: str) -> dict[str, str]:
    """This scale's database, migrated and filled once (generation refuses a
    database that already holds projects, so a filled one is kept)."""
    env = _database_for(scale)
    if env["DATABASE_URL"].startswith("postgres"):
        _create_postgres_database(env["DATABASE_URL"])
    _run([_python(), "manage.py", "migrate", "--noinput", "-v0"], env)
    filled = _run(
        [
            _python(),
            "manage.py",
            "shell",
            "-c",
            "from projects.models import Project;print(Project.objects.exists())",
        ],
        env,
        capture_output=True,
    ).stdout.strip()
    # The shell may say first which models it imported.
    if not filled.endswith("True"):
        _run(
            [_python(), "manage.py", "generate_scale_data", "--scale", scale, "--seed", str(SEED)],
            env,
        )
    return env


# Measuring, inside a process pointed at one scale's database ---------------------------


def _readers():
    """A user for each role, in the first synthetic partnership: its manager, board
    member and finance officer, an officer and the s151 officer of its council with
    the most projects, and an administrator."""
    from django.contrib.auth.models import User
    from django.db.models import Count

    from partnership.models import Organisation, Partnership, Role

    partnership = Partnership.objects.order_by("pk").first()
    council = (
        Organisation.objects.filter(led_projects__programme__partnership=partnership)
        .annotate(projects=Count("led_projects"))
        .order_by("-projects", "pk")
        .first()
    )
    users = {}
    for name, kind, where in (
        ("manager", Role.Kind.PROGRAMME_MANAGER, {"partnership": partnership}),
        ("board", Role.Kind.BOARD_MEMBER, {"partnership": partnership}),
        ("finance", Role.Kind.FINANCE, {"partnership": partnership}),
        ("officer", Role.Kind.OFFICER, {"organisation": council}),
        ("s151", Role.Kind.FINANCE, {"organisation": council}),
        ("admin", Role.Kind.ADMINISTRATOR, {}),
    ):
        user, _ = User.objects.get_or_create(
            username=f"bench-{name}", defaults={"is_superuser": name == "admin"}
        )
        Role.objects.get_or_create(user=user, kind=kind, **where)
        users[name] = user
    return users


def signed_in(client, user) -> None:
    """``client`` signed in as ``user`` with the two-factor code given, as a reader's
    browser is once they have signed in."""
    from partnership import two_factor

    client.force_login(user)
    session = client.session
    session[two_factor.VERIFIED] = "benchmark"
    session.save()


def crawl_every_role(users) -> list[dict]:
    """Each role walks every link from its home page, as the crawl test does on the
    demo data: how many pages opened, which refused or failed, and the slowest."""
    from django.test import Client

    from tests.pages.test_crawl import crawl

    class TimedClient(Client):
        def __init__(self):
            super().__init__()
            self.timings: list[tuple[float, str]] = []

        def get(self, path, *args, **kwargs):
            started = time.perf_counter()
            response = super().get(path, *args, **kwargs)
            self.timings.append((time.perf_counter() - started, path))
            return response

    walks = []
    for name, user in users.items():
        client = TimedClient()
        signed_in(client, user)
        failures, opened = crawl(client, name)
        slowest_seconds, slowest_url = max(client.timings)
        walks.append(
            {
                "role": name,
                "pages": len(opened),
                "failures": failures,
                "slowest_url": slowest_url,
                "slowest_ms": round(slowest_seconds * 1000, 1),
            }
        )
    return walks


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(client, url: str) -> float:
    started = time.perf_counter()
    client.get(url)
    return time.perf_counter() - started


def measure() -> dict[str, list[dict]]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from partnership.page_cache import records_changed

    settings.ALLOWED_HOSTS = ["*"]
    users = _readers()
    readings = []
    for name, url, reader in PAGES:
        client = Client()
        if reader:
            signed_in(client, users[reader])
        status = client.get(url).status_code  # warms templates and sets the CSRF cookie
        records_changed()
        # With DEBUG on every query is logged, and a full log counts none.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Counted now: the captured queries are a slice of the connection's log, which
        # every later request starts afresh.
        query_count = len(queries)
        records_changed()
        tracemalloc.start()
        client.get(url)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        # A page is derived afresh on the first read after any write, and served from
        # the cache on the reads after that (partnership/page_cache.py): both are timed.
        derived, kept = [], []
        for _ in range(READS):
            records_changed()
            derived.append(_timed(client, url))
            kept.append(_timed(client, url))
        readings.append(
            {
                "page": name,
                "url": url,
                "status": status,
                "median_ms": round(statistics.median(derived) * 1000, 1),
                "p95_ms": round(_percentile(derived, 0.95) * 1000, 1),
                "kept_median_ms": round(statistics.median(kept) * 1000, 1),
                "queries": query_count,
                "peak_memory_kb": round(peak / 1024),
            }
        )
    return {"pages": readings, "jobs": measure_jobs(users), "crawl": crawl_every_role(users)}


def session_cookies(env: dict[str, str]) -> str:
    """The cookies of a browser signed in as the programme manager, who may open every
    page the load run reads: the session and the CSRF cookie a browser keeps from its
    first page."""
    script = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup(); from django.test import Client;"
        "from django.contrib.auth.models import User;"
        "from benchmarks.scale import signed_in;"
        "c = Client(); signed_in(c, User.objects.get(username='bench-manager'));"
        "c.get('/', HTTP_HOST='127.0.0.1');"
        "print('; '.join(f'{name}={c.cookies[name].value}' for name in ('sessionid', 'csrftoken')))"
    )
    return _run([_python(), "-c", script], env, capture_output=True).stdout.strip()


# The load run ---------------------------------------------------------------------------


def load_run(env: dict[str, str]) -> dict:
    """``LOAD_CLIENTS`` clients read the dashboard and lists for ``LOAD_SECONDS``
    against gunicorn on 127.0.0.1, each request after the last one answered."""
    cookies = session_cookies(env)
    server = subprocess.Popen(
        [
            _python(),
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{LOAD_PORT}",
            "--access-logfile",
            "/dev/null",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env={
            **os.environ,
            **env,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Shared by gunicorn's workers, as in production.
            "CACHE_URL": LOAD_CACHE,
        },
    )
    try:
        _wait_for_server()
        latencies: list[float] = []
        errors = 0
        lock = threading.Lock()
        stop_at = time.monotonic() + LOAD_SECONDS

        def client(number: int) -> None:
            nonlocal errors
            position = number
            while time.monotonic() < stop_at:
                url = f"http://127.0.0.1:{LOAD_PORT}{LOADED[position % len(LOADED)]}"
                position += 1
                request = urllib.request.Request(url, headers={"Cookie": cookies})
                started = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        response.read()
                        ok = response.status == 200
                except (urllib.error.URLError, OSError):
                    ok = False
                with lock:
                    latencies.append(time.perf_counter() - started)
                    errors += not ok

        threads = [threading.Thread(target=client, args=(n,)) for n in range(LOAD_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "clients": LOAD_CLIENTS,
        "seconds": LOAD_SECONDS,
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / LOAD_SECONDS, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1) if latencies else None,
        "errors": errors,
    }


def _wait_for_server() -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{LOAD_PORT}/accounts/login/", timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start for the load run")


# The table ------------------------------------------------------------------------------


def table(smaller: str, larger: str, measured: dict[str, dict], load: dict | None) -> str:
    readings = {scale: both["pages"] for scale, both in measured.items()}
    bare = {scale: rows[0]["median_ms"] for scale, rows in readings.items()}
    lines = [
        f"| page | {larger} median ms | p95 ms | read again ms | queries | peak KB "
        f"| x bare view | x {smaller} | {smaller} median ms | {smaller} queries |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for small, large in zip(readings[smaller], readings[larger], strict=True):
        lines.append(
            f"| {large['page']} | {large['median_ms']} | {large['p95_ms']} | "
            f"{large['kept_median_ms']} | {large['queries']} | {large['peak_memory_kb']} | "
            f"{large['median_ms'] / bare[larger]:.1f} | "
            f"{large['median_ms'] / small['median_ms']:.1f} | {small['median_ms']} | "
            f"{small['queries']} |"
        )
    lines += [
        "",
        f"| job | {larger} s | peak KB | rows | baseline | baseline s | x baseline "
        f"| {smaller} s | {smaller} x baseline |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for small, large in zip(measured[smaller]["jobs"], measured[larger]["jobs"], strict=True):
        lines.append(
            f"| {large['job']} | {large['seconds']} | {large['peak_memory_kb']} | "
            f"{large['rows'] if large['rows'] is not None else ''} | {large['baseline']} | "
            f"{large['baseline_seconds']} | {large['ratio']} | {small['seconds']} | "
            f"{small['ratio']} |"
        )
    lines.append("")
    for walk in measured[larger]["crawl"]:
        lines.append(
            f"Crawl, {larger}, as {walk['role']}: {walk['pages']} pages opened, "
            f"{len(walk['failures'])} refused or failed, slowest {walk['slowest_ms']} ms "
            f"({walk['slowest_url']})."
            + "".join(f"\n  - {failure}" for failure in walk["failures"])
        )
    if load is None:
        return "\n".join(lines)
    lines.append("")
    lines.append(
        f"Load, {larger}: {load['clients']} clients for {load['seconds']} s: "
        f"{load['requests']} requests ({load['requests_per_second']}/s), "
        f"p95 {load['p95_ms']} ms, {load['errors']} errors."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", action="store_true", help="measure this database only")
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return

    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    smaller, larger = ("regional", "national") if on_postgres else ("small", "regional")
    readings = {}
    for scale in (smaller, larger):
        env = prepare(scale)
        measured = _run(
            [_python(), "-m", "benchmarks.scale", "--measure"], env, capture_output=True
        )
        readings[scale] = json.loads(measured.stdout.strip().splitlines()[-1])
    load = None if args.no_load else load_run(env)
    report = table(smaller, larger, readings, load)
    print(report)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    database = "postgresql" if on_postgres else "sqlite"
    saved = RESULTS / f"scale-{database}-{stamp}.json"
    saved.write_text(json.dumps({"scales": readings, "load": load, "database": database}, indent=2))
    print(f"\nSaved {saved.relative_to(BASE_DIR)}")


if __name__ == "__main__":
    main()
