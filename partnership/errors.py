class PortalError(Exception):
    """A rule of the domain refused a change. The message is written for the user:
    views show it as an error, the API returns it as a 400."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class DeliveryFailed(Exception):
    """A webhook delivery that did not reach its endpoint or was not answered 2xx:
    its task tries again later (partnership.webhooks). Here, not there, because the
    task names it when its module is imported."""
