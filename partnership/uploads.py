"""What an uploaded file really is. A name can say anything, so these checks read the
file's first bytes and, for the zip-based formats (DOCX, XLSX, ODT, ODS), the zip's
directory: enough to refuse a program renamed ``report.pdf``, and a zip bomb, without
unpacking anything. Each upload's own rules (which kinds, how large) stay with it."""

import os
import zipfile
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
ZIP = b"PK\x03\x04"  # the container of .docx, .xlsx, .odt and .ods
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
}
# The part every genuine file of the zip-based formats holds, and its content if fixed.
ZIP_MEMBERS = {
    "docx": ("word/document.xml", None),
    "xlsx": ("xl/workbook.xml", None),
    "odt": ("mimetype", b"application/vnd.oasis.opendocument.text"),
    "ods": ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
}
# A real office document unpacks to a few times its size; a zip bomb to thousands.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024


def extension_of(name: str | None) -> str:
    return name.rsplit(".", 1)[-1].lower() if name and "." in name else ""


def is_genuine(file: BinaryIO, extension: str) -> bool:
    """Whether the content is what a file ending in ``.extension`` should hold: its
    signature, the part every file of a zip-based format has, and for CSV text."""
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if extension == "csv":
        return _looks_like_text(head)
    if not head.startswith(SIGNATURES.get(extension, ())):
        return False
    if extension in ZIP_MEMBERS:
        return _zip_holds(file, *ZIP_MEMBERS[extension])
    return True


def unpacked_size_refusal(file: BinaryIO, name: str) -> str | None:
    """Why a zip-based file is refused for unpacking too large (a zip bomb), from the
    sizes its directory declares, before anything is unpacked; None for any other."""
    file.seek(0)
    if file.read(len(ZIP)) != ZIP:
        file.seek(0)
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        unpacked = 0  # not a zip at all: is_genuine says so
    file.seek(0)
    if unpacked <= MAX_UNPACKED_BYTES:
        return None
    return (
        f"{name} unpacks to {unpacked // (1024 * 1024):,} MB, more than the "
        f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB a real document needs, so it was refused. "
        "Save it again from the program that made it"
    )


def _zip_holds(file: BinaryIO, member: str, content: bytes | None) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            if member not in archive.namelist():
                return False
            # Only the few bytes of a fixed "mimetype" part are ever unpacked.
            return content is None or archive.open(member).read(len(content) + 2).strip() == content
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    finally:
        file.seek(0)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


@deconstructible
class GenuineContent:
    """A file field's validator: the content is what the name says, and a zip-based file
    is no zip bomb. Pages check uploads in their forms with their own wording; this
    holds for any other way a file reaches the model (the admin's inlines)."""

    def __call__(self, file) -> None:
        name = os.path.basename(file.name or "") or "The file"
        too_large = unpacked_size_refusal(file, name)
        if too_large:
            raise ValidationError(too_large)
        extension = extension_of(file.name)
        if not is_genuine(file, extension):
            raise ValidationError(f"{name} is not a real {extension.upper()} file")

    def __eq__(self, other) -> bool:
        return isinstance(other, GenuineContent)
