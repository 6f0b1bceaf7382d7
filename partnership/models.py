"""Partnerships, their member organisations and sub-regions, roles, board meetings, and
the files the portal produces in the background."""

from itertools import product

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .lifecycles import Lifecycle
from .private_files import PrivateFileField
from .querysets import (
    ApiTokenQuerySet,
    DownloadQuerySet,
    MeetingChildQuerySet,
    MeetingQuerySet,
    NotificationQuerySet,
    PartnershipQuerySet,
    SubRegionQuerySet,
    WebhookDeliveryQuerySet,
    WebhookEndpointQuerySet,
)
from .scopes import Kind as RoleKind
from .uploads import GenuineContent


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True, help_text="For example EM IEP")
    slug = models.SlugField(unique=True)
    region = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField("Organisation", related_name="partnerships", blank=True)
    board_size = models.PositiveSmallIntegerField(
        default=15, help_text="Voting members of the board"
    )
    quorum = models.PositiveSmallIntegerField(
        default=5, help_text="Members who must be present for a quorate meeting"
    )
    giving_prefix = models.CharField(
        "360Giving prefix",
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^360G-[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                "A 360Giving prefix is 360G- and letters or digits, e.g. 360G-emiep.",
            )
        ],
        help_text="The prefix 360Giving issued, which begins the id of every grant it publishes",
    )
    grants_published_from = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "Grants approved by the board on or after this date are published as open "
            "data (360Giving); none is while empty"
        ),
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum__gte=1) & Q(quorum__lte=models.F("board_size")),
                name="partnership_quorum_within_board",
                violation_error_message="The quorum must be between 1 and the board size.",
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("partnership:partnership-detail", kwargs={"slug": self.slug})


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        UNITARY = "unitary", "Unitary or city council"
        DISTRICT = "district", "District or borough council"
        FIRE = "fire", "Fire and rescue authority"
        POLICE = "police", "Police authority"
        NHS = "nhs", "NHS body"
        NATIONAL_PARK = "national_park", "National park authority"
        OTHER = "other", "Other public body"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=100, blank=True, help_text="As written in board papers, e.g. Derbyshire CC"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        help_text="ONS Government Statistical Service code, e.g. E07000121",
    )
    org_id = models.CharField(
        "organisation identifier",
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}-[A-Z]{2,5}-\S+$",
                "An organisation identifier is a list code and an id, e.g. GB-LAE-NKE.",
            )
        ],
        help_text=(
            "From a register listed at org-id.guide: GB-LAE- and the code of the Local "
            "Authorities in England register for an English council, e.g. GB-LAE-NKE"
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["gss_code"],
                condition=~Q(gss_code=""),
                name="organisation_gss_code_unique",
                violation_error_message="Another organisation already has this GSS code.",
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(gss_code__regex=r"^[EWSN][0-9]{8}$"),
                name="organisation_gss_code_format",
                violation_error_message="A GSS code is a letter and eight digits, e.g. E07000121.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:organisation-detail", kwargs={"pk": self.pk})


class SubRegion(models.Model):
    """A cluster of member organisations inside a partnership (an SRP, a cluster)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="sub_regions"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    members = models.ManyToManyField(Organisation, related_name="sub_regions", blank=True)
    accountable_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="accountable_for_sub_regions",
        null=True,
        blank=True,
        help_text="The organisation that receives and accounts for the sub-region's grant",
    )

    objects = SubRegionQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"], name="sub_region_slug_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:sub-region-detail", kwargs={"pk": self.pk})


class Theme(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["partnership", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="theme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """What a user may do, and where: an officer of one organisation, a board member
    of one partnership, and so on. A user may hold several roles."""

    Kind = RoleKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_roles"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="Job title, e.g. Finance officer, Derbyshire CC"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=RoleKind.OFFICER, organisation__isnull=False, partnership__isnull=True)
                    | Q(
                        kind__in=[RoleKind.PROGRAMME_MANAGER, RoleKind.BOARD_MEMBER],
                        partnership__isnull=False,
                        organisation__isnull=True,
                    )
                    | (
                        Q(kind=RoleKind.FINANCE)
                        & (
                            Q(organisation__isnull=False, partnership__isnull=True)
                            | Q(organisation__isnull=True, partnership__isnull=False)
                        )
                    )
                    | Q(
                        kind=RoleKind.ADMINISTRATOR,
                        organisation__isnull=True,
                        partnership__isnull=True,
                    )
                ),
                name="role_scope_matches_kind",
                violation_error_message=(
                    "An officer belongs to an organisation; a programme manager or board "
                    "member to a partnership; finance to an accountable body or a "
                    "partnership; an administrator to neither."
                ),
            ),
            # Three partial constraints, because SQLite cannot treat NULLs as equal.
            models.UniqueConstraint(
                fields=["user", "kind", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "partnership"],
                condition=Q(partnership__isnull=False),
                name="role_unique_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(organisation__isnull=True, partnership__isnull=True),
                name="role_unique_unscoped",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.partnership
        return f"{self.get_kind_display()}, {scope}" if scope else self.get_kind_display()


class Meeting(models.Model):
    class MinutesStatus(models.TextChoices):
        NONE = "none", "No minutes yet"
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    # Minutes are approved at a later meeting; once approved the record is final.
    MINUTES_LIFECYCLE = Lifecycle(
        MinutesStatus,
        {
            MinutesStatus.NONE: {MinutesStatus.DRAFT},
            MinutesStatus.DRAFT: {MinutesStatus.APPROVED},
            MinutesStatus.APPROVED: set(),
        },
        field="minutes_status",
        refusals={
            (MinutesStatus.NONE, MinutesStatus.APPROVED): (
                "Draft the minutes before they are approved."
            ),
            (MinutesStatus.DRAFT, MinutesStatus.DRAFT): "The minutes are already drafted.",
            (MinutesStatus.APPROVED, MinutesStatus.APPROVED): "These minutes are already approved.",
        },
    )

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, default="Board meeting")
    held_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=300, blank=True)
    minutes_status = models.CharField(
        max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.NONE
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        help_text="The later meeting that approved these minutes",
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "held_on", "title"], name="meeting_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {self.title.lower()}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("partnership:meeting-detail", kwargs={"pk": self.pk})


class Attendance(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", "Board member present"
        OBSERVER = "observer", "Observer"
        OFFICER = "officer", "Officer in attendance"
        APOLOGIES = "apologies", "Apologies"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role_as_recorded = models.CharField(
        max_length=200, help_text="A role, never a name: e.g. Councillor, Derbyshire CC"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    # The attendance is recorded whole (partnership.services.attendance_record), so
    # every row carries who recorded it and when.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.role_as_recorded} ({self.get_kind_display()})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=200, blank=True)
    report = PrivateFileField(
        upload_to="agenda/%Y/",
        blank=True,
        served_by="partnership:agenda-item-report",
        validators=[FileExtensionValidator(["pdf"]), GenuineContent()],
    )
    page = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def refuse_item_of_another_meeting(record) -> None:
    """A declaration or decision is made under an item of its own meeting's agenda."""
    item = record.agenda_item
    if item is not None and item.meeting_id != record.meeting_id:
        raise ValidationError({"agenda_item": "Choose an item on this meeting’s agenda."})


class Declaration(models.Model):
    """A declaration of interest made at a meeting, recorded in the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="declarations"
    )
    member = models.CharField(max_length=200, help_text="A role, never a name")
    interest = models.CharField(max_length=500)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"{self.member}: {self.interest}"

    def clean(self):
        refuse_item_of_another_meeting(self)


class Decision(models.Model):
    """What the board resolved. Records that act on a decision (a bid, a project's
    extension) point at it, so the minutes and the record agree."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField()

    objects = MeetingChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__number", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self):
        refuse_item_of_another_meeting(self)


class Action(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner = models.CharField(max_length=200, help_text="A role or initials from the minutes")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    objects = MeetingChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self):
        if self.due_on is not None and self.due_on < self.meeting.held_on:
            raise ValidationError(
                {"due_on": "An action cannot be due before the meeting that set it."}
            )

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_on is None and self.due_on is not None and self.due_on < timezone.localdate()
        )


class BackgroundJob(models.Model):
    """A file the portal produces in the background for the person who asked for it:
    a board pack, a large download. ``partnership.jobs`` moves it along its lifecycle;
    a Celery task does the work."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being produced"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_%(class)ss",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the portal has tried to produce the file"
    )
    error = models.TextField(blank=True, help_text="Why the last attempt failed, in plain words")

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="%(app_label)s_%(class)s_done_has_file",
                violation_error_message="A finished job must have its file.",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="%(app_label)s_%(class)s_failure_has_reason",
                violation_error_message="A failed job must say why it failed.",
            ),
        ]

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


def job_lifecycle(noun: str) -> Lifecycle:
    """Where a job of any kind may go; ``noun`` names it in the refusal."""
    Status = BackgroundJob.Status
    return Lifecycle(
        Status,
        {
            # Failed straight from the queue when the job could not be sent to a worker.
            Status.QUEUED: {Status.RUNNING, Status.FAILED},
            # Running to running: the task was delivered again after its worker was lost.
            Status.RUNNING: {Status.RUNNING, Status.DONE, Status.FAILED},
            # Queued again by a person; running again on the task's own retry.
            Status.FAILED: {Status.QUEUED, Status.RUNNING},
            Status.DONE: set(),
        },
        refusals=dict.fromkeys(
            product((Status.QUEUED, Status.RUNNING, Status.DONE), (Status.QUEUED,)),
            f"Only a {noun} that failed can be tried again.",
        ),
    )


class Download(BackgroundJob):
    """A table too large to send while the reader waits (``partnership.downloads``),
    written to a file in the background with the filters it was asked for. Only the
    person who asked may open it: it holds what their roles let them see."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    LIFECYCLE = job_lifecycle("download")

    export = models.CharField(max_length=60, help_text="Which table, by its registered name")
    title = models.CharField(max_length=120)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    filters = models.JSONField(
        default=dict, blank=True, help_text="The filters the table was asked for with"
    )
    filters_described = models.JSONField(
        default=list, blank=True, help_text="The same filters in words: (label, value) pairs"
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file = PrivateFileField(upload_to="downloads/%Y/%m/", blank=True, served_by="downloads:file")

    objects = DownloadQuerySet.as_manager()

    class Meta(BackgroundJob.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.title} ({self.get_file_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("downloads:detail", kwargs={"pk": self.pk})

    @property
    def progress_written(self) -> int:
        # Counted from COPY's lines, so it can run a little past a table that shrank.
        return min(self.rows_written, self.rows_total)

    @property
    def percent_written(self) -> int:
        return 100 * self.progress_written // self.rows_total if self.rows_total else 0


class Notification(models.Model):
    """Something that happened to a record its recipient acts on next: listed on their
    notifications page and e-mailed as they chose for its event
    (``partnership.notifications``)."""

    class Event(models.TextChoices):
        MILESTONE_LOGGED = "milestone_logged", "Milestone logged as achieved"
        MILESTONE_VERIFIED = "milestone_verified", "Milestone verified"
        PAYMENT_APPROVED = "payment_approved", "Grant payment approved for release"
        PAYMENT_PAID = "payment_paid", "Grant payment paid"
        BID_SUBMITTED = "bid_submitted", "Bid submitted"
        BID_DECIDED = "bid_decided", "Bid decided"
        RETURN_SUBMITTED = "return_submitted", "Savings return submitted"
        RETURN_CERTIFIED = "return_certified", "Savings return certified"
        RETURN_SENT_BACK = "return_sent_back", "Savings return sent back"

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "E-mail me straight away"
        DAILY = "daily", "E-mail me once a day, in a summary"
        NONE = "none", "Do not e-mail me"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=30, choices=Event.choices)
    text = models.CharField(max_length=300, help_text="What happened, in one sentence")
    url = models.CharField(max_length=300, help_text="The page of the record, on this site")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # How the recipient chose to be e-mailed about the event when it happened.
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # The daily summary reads the e-mails still owed.
            models.Index(
                fields=["delivery", "recipient"],
                condition=Q(emailed_at__isnull=True),
                name="notification_owed",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", kwargs={"pk": self.pk})

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a person wants to be e-mailed about one kind of event; without a row, straight
    away."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=30, choices=Notification.Event.choices)
    delivery = models.CharField(
        max_length=10,
        choices=Notification.Delivery.choices,
        default=Notification.Delivery.IMMEDIATE,
    )

    class Meta:
        ordering = ["user", "event"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()}: {self.get_delivery_display()}"


class IdempotentRequest(models.Model):
    """An API write sent with an ``Idempotency-Key`` header, and the answer it got: the
    same key sent again by the same user gets that answer back, and nothing is done
    twice (partnership.api.idempotency)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotent_requests"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    # SHA-256 of the body sent: the same key with another body is a mistake, not a retry.
    body_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class ApiToken(models.Model):
    """A personal API token: the API answers its bearer as its user, read only or
    read and write (``partnership.api_tokens``). Only the SHA-256 digest of the key is
    kept; the key itself is shown once, when the token is made."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for")
    # The key's first characters, so that its owner can tell which token is which.
    prefix = models.CharField(max_length=12)
    key_digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class WebhookEndpoint(models.Model):
    """An address of a partnership's own system that is sent, signed, each event it
    listens for (``partnership.webhooks``)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField("address", max_length=500, help_text="An https:// address")
    # Values of Notification.Event; a list, so it reads the same on SQLite and PostgreSQL.
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "url", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with the outcome of its latest attempt."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=30, choices=Notification.Event.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.get_event_display()} to {self.endpoint_id}"

    @property
    def outcome(self) -> str:
        if self.delivered_at is not None:
            return "Delivered"
        if self.attempts == 0:
            return "Waiting to be sent"
        if self.next_attempt_at is not None:
            return "Failing, to be tried again"
        return "Failed: no more attempts"
