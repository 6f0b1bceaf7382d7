"""Board packs: the PDF of agenda, minutes and reports that board members read,
drawn in the background (``reports.tasks``) from the portal's own figures."""

from itertools import product

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.lifecycles import Lifecycle
from partnership.models import Meeting

from .querysets import BoardPackQuerySet


class BoardPack(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", "Full board pack"
        MINUTES = "minutes", "Minutes of the previous meeting"
        SUB_REGIONAL = "sub_regional", "Progress report: sub-regional programmes"
        REGIONAL_PROGRAMME = "regional_programme", "Progress report: regional programmes"
        BIDS = "bids", "Project bids"
        BUDGET = "budget", "Budget allocations"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being produced"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    LIFECYCLE = Lifecycle(
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
            "Only a pack that failed can be tried again.",
        ),
    )

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="board_packs")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FULL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requested_board_packs",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="How many times the portal has tried to produce the PDF"
    )
    error = models.TextField(blank=True, help_text="Why the last attempt failed, in plain words")
    file = models.FileField(upload_to="board_packs/", blank=True)

    objects = BoardPackQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="board_pack_done_has_file",
                violation_error_message="A finished board pack must have its PDF.",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="board_pack_failure_has_reason",
                violation_error_message="A failed board pack must say why it failed.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack-detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
