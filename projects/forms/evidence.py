"""Evidence of a delivered milestone: files checked by size, type and content (a
program renamed ``report.pdf`` is refused), and links."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator

from partnership import uploads
from partnership.held_uploads import KeptFileInput
from projects.models import EVIDENCE_EXTENSIONS

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 5


ALLOWED_NAMES = "PDF, Word (DOC, DOCX), Excel (XLS, XLSX), CSV, ODT, ODS, PNG or JPG"


def check_evidence_file(file: UploadedFile) -> None:
    """Refuse a file that is too big, of a type not accepted, or whose content is not
    what its name says (a program renamed ``report.pdf``, say)."""
    name = file.name or "The file"
    extension = uploads.extension_of(file.name)
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(f"{name} must be a {ALLOWED_NAMES}")
    if file.size == 0:
        raise ValidationError(f"{name} is empty")
    if file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(f"{name} must be smaller than 10MB")
    too_large = uploads.unpacked_size_refusal(file, name)
    if too_large:
        raise ValidationError(too_large)
    if not uploads.is_genuine(file, extension):
        raise ValidationError(
            f"{name} is not a real {extension.upper()} file: save it again as "
            f"{extension.upper()} and upload it"
        )


class MultipleFileInput(KeptFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class EvidenceFilesField(forms.FileField):
    """Any number of files (up to five), each checked by :func:`check_evidence_file`."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(f"Upload up to {MAX_EVIDENCE_FILES} files at a time")
        cleaned = [super(EvidenceFilesField, self).clean(file, initial) for file in files]
        for file in cleaned:
            check_evidence_file(file)
        return cleaned


class LinksField(forms.CharField):
    """Web addresses, one a line."""

    def __init__(self, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": 3}), **kwargs)

    def clean(self, value):
        lines = [line.strip() for line in (super().clean(value) or "").splitlines()]
        links = [line for line in lines if line]
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except ValidationError:
                raise ValidationError(
                    f"“{link}” is not a web address: start it with https://"
                ) from None
        return links
