import datetime
import os

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnership.held_uploads import SALT, _hold, _unhold, held_uploads_sweep


def test_files_held_longer_than_a_day_are_swept_and_newer_ones_kept():
    old_token = _hold(SimpleUploadedFile("old.pdf", b"%PDF-old", "application/pdf"))
    new_token = _hold(SimpleUploadedFile("new.pdf", b"%PDF-new", "application/pdf"))
    old_path = default_storage.path(signing.loads(old_token, salt=SALT)["path"])
    two_days_ago = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old_path, (two_days_ago, two_days_ago))

    assert held_uploads_sweep() == 1

    assert not os.path.exists(old_path)
    assert _unhold(old_token) is None
    assert _unhold(new_token).read() == b"%PDF-new"
