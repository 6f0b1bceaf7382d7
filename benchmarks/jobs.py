"""The background jobs of ``benchmarks.scale``, each beside the baseline the issue
names, measured in the same process: the payment schedule of every payment and every
savings entry of the partnership's members, each as CSV and XLSX, against PostgreSQL
``COPY`` of the same columns (on SQLite, a bare read of them), and the board pack of
the partnership's latest meeting against WeasyPrint drawing the pack's own finished
HTML. Each is timed once, a job taking seconds, not milliseconds, and run again
under tracemalloc for its memory. Every file is checked
row for row against the database by count."""

import datetime
import time
import tracemalloc
from functools import partial


def _timed(job) -> tuple[float, int, object]:
    """``job()`` run twice: timed alone, then under tracemalloc for its peak memory.
    Tracing slows Python code several times over, so the traced run is not timed, as
    the pages are not. The result is the timed run's."""
    started = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    job()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, result


def _baseline_copy(rows) -> float:
    """``COPY`` of the export's own query to a sink (PostgreSQL), or a bare read of
    its rows (SQLite)."""
    from django.db import connections

    connection = connections[rows.db]
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        sql, params = rows.query.sql_with_params()

        class Sink:
            def write(self, data):
                pass

        with connection.cursor() as cursor:
            query = cursor.mogrify(sql, params).decode()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", Sink())
    else:
        for _ in rows.iterator(chunk_size=2000):
            pass
    return time.perf_counter() - started


def _reading(name: str, seconds: float, peak: int, baseline: float, label: str, rows):
    return {
        "job": name,
        "seconds": round(seconds, 2),
        "peak_memory_kb": round(peak / 1024),
        "rows": rows,
        "baseline": label,
        "baseline_seconds": round(baseline, 2),
        "ratio": round(seconds / baseline, 2) if baseline else None,
    }


def _export_readings(name: str, export, user) -> list[dict]:
    """An export of everything ``user`` may see, built as CSV and as XLSX."""
    from django.http import QueryDict

    from partnership.downloads import download_build
    from partnership.models import Download

    readings = []
    rows = export.rows(user, QueryDict())
    expected = rows.count()
    copy_seconds = _baseline_copy(rows)
    for file_format in ("csv", "xlsx"):
        # Made directly, not through download_request, which would build it at once here
        # where no broker takes the task.
        new_download = partial(
            Download.objects.create,
            export=export.name,
            title=export.title,
            file_format=file_format,
            requested_by=user,
        )
        seconds, peak, download = _timed(
            lambda new_download=new_download: download_build(download_id=new_download().pk)
        )
        if download.status != "done" or download.rows_written != expected:
            raise RuntimeError(
                f"The {file_format} {name} has {download.rows_written} rows "
                f"of {expected}: {download.error}"
            )
        readings.append(
            _reading(
                f"{name} {file_format.upper()}",
                seconds,
                peak,
                copy_seconds,
                "COPY of the same columns",
                expected,
            )
        )
    return readings


def measure_jobs(users: dict) -> list[dict]:
    from django.conf import settings
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from partnership.models import Partnership
    from partnership.services import meeting_schedule
    from projects.exports import PAYMENT_SCHEDULE
    from reports import pdf
    from reports import services as pack_services
    from reports.models import BoardPack
    from reports.selectors import board_pack_context
    from savings.exports import SAVINGS_ENTRIES

    readings = _export_readings("payment schedule", PAYMENT_SCHEDULE, users["finance"])
    readings += _export_readings("savings entries", SAVINGS_ENTRIES, users["manager"])

    partnership = Partnership.objects.filter(roles__user=users["manager"]).get()
    # Scale data holds no meetings: the pack is drawn for one the bench schedules once.
    meeting = partnership.meetings.order_by("-held_on").first() or meeting_schedule(
        partnership=partnership, title="Board meeting", held_on=datetime.date.today(), by=None
    )
    seconds, peak, pack = _timed(
        lambda: pack_services.board_pack_render(
            pack_id=BoardPack.objects.create(meeting=meeting, requested_by=users["manager"]).pk
        )
    )
    html = render_to_string(
        "pdf/board_pack.html", {"pack": board_pack_context(meeting, BoardPack.Kind.FULL)}
    )
    started = time.perf_counter()
    HTML(string=html, base_url=f"{settings.BASE_DIR}/").write_pdf(**pdf.OPTIONS)
    weasyprint_seconds = time.perf_counter() - started
    readings.append(
        _reading(
            "board pack (full)",
            seconds,
            peak,
            weasyprint_seconds,
            "WeasyPrint on its finished HTML",
            None,
        )
    )
    return readings
