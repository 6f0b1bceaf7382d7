"""Uploaded and generated files (milestone evidence, business cases, agenda reports,
board packs, background downloads) are private: stored under
``PRIVATE_STORAGE_ROOT``, outside anything the web server or whitenoise serves, and
sent only by views that first check the reader may see the record the file belongs to.
See docs/adr/0009-private-files-separated-duties-and-neutral-exports.md."""

import os

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.urls import reverse
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    """The default storage. It has no public address, so a template that reaches for a
    file's ``.url`` fails loudly instead of linking round the permission check."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_STORAGE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        if setting == "PRIVATE_STORAGE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        super()._clear_cached_properties(setting, **kwargs)

    def url(self, name):
        raise ValueError(
            f"{name} is private and has no public address: link to the view that "
            "checks who may read it."
        )


class PrivateFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The address of the view that serves this record's file to those who may
        read the record, so templates and the admin can link to it as to any file."""
        self._require_file()
        return reverse(self.field.served_by, args=[self.instance.pk])


class PrivateFileField(models.FileField):
    """A file served only by the view named ``served_by``, which takes the record's
    primary key and checks who may read it."""

    attr_class = PrivateFieldFile

    def __init__(self, *args, served_by: str, **kwargs):
        self.served_by = served_by
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "served_by": self.served_by}


def private_file_response(
    file: File, *, content_type: str | None = None, filename: str | None = None
) -> FileResponse:
    """A stored file as a download, named ``filename`` or as stored: always saved by
    the browser, never shown in the page's origin, and never sniffed into another type
    than the one sent."""
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename or os.path.basename(file.name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
