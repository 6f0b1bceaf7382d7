"""Pages as a reader sees them, for tests that assert what users see."""

import html
import re


def page_words(response) -> str:
    """The page's words: scripts and tags dropped, entities read, spaces collapsed."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
