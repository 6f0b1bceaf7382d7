from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter, helpers
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from .admin_base import PortalAdmin, PortalInline, service_form
from .models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Meeting,
    Notification,
    Organisation,
    Partnership,
    Role,
    SubRegion,
    Theme,
    WebhookDelivery,
    WebhookEndpoint,
)
from .services import PersonError, meeting_schedule, meeting_update, user_anonymise
from .two_factor import two_factor_reset
from .webhooks import EVENT_CHOICES, webhook_endpoint_register, webhook_endpoint_update


class SubRegionInline(PortalInline):
    model = SubRegion
    fields = ["name", "slug", "accountable_body"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["accountable_body"]


class ThemeInline(PortalInline):
    model = Theme
    fields = ["name", "position"]


@admin.register(Partnership)
class PartnershipAdmin(PortalAdmin):
    list_display = ["short_name", "name", "region", "board_size", "quorum"]
    list_select_related = ()
    list_filter = ["region"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["members"]
    # The partnership's manager publishes its grants (partnership_publish_grants).
    readonly_fields = ["grants_published_from"]
    inlines = [SubRegionInline, ThemeInline]


@admin.register(Organisation)
class OrganisationAdmin(PortalAdmin):
    # Organisations are public bodies: anyone signed in may read them.
    visible_to_all = True
    list_display = ["name", "short_name", "kind", "gss_code", "org_id"]
    list_select_related = ()
    list_filter = ["kind", ("partnerships", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "gss_code", "org_id"]


@admin.register(SubRegion)
class SubRegionAdmin(PortalAdmin):
    visible_via = "partnership"
    list_display = ["name", "partnership", "accountable_body"]
    list_select_related = ["partnership", "accountable_body"]
    list_filter = [("partnership", RelatedOnlyFieldListFilter)]
    search_fields = ["name", "partnership__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["accountable_body", "members"]


@admin.register(Theme)
class ThemeAdmin(PortalAdmin):
    visible_via = "partnership"
    list_display = ["name", "partnership", "position"]
    list_select_related = ["partnership"]
    list_filter = [("partnership", RelatedOnlyFieldListFilter)]
    search_fields = ["name"]


@admin.register(Role)
class RoleAdmin(PortalAdmin):
    # Only administrators may view roles at all (partnership.permissions).
    visible_to_all = True
    list_display = ["user", "kind", "organisation", "partnership", "title"]
    list_select_related = ["user", "organisation", "partnership"]
    list_filter = [
        "kind",
        ("partnership", RelatedOnlyFieldListFilter),
        ("organisation", RelatedOnlyFieldListFilter),
    ]
    search_fields = ["user__username", "title", "organisation__name", "partnership__short_name"]
    autocomplete_fields = ["user", "organisation"]


class RoleInline(PortalInline):
    model = Role
    fields = ["kind", "organisation", "partnership", "title"]
    autocomplete_fields = ["organisation"]
    show_change_link = False


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user pages, with the person's portal roles on them."""

    inlines = [RoleInline]
    actions = ["reset_two_factor", "anonymise"]

    @admin.action(description="Reset two-factor authentication of selected users")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            two_factor_reset(user=user, by=request.user)
        self.message_user(
            request,
            f"Two-factor authentication reset for {len(queryset)} user(s): "
            "they are signed out, and set up an authenticator app again when they next "
            "sign in.",
        )

    def has_anonymise_permission(self, request) -> bool:
        return request.user.has_perm("auth.anonymise_user")

    @admin.action(description="Anonymise people who have left", permissions=["anonymise"])
    def anonymise(self, request, queryset):
        """Asks first, on a page of its own; then anonymises each person the service
        allows and says why any other was refused."""
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/auth/user/anonymise_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "queryset": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        done = 0
        for person in queryset:
            try:
                user_anonymise(user=person, by=request.user)
            except PersonError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"Anonymised {done} {'person' if done == 1 else 'people'}.")


class AgendaItemInline(PortalInline):
    model = AgendaItem
    fields = ["number", "title", "presenter", "report", "page"]


class DecisionInline(PortalInline):
    model = Decision
    fields = ["agenda_item", "text"]


class DeclarationInline(PortalInline):
    model = Declaration
    fields = ["agenda_item", "member", "interest"]


class ActionInline(PortalInline):
    model = Action
    fields = ["text", "owner", "due_on", "done_on"]
    # Done and reopened on the meeting's actions list (action_complete, action_reopen).
    readonly_fields = ["done_on"]


class AttendanceInline(PortalInline):
    model = Attendance
    fields = ["kind", "role_as_recorded", "organisation", "recorded_by", "recorded_at"]
    readonly_fields = fields
    # Recorded whole on the meeting's attendance page (attendance_record), which keeps
    # organisations to the partnership's members and says who recorded it.
    editable = False


@admin.register(Meeting)
class MeetingAdmin(PortalAdmin):
    list_display = ["held_on", "title", "partnership", "place", "minutes_status"]
    list_select_related = ["partnership"]
    list_filter = [("partnership", RelatedOnlyFieldListFilter), "minutes_status"]
    search_fields = ["title", "place"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["minutes_approved_at"]
    # The minutes move from draft to approved through partnership.services, at a
    # later meeting; approved minutes are the record, and their items with them.
    readonly_fields = ["minutes_status", "minutes_approved_at"]
    # The services keep one meeting of a title a day, and a meeting after the one
    # whose minutes it approved.
    form = service_form(
        meeting_schedule,
        ["partnership", "title", "held_on", "starts_at", "place"],
        change=meeting_update,
        row="meeting",
    )
    fixed_after_creation = ("partnership",)

    def is_settled(self, meeting):
        return meeting.minutes_status == Meeting.MinutesStatus.APPROVED

    inlines = [
        AgendaItemInline,
        AttendanceInline,
        DeclarationInline,
        DecisionInline,
        ActionInline,
    ]


class MeetingChildAdmin(PortalAdmin):
    visible_via = "meeting"
    list_select_related = ["meeting__partnership"]
    list_filter = [("meeting__partnership", RelatedOnlyFieldListFilter)]
    autocomplete_fields = ["meeting"]

    def is_settled(self, item):
        return item.meeting.minutes_status == Meeting.MinutesStatus.APPROVED


@admin.register(AgendaItem)
class AgendaItemAdmin(MeetingChildAdmin):
    list_display = ["meeting", "number", "title", "presenter"]
    search_fields = ["title", "presenter"]


@admin.register(Decision)
class DecisionAdmin(MeetingChildAdmin):
    list_display = ["text", "meeting", "agenda_item"]
    list_select_related = ["meeting__partnership", "agenda_item"]
    search_fields = ["text"]


@admin.register(Action)
class ActionAdmin(MeetingChildAdmin):
    list_display = ["text", "owner", "due_on", "done_on", "meeting"]
    list_filter = [*MeetingChildAdmin.list_filter, "due_on", "done_on"]
    search_fields = ["text", "owner"]
    readonly_fields = ["done_on"]


@admin.register(Attendance)
class AttendanceAdmin(MeetingChildAdmin):
    list_display = ["role_as_recorded", "kind", "organisation", "meeting"]
    list_select_related = ["meeting__partnership", "organisation"]
    list_filter = [*MeetingChildAdmin.list_filter, "kind"]
    search_fields = ["role_as_recorded", "organisation__name"]
    autocomplete_fields = ["meeting", "organisation"]
    editable = False  # as on the meeting's page


@admin.register(Notification)
class NotificationAdmin(PortalAdmin):
    """Made by the services that notify and read by their recipients; here only read."""

    list_display = ["text", "recipient", "event", "created_at", "read_at", "delivery", "emailed_at"]
    list_select_related = ["recipient"]
    list_filter = ["event", "delivery"]
    search_fields = ["text", "recipient__username"]
    editable = False


class WebhookEndpointForm(
    service_form(
        webhook_endpoint_register,
        ["partnership", "url", "events", "active"],
        change=webhook_endpoint_update,
        row="endpoint",
    )
):
    url = forms.URLField(label="Address", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is sent to the address when it happens to a record of the partnership",
    )


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PortalAdmin):
    """A partnership's managers register their systems here rather than on a portal
    page: like sub-regions and themes, an endpoint is set up once by someone
    technical, and the admin's scoped lists, filters and log come with it
    (docs/adr/0022). The secret is made by the service and shown once saved, for the
    receiver to check signatures with."""

    form = WebhookEndpointForm
    list_display = ["url", "partnership", "active", "created_at", "deliveries_link"]
    list_select_related = ["partnership"]
    list_filter = [("partnership", RelatedOnlyFieldListFilter), "active"]
    search_fields = ["url"]
    fields = ["partnership", "url", "events", "active", "secret", "created_by"]
    readonly_fields = ["secret", "created_by"]
    fixed_after_creation = ("partnership",)

    def get_fields(self, request, obj=None):
        # Made when the endpoint is saved: nothing to show before.
        return self.fields if obj is not None else ["partnership", "url", "events", "active"]

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if db_field.name != "partnership":
            return queryset
        # Only the partnerships whose webhooks the user may set up: the rule decides.
        allowed = [
            partnership.pk
            for partnership in queryset
            if request.user.has_perm(
                "partnership.add_webhookendpoint", WebhookEndpoint(partnership=partnership)
            )
        ]
        return queryset.filter(pk__in=allowed)

    @admin.display(description="deliveries")
    def deliveries_link(self, endpoint):
        url = reverse("admin:partnership_webhookdelivery_changelist")
        return format_html('<a href="{}?endpoint__id__exact={}">Deliveries</a>', url, endpoint.pk)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PortalAdmin):
    """Each event sent to an endpoint and how its latest attempt went; made by the
    events and moved only by the task that sends them."""

    list_display = [
        "created_at",
        "event",
        "endpoint",
        "outcome",
        "attempts",
        "last_status_code",
        "last_error",
        "delivered_at",
        "next_attempt_at",
    ]
    list_select_related = ["endpoint"]
    list_filter = ["event", ("endpoint", RelatedOnlyFieldListFilter)]
    editable = False
