# The payment schedule's fixture, shared by the page's tests and the background
# download's.
from tests.projects.test_export import schedule  # noqa: F401
