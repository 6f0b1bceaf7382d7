# The payment schedule's data, for its page and export tests and its background
# download tests alike: a fixture imported into each test module that uses it would be
# read by the linter as an unused import redefined by each test's argument.
from tests.projects.test_export import schedule  # noqa: F401
