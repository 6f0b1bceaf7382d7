"""A person's notifications: the list (unread first), opening one, marking them all
read, and the settings page where they choose how each kind is e-mailed. Routed by
``partnership.notification_urls``; nobody may read or mark another's."""

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import notifications
from .form_pages import button, form_page, posted
from .models import Notification
from .notification_forms import NotificationSettingsForm
from .pagination import page_of

PER_PAGE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    # Unread first, newest first (SQLite and PostgreSQL put NULLs at opposite ends
    # unless told), then the ones read, most recently read first.
    rows = Notification.objects.of(request.user).order_by(
        F("read_at").desc(nulls_first=True), "-created_at", "-id"
    )
    return render(
        request,
        "partnership/notification_list.html",
        {"page": page_of(request, rows, per_page=PER_PAGE)},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to the record it is about."""
    notification = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    notifications.notification_open(notification=notification, by=request.user)
    return redirect(notification.url)


@login_required
@require_POST
def notifications_mark_all_read(request: HttpRequest) -> HttpResponse:
    return button(
        request,
        lambda: notifications.notifications_mark_all_read(by=request.user),
        done="All your notifications are marked as read.",
        next_url="notifications:list",
    )


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        posted(request), initial=notifications.notification_choices(request.user)
    )
    return form_page(
        request,
        "partnership/notification_settings.html",
        {"heading": "Notification settings"},
        form,
        act=lambda data: notifications.notification_choices_set(choices=data, by=request.user),
        done="Your notification settings are saved.",
        next_url="notifications:settings",
    )
