"""Files kept across a form shown again with errors.

A browser never sends a file input's file again, so a file attached on a form refused
for another field's sake would silently disappear. ``hold_uploads`` (called by
``form_pages.render_form`` whenever it shows errors) saves each such file to storage
under ``held-uploads/``, names it in the field's hint, and renders a signed token beside
the file input; ``KeptFileInput`` reads the file back from the token when the user
sends the form again without choosing another.
"""

import datetime
import mimetypes
import uuid

from django import forms
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import format_html, format_html_join

HELD_DIR = "held-uploads"
SALT = "partnership.held_uploads"
# A form left open longer than this asks for its file again.
MAX_AGE = 24 * 60 * 60


def held_name(name: str) -> str:
    """The name of the hidden input carrying the tokens of field ``name``'s held files."""
    return f"{name}_held"


class KeptFileInput(forms.FileInput):
    """A file input whose file, once held, is sent again by its token."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.tokens: list[str] = []

    def value_from_datadict(self, data, files, name):
        chosen = super().value_from_datadict(data, files, name)
        if chosen:
            return chosen
        held = [file for token in data.getlist(held_name(name)) if (file := _unhold(token))]
        if not held:
            return chosen
        return held if self.allow_multiple_selected else held[0]

    def render(self, name, value, attrs=None, renderer=None):
        tokens = format_html_join(
            "",
            '<input type="hidden" name="{}" value="{}">',
            ((held_name(name), token) for token in self.tokens),
        )
        return format_html("{}{}", super().render(name, value, attrs, renderer), tokens)


def hold_uploads(form: forms.BaseForm) -> None:
    """Hold each file attached to a field of ``form`` that has no error of its own, and
    tell the user in the field's hint that it is kept."""
    if not form.is_bound:
        return
    for name, field in form.fields.items():
        widget = field.widget
        if not isinstance(widget, KeptFileInput) or name in form.errors:
            continue
        value = widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        files = [file for file in (value if isinstance(value, list) else [value]) if file]
        if not files:
            continue
        widget.tokens = [_hold(file) for file in files]
        names = ", ".join(file.name for file in files)
        # The bound field, already made while the form was checked, carries the hint.
        form[name].help_text = (
            f"You attached {names}. It is kept: choose a file only to replace it."
            if len(files) == 1
            else f"You attached {names}. They are kept: choose files only to replace them."
        )


def held_uploads_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the held files older than a token lives (their forms were abandoned);
    how many were deleted. Run daily by Celery beat."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=MAX_AGE)
    folders, _files = (
        default_storage.listdir(HELD_DIR) if default_storage.exists(HELD_DIR) else ([], [])
    )
    deleted = 0
    for folder in folders:
        for name in default_storage.listdir(f"{HELD_DIR}/{folder}")[1]:
            path = f"{HELD_DIR}/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted


def _hold(file) -> str:
    token = getattr(file, "held_token", None)
    if token:
        return token
    path = default_storage.save(f"{HELD_DIR}/{uuid.uuid4().hex}/{file.name}", file)
    return signing.dumps({"path": path, "type": file.content_type}, salt=SALT)


def _unhold(token: str) -> SimpleUploadedFile | None:
    try:
        held = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    path = held["path"]
    if not path.startswith(f"{HELD_DIR}/") or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        content = stored.read()
    name = path.rsplit("/", 1)[-1]
    file = SimpleUploadedFile(
        name, content, held.get("type") or mimetypes.guess_type(name)[0] or ""
    )
    file.held_token = token
    return file
