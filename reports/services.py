"""Board packs: asked for by a programme manager, drawn in the background by
``reports.tasks.render_board_pack``, and tried again when drawing fails.

Every change of a pack's status goes through :func:`_move`, which refuses the moves
``BoardPack.LIFECYCLE`` does not allow. The PDF is drawn outside any transaction: a pack's row
is locked only to change its status, never for the minutes a large pack can take.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerUnreachable

from partnership.errors import PortalError
from partnership.models import Meeting

from . import pdf, selectors, tasks
from .models import BoardPack

logger = logging.getLogger(__name__)

Status = BoardPack.Status

UNEXPECTED_FAILURE = (
    "Something went wrong in the portal while drawing the PDF. The portal's "
    "administrator can see the details in its logs."
)
TOO_SLOW = "Drawing the PDF took longer than four minutes, so it was stopped."
NOT_SENT = (
    "The portal could not reach the service that produces packs, so this one was not "
    "started. Try again in a few minutes."
)


class BoardPackError(PortalError):
    pass


def _move(pack: BoardPack, status: str, *, fields: list[str], by: User | None = None) -> None:
    BoardPack.LIFECYCLE.move(pack, status, by=by, error=BoardPackError)
    pack.save(update_fields=["status", *fields])


def _locked(pack_id: int) -> BoardPack:
    return (
        BoardPack.objects.select_for_update(of=("self",))
        .select_related("meeting__partnership")
        .get(pk=pack_id)
    )


def _enqueue(pack: BoardPack) -> None:
    pack_id = pack.pk

    def send() -> None:
        try:
            tasks.render_board_pack.delay(pack_id)
        except BrokerUnreachable as error:
            _fail(pack_id, error)

    # Robust: without a broker (local use) the task runs here, at commit. A failure is
    # recorded on the pack for the user to see; it must not also fail the request.
    transaction.on_commit(send, robust=True)


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


@transaction.atomic
def board_pack_retry(*, pack: BoardPack, by: User | None) -> BoardPack:
    """Queue a failed pack again. Its attempts keep counting."""
    pack = _locked(pack.pk)
    pack.started_at = pack.finished_at = None
    pack.error = ""
    _move(pack, Status.QUEUED, fields=["started_at", "finished_at", "error"], by=by)
    _enqueue(pack)
    return pack


def board_pack_render(*, pack_id: int) -> BoardPack:
    """Draw the pack's PDF and store it. A pack that is already done is returned as
    it is, so a task delivered twice draws the pack once. When drawing fails the pack
    is marked failed with a reason its reader can act on, and the error is raised
    again for the task to retry."""
    pack = _start(pack_id)
    if pack.status == Status.DONE:
        return pack
    try:
        context = selectors.board_pack_context(pack.meeting, pack.kind)
        document = pdf.render_pdf("pdf/board_pack.html", {"pack": context})
    except Exception as error:
        _fail(pack_id, error)
        raise
    return _finish(pack_id, document)


@transaction.atomic
def _start(pack_id: int) -> BoardPack:
    pack = _locked(pack_id)
    if pack.status == Status.DONE:
        return pack
    pack.attempts += 1
    pack.started_at = timezone.now()
    pack.finished_at = None
    pack.error = ""
    _move(pack, Status.RUNNING, fields=["attempts", "started_at", "finished_at", "error"])
    return pack


@transaction.atomic
def _fail(pack_id: int, error: Exception) -> None:
    logger.error("Board pack %s could not be drawn", pack_id, exc_info=error)
    pack = _locked(pack_id)
    if pack.status == Status.DONE:  # another delivery of the task drew it meanwhile
        return
    if isinstance(error, PortalError):
        pack.error = error.message
    elif isinstance(error, SoftTimeLimitExceeded):
        pack.error = TOO_SLOW
    elif isinstance(error, BrokerUnreachable):
        pack.error = NOT_SENT
    else:
        pack.error = UNEXPECTED_FAILURE
    pack.finished_at = timezone.now()
    _move(pack, Status.FAILED, fields=["error", "finished_at"])


@transaction.atomic
def _finish(pack_id: int, document: bytes) -> BoardPack:
    pack = _locked(pack_id)
    if pack.status == Status.DONE:  # another delivery of the task drew it meanwhile
        return pack
    meeting = pack.meeting
    name = (
        f"{meeting.partnership.slug}-{meeting.held_on:%Y-%m-%d}-{slugify(pack.get_kind_display())}"
    )
    pack.file.save(f"{name}.pdf", ContentFile(document), save=False)
    pack.finished_at = timezone.now()
    _move(pack, Status.DONE, fields=["file", "finished_at"])
    return pack
