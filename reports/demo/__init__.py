"""Demo data: the East Midlands and Lancashire partnerships of the seed documents,
loaded from ``fixtures/`` (see ``fixtures/README.md``), and one demo user per role.

``load_demo`` is what ``manage.py load_demo`` runs. Every step adds what is missing and
leaves alone what is already there, so loading twice gives the same data.
"""

from .loader import load_demo

__all__ = ["load_demo"]
