"""The portal's Celery app, for a test worker that takes a minute over every board
pack and every download, so that a test can kill it in the middle of one
(tests/celery_worker.py). Run as ``celery --app=tests.slow_worker worker``."""

import time

import django

from config.celery import app

django.setup()

from partnership import downloads  # noqa: E402  (needs the apps loaded)
from reports import pdf  # noqa: E402

WORKING_SECONDS = 60


def _slowly(work):
    def slow(*args, **kwargs):
        time.sleep(WORKING_SECONDS)
        return work(*args, **kwargs)

    return slow


pdf.render_pdf = _slowly(pdf.render_pdf)
downloads.write_csv = _slowly(downloads.write_csv)

__all__ = ["app"]
