import csv
import io

from rest_framework.renderers import BaseRenderer


class CsvRenderer(BaseRenderer):
    """Lets a list answer ``?format=csv``. The list writes the file itself, through
    the same export as its page's download (``partnership.downloads``); what this
    renders is only a refusal, as a one-column table of what went wrong."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["error"])
        messages = data.values() if isinstance(data, dict) else [data]
        for message in messages:
            for line in message if isinstance(message, list) else [message]:
                writer.writerow([str(line)])
        return out.getvalue().encode(self.charset)
