"""The one place HTML becomes PDF."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

# PDF/UA-1: tagged (headings, tables, lists and reading order a screen reader
# follows), marked, with the document's language from <html lang> and its title from
# <title>, shown by readers in place of the file name.
OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render ``template_name`` (a template under ``templates/pdf/`` extending
    ``pdf/base.html``) with WeasyPrint, as an accessible PDF. Relative URLs in the
    template resolve against the project folder, so a stylesheet or image under
    ``static/`` needs no server."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=f"{settings.BASE_DIR}/").write_pdf(**OPTIONS)
