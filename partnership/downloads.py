"""Downloads of tables of any size. Each app registers its large tables here as an
:class:`Export`; a table of a few thousand rows is sent while the reader waits, a
larger one becomes a :class:`~partnership.models.Download` written in the background
(``partnership.tasks.build_download``) with a progress page, a file when done, a
reason when it fails and a retry.

A download is built from the filters it was asked with, in its requester's scope at
the time it is built: someone who has lost their role since gets a refusal, not the
file.
"""

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from . import jobs, tasks
from .exports import XLSX_MAX_ROWS, csv_response, write_csv, write_xlsx, xlsx_response
from .models import Download

Format = Download.Format
Status = Download.Status

FAILURES = jobs.Failures(
    unexpected=(
        "Something went wrong in the portal while writing the file. The portal's "
        "administrator can see the details in its logs."
    ),
    too_slow="Writing the file took longer than half an hour, so it was stopped.",
)
NO_LONGER_ALLOWED = "You no longer have access to this table, so the file was not written."
NO_LONGER_OFFERED = "The portal no longer offers this table."


def too_big_for_a_spreadsheet(file_format: str, rows: int) -> str:
    """Why a table cannot be written in ``file_format``, or "" when it can."""
    if file_format != Format.XLSX or rows <= XLSX_MAX_ROWS:
        return ""
    return (
        f"A spreadsheet holds at most {XLSX_MAX_ROWS:,} rows and this table has {rows:,}: "
        "narrow it with the filters, or download it as CSV."
    )


@dataclass(frozen=True)
class Export:
    """A table people download. ``rows(user, filters)`` is a ``values_list`` queryset
    of what ``user`` may see under ``filters`` (raising ``PermissionDenied`` for
    someone who may not download it), in ``header``'s column order: it is read the
    same way whether the file is sent at once or built in the background."""

    name: str
    title: str
    header: Sequence[str]
    rows: Callable[[User, QueryDict], QuerySet]
    filename: Callable[[], str]
    # The filters in words, for the download's page: (label, value) pairs.
    describe: Callable[[User, QueryDict], list[tuple[str, str]]] = lambda user, filters: []


EXPORTS: dict[str, Export] = {}


def register(export: Export) -> Export:
    EXPORTS[export.name] = export
    return export


def download_page(request: HttpRequest, export: Export, file_format: str) -> HttpResponse:
    """The view of a download link: a small table is sent now; a large one asks the
    reader to confirm, and on their POST is queued and its progress page shown."""
    rows = export.rows(request.user, request.GET)
    count = rows.count()
    refusal = too_big_for_a_spreadsheet(file_format, count)
    if refusal:
        return render(
            request,
            "partnership/download_confirm.html",
            {"export": export, "format": Format(file_format), "refusal": refusal},
            status=400,
        )
    if request.method == "POST":
        download = download_request(
            export=export, file_format=file_format, filters=request.GET, by=request.user
        )
        return redirect(download)
    if count <= settings.DOWNLOAD_IN_BACKGROUND_OVER:
        name = f"{export.filename()}.{file_format}"
        if file_format == Format.XLSX:
            return xlsx_response(name, export.header, rows.iterator(), title=export.title)
        return csv_response(name, export.header, rows.iterator())
    return render(
        request,
        "partnership/download_confirm.html",
        {"export": export, "format": Format(file_format), "count": count},
    )


def described(form) -> list[tuple[str, str]]:
    """A bound filter form's chosen values in words, as a download's page lists them."""
    if not form.is_valid():
        return []
    chosen = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        choices = dict(getattr(field, "choices", None) or ())
        chosen.append((str(field.label), str(choices.get(value, value))))
    return chosen


def _filters(data: QueryDict) -> dict[str, list[str]]:
    return {key: values for key, values in sorted(data.lists()) if key != "page"}


def _query(filters: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in filters.items():
        data.setlist(key, values)
    return data


def _downloads() -> QuerySet[Download]:
    return Download.objects.select_related("requested_by")


def _enqueue(download: Download) -> None:
    jobs.enqueue(download, tasks.build_download, _downloads(), FAILURES)


@transaction.atomic
def download_request(*, export: Export, file_format: str, filters: QueryDict, by: User) -> Download:
    """Queue the file of ``export`` under ``filters`` for ``by``. Asking again for the
    same file while it is still waiting or being written returns that download."""
    if file_format not in Format.values:
        raise jobs.JobError("Choose CSV or Excel (XLSX).", field="file_format")
    rows = export.rows(by, filters)  # refuses someone who may not download the table
    chosen = _filters(filters)
    # One request at a time per person, so two clicks cannot queue two files.
    User.objects.select_for_update().get(pk=by.pk)
    pending = Download.objects.filter(
        requested_by=by,
        export=export.name,
        file_format=file_format,
        status__in=[Status.QUEUED, Status.RUNNING],
    )
    for download in pending:
        if download.filters == chosen:
            return download
    total = rows.count()
    if refusal := too_big_for_a_spreadsheet(file_format, total):
        raise jobs.JobError(refusal)
    download = Download.objects.create(
        export=export.name,
        title=export.title,
        file_format=file_format,
        filters=chosen,
        filters_described=export.describe(by, filters),
        rows_total=total,
        requested_by=by,
    )
    _enqueue(download)
    return download


def download_retry(*, download: Download, by: User) -> Download:
    """Queue a failed download again. Its attempts keep counting."""
    return jobs.retry(
        download, by=by, task=tasks.build_download, jobs=_downloads(), failures=FAILURES
    )


def download_build(*, download_id: int) -> Download:
    """Write the download's file and store it. One already done is returned as it is.
    When writing fails the download is marked failed with a reason its reader can act
    on, and the error is raised again for the task to decide whether to retry."""
    download = jobs.start(_downloads(), download_id)
    if download.status == Status.DONE:
        return download
    try:
        export = EXPORTS.get(download.export)
        if export is None:
            raise jobs.JobError(NO_LONGER_OFFERED)
        try:
            rows = export.rows(download.requested_by, _query(download.filters))
        except PermissionDenied:
            raise jobs.JobError(NO_LONGER_ALLOWED) from None
        # The table may have grown or shrunk since it was asked for.
        total = rows.count()
        if refusal := too_big_for_a_spreadsheet(download.file_format, total):
            raise jobs.JobError(refusal)
        _progress(download_id, written=0, total=total)
        with tempfile.TemporaryFile() as spool:

            def progress(written: int) -> None:
                _progress(download_id, written=written)

            if download.file_format == Format.XLSX:
                write_xlsx(
                    spool, export.header, rows.iterator(), title=export.title, progress=progress
                )
            else:
                write_csv(spool, export.header, rows, progress=progress)
            spool.seek(0)
            name = f"{export.filename()}.{download.file_format}"
            return jobs.finish(_downloads(), download_id, name, File(spool))
    except Exception as error:
        jobs.fail(_downloads(), download_id, error, FAILURES)
        raise


def _progress(download_id: int, *, written: int, total: int | None = None) -> None:
    # A plain UPDATE outside the job's lock, so the progress page can read it while
    # the file is being written.
    counts = {"rows_written": written} | ({"rows_total": total} if total is not None else {})
    Download.objects.filter(pk=download_id).update(**counts)
