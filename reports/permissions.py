import rules

from partnership.models import Meeting
from partnership.permissions import holds_role_in_partnership, register, via
from partnership.scopes import Kind

from .querysets import READERS


def can_request_board_pack(user, meeting: Meeting | None = None) -> bool:
    """The partnership's programme managers prepare the board's papers."""
    return holds_role_in_partnership(
        user, meeting.partnership_id if meeting else None, Kind.PROGRAMME_MANAGER
    )


def can_read_board_packs(user, meeting: Meeting | None = None) -> bool:
    """Programme managers and board members of the meeting's partnership read and
    download its packs."""
    return holds_role_in_partnership(user, meeting.partnership_id if meeting else None, *READERS)


def can_read_dashboard(user, obj=None) -> bool:
    """The dashboard is the board's and the programme managers' view of their
    partnerships; officers and finance officers read their own pages instead."""
    return holds_role_in_partnership(user, None, *READERS)


of_meeting = lambda pack: pack.meeting  # noqa: E731
# Trying a failed pack again is the requester's side of the job.
register(
    "reports",
    "boardpack",
    view=via(can_read_board_packs, of_meeting),
    change=via(can_request_board_pack, of_meeting),
)
rules.set_perm("reports.request_boardpack", rules.predicate(can_request_board_pack))
rules.set_perm("reports.read_boardpacks", rules.predicate(can_read_board_packs))
rules.set_perm("reports.read_dashboard", rules.predicate(can_read_dashboard))
