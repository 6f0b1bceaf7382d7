"""The portal's Celery app, for a test worker that takes a minute over every board
pack, so that a test can kill it in the middle of one (tests/reports/test_celery_worker.py).
Run as ``celery --app=tests.slow_pack_worker worker``."""

import time

import django

from config.celery import app

django.setup()

from reports import pdf  # noqa: E402  (needs the apps loaded)

DRAWING_SECONDS = 60
_draw = pdf.render_pdf


def _draw_slowly(*args, **kwargs):
    time.sleep(DRAWING_SECONDS)
    return _draw(*args, **kwargs)


pdf.render_pdf = _draw_slowly

__all__ = ["app"]
