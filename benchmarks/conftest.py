import pytest

# force_login stands for a whole sign-in, two-factor code included, as in the tests.
from tests.conftest import _force_login_gives_the_code  # noqa: F401


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Board packs are stored as files: keep them out of the working tree."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made to sign in, not to measure the password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
