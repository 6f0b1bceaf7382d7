from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter

from partnership.admin_base import PortalAdmin
from partnership.errors import PortalError

from .models import BoardPack
from .services import board_pack_retry


@admin.register(BoardPack)
class BoardPackAdmin(PortalAdmin):
    """Packs are asked for and drawn by the board-pack pages and the Celery task;
    here they are read, and a failed one can be tried again."""

    list_display = ["meeting", "kind", "status", "requested_by", "requested_at", "attempts"]
    list_select_related = ["meeting__partnership", "requested_by"]
    list_filter = ["status", "kind", ("meeting__partnership", RelatedOnlyFieldListFilter)]
    search_fields = ["meeting__title", "error"]
    actions = ["try_again"]
    editable = False

    @admin.action(description="Try the selected failed packs again")
    def try_again(self, request, queryset):
        for pack in queryset:
            try:
                board_pack_retry(pack=pack, by=request.user)
            except PortalError as error:
                self.message_user(request, f"{pack}: {error.message}", messages.ERROR)
