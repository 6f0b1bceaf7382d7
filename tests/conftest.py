import time

import pytest
from django.core.cache import cache
from django.test import Client

from config.celery import app
from partnership import two_factor
from partnership.sign_in_middleware import LAST_TOUCHED
from tests.celery_worker import start_worker, worker  # noqa: F401  (fixtures for every test)


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, never the working tree."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """A deliberately slow hash protects real passwords; tests only need a valid one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tasks_run_here(settings):
    """Run Celery tasks in this process, even where CELERY_BROKER_URL would send them
    to a worker. Errors are kept in the task's result rather than raised, because only
    then does Celery run a task's retries in process, as a worker would."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so a page kept by one test never answers
    another's reads."""
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_gives_the_code(monkeypatch):
    """``force_login`` stands for a whole sign-in: the password and, where the user's
    role requires it, the two-factor code. tests/partnership/test_sign_in.py signs in
    through the pages instead, step by step."""
    force_login = Client.force_login

    def signed_in_with_code(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        session[two_factor.VERIFIED] = "tests.force_login"
        # Just touched, so the first request does not save the session again.
        session[LAST_TOUCHED] = int(time.time())
        session.save()

    monkeypatch.setattr(Client, "force_login", signed_in_with_code)
