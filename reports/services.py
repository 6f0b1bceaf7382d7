"""Board packs: asked for by a programme manager, drawn in the background by
``reports.tasks.render_board_pack``, and tried again when drawing fails. The pack moves
through ``partnership.jobs`` like every background job.
"""

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction

from partnership import jobs
from partnership.jobs import JobError
from partnership.models import Meeting

from . import pdf, selectors, tasks
from .models import BoardPack

Status = BoardPack.Status

UNEXPECTED_FAILURE = (
    "Something went wrong in the portal while drawing the PDF. The portal's "
    "administrator can see the details in its logs."
)
TOO_SLOW = "Drawing the PDF took longer than four minutes, so it was stopped."
FAILURES = jobs.Failures(unexpected=UNEXPECTED_FAILURE, too_slow=TOO_SLOW)

# A pack's refusals are those of every background job.
BoardPackError = JobError


def _packs():
    return BoardPack.objects.select_related("meeting__partnership")


def _enqueue(pack: BoardPack) -> None:
    jobs.enqueue(pack, tasks.render_board_pack, _packs(), FAILURES)


@transaction.atomic
def board_pack_request(*, meeting: Meeting, kind: str, by: User | None) -> BoardPack:
    """Queue a pack of ``kind`` for ``meeting``; it is drawn in the background once
    the request commits. Asking again while the same pack is still waiting or being
    drawn returns that pack rather than drawing it twice."""
    if kind not in BoardPack.Kind.values:
        raise BoardPackError("Choose which pack to produce.", field="kind")
    # One request at a time per meeting, so two clicks cannot queue two packs.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = (
        BoardPack.objects.filter(
            meeting=meeting, kind=kind, status__in=[Status.QUEUED, Status.RUNNING]
        )
        .order_by("-requested_at")
        .first()
    )
    if pending is not None:
        return pending
    pack = BoardPack(meeting=meeting, kind=kind, requested_by=by)
    pack._history_user = by
    pack.save()
    _enqueue(pack)
    return pack


def board_pack_retry(*, pack: BoardPack, by: User | None) -> BoardPack:
    """Queue a failed pack again. Its attempts keep counting."""
    return jobs.retry(pack, by=by, task=tasks.render_board_pack, jobs=_packs(), failures=FAILURES)


def board_pack_render(*, pack_id: int) -> BoardPack:
    """Draw the pack's PDF and store it. A pack that is already done is returned as
    it is, so a task delivered twice draws the pack once. When drawing fails the pack
    is marked failed with a reason its reader can act on, and the error is raised
    again for the task to retry."""
    pack = jobs.start(_packs(), pack_id)
    if pack.status == Status.DONE:
        return pack
    try:
        context = selectors.board_pack_context(pack.meeting, pack.kind)
        document = pdf.render_pdf("pdf/board_pack.html", {"pack": context})
    except Exception as error:
        jobs.fail(_packs(), pack_id, error, FAILURES)
        raise
    return jobs.finish(_packs(), pack_id, pack.download_name, ContentFile(document))
