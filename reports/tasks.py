"""Background jobs of the reports app. Each takes ids (JSON-serialisable) and calls
one service; the service holds the logic and records the outcome."""

from celery import shared_task

from . import services
from .models import BoardPack


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
    max_retries=3,
)
def render_board_pack(self, pack_id: int) -> None:
    """Draw a board pack's PDF, retrying a failure after 10, 20 and 40 seconds."""
    try:
        services.board_pack_render(pack_id=pack_id)
    except BoardPack.DoesNotExist:
        return  # deleted before its turn came: nothing to draw
    except Exception as error:
        raise self.retry(exc=error, countdown=2**self.request.retries * 10) from error
