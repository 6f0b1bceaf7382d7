"""Asking for a download too large to send at once, as a reader does through HTTP, and
reading back the file written in the background (``partnership.downloads``)."""

from django.urls import reverse

from partnership.models import Download


def ask_in_background(client, url, django_capture_on_commit_callbacks, **filters) -> Download:
    """Open the download link with ``filters``, confirm on the page it shows, and run
    the queued job here: the reader's one download, as it stands after the job."""
    confirm = client.get(url, filters)
    assert confirm.status_code == 200
    assert "Prepare the file" in confirm.content.decode()
    query = f"?{confirm.wsgi_request.GET.urlencode()}" if filters else ""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query)
    download = Download.objects.get()
    assert response.status_code == 302
    assert response["Location"] == download.get_absolute_url()
    download.refresh_from_db()
    return download


def downloaded_file(client, download: Download) -> bytes:
    response = client.get(reverse("downloads:file", args=[download.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)
