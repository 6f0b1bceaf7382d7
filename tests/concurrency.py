"""Run callables at the same moment on separate database connections, to prove that
row locks keep two requests from both passing a check. PostgreSQL only: SQLite
serialises whole-database writes, so it cannot show the race."""

import threading

import pytest
from django.db import connection, connections

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locking is proven on PostgreSQL"
)


def run_together(*calls) -> list:
    """Start every call at once; return each one's result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
