"""Reading a page's GOV.UK error summary as a user meets it: each message with the link
it carries, and whether the link lands on an input of the page."""

from html.parser import HTMLParser

FIELDS = {"input", "select", "textarea"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.field_ids: set[str] = set()
        self.in_summary = False
        self.href: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in FIELDS and attrs.get("id") and attrs.get("type") != "hidden":
            self.field_ids.add(attrs["id"])
        if tag == "ul" and "govuk-error-summary__list" in (attrs.get("class") or ""):
            self.in_summary = True
        elif tag == "a" and self.in_summary:
            self.href, self.text = attrs.get("href", ""), []

    def handle_data(self, data):
        if self.href is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            self.links.append((self.href, " ".join("".join(self.text).split())))
            self.href = None
        elif tag == "ul":
            self.in_summary = False


def _read(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def summary_links(page: str) -> list[tuple[str, str]]:
    """The summary's messages, each as (link, message)."""
    return _read(page).links


def field_ids(page: str) -> set[str]:
    """The ids of the inputs a user can type in, choose or tick on the page."""
    return _read(page).field_ids


def lands_on_a_field(page: str, href: str) -> bool:
    """Whether following the summary link ``#id`` puts the cursor in an input."""
    return href.startswith("#") and href[1:] in field_ids(page)
