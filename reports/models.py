"""Board packs: the PDF of agenda, minutes and reports that board members read,
drawn in the background (``reports.tasks``) from the portal's own figures."""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from partnership.models import BackgroundJob, Meeting, job_lifecycle
from partnership.private_files import PrivateFileField

from .querysets import BoardPackQuerySet


class BoardPack(BackgroundJob):
    class Kind(models.TextChoices):
        FULL = "full", "Full board pack"
        MINUTES = "minutes", "Minutes of the previous meeting"
        SUB_REGIONAL = "sub_regional", "Progress report: sub-regional programmes"
        REGIONAL_PROGRAMME = "regional_programme", "Progress report: regional programmes"
        BIDS = "bids", "Project bids"
        BUDGET = "budget", "Budget allocations"

    LIFECYCLE = job_lifecycle("pack")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="board_packs")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FULL)
    file = PrivateFileField(upload_to="board_packs/", blank=True, served_by="reports:pack-download")

    objects = BoardPackQuerySet.as_manager()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack-detail", kwargs={"pk": self.pk})

    @property
    def download_name(self) -> str:
        """The file name it is stored and downloaded under, without the suffix storage
        may add: ``em-iep-2011-04-12-board-pack.pdf``. (Select ``meeting__partnership``.)"""
        what = "board-pack" if self.kind == self.Kind.FULL else slugify(self.get_kind_display())
        meeting = self.meeting
        return f"{meeting.partnership.slug}-{meeting.held_on:%Y-%m-%d}-{what}.pdf"
