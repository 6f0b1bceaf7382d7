from django.db import models

from partnership.scopes import Kind, scope_of

# Board packs carry every bid of a round with its scores, which officers of member
# councils may not see (``bids.querysets.BidQuerySet``): packs are for the people
# who run the partnership and sit on its board.
READERS = (Kind.PROGRAMME_MANAGER, Kind.BOARD_MEMBER)


class BoardPackQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.is_administrator:
            return self.all()
        return self.filter(meeting__partnership__in=scope.partnership_ids(*READERS))
