"""The web process's gunicorn settings, read by gunicorn itself in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def gunicorn_config(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--print-config",
            "-c",
            "config/gunicorn.conf.py",
            "config.wsgi",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def setting(output: str, name: str) -> str:
    for line in output.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip()
    raise AssertionError(f"gunicorn printed no {name}")


def test_the_web_process_uses_threaded_workers_and_a_short_timeout():
    printed = gunicorn_config(WEB_CONCURRENCY="5")

    assert printed.returncode == 0, printed.stderr
    assert setting(printed.stdout, "worker_class") == "gthread"
    assert setting(printed.stdout, "workers") == "5"
    assert setting(printed.stdout, "timeout") == "30"


def test_a_thread_count_that_is_not_a_number_stops_gunicorn_with_a_clear_message():
    printed = gunicorn_config(GUNICORN_THREADS="lots")

    assert printed.returncode != 0
    assert "GUNICORN_THREADS must be a whole number, not 'lots'" in printed.stderr + printed.stdout
