"""How every page acts on what a user posts: one service fed by valid forms, or one
button, with the rule a service refuses shown to the user.

``form_page`` is the page with forms: on a valid POST it hands the first form's
cleaned data to one service; a refusal (PortalError) is shown on the field it names,
else on the field ``otherwise``, else above the form; on success a message and a
redirect. Otherwise the page renders with its forms and their GOV.UK error summary,
answering 400 whenever there are errors, so a refused submission is never mistaken
for a success. ``confirm_page`` is a page with no inputs that the user checks before
pressing its one button: a refusal goes in its error summary, linking where it is put
right. ``button`` is a state change behind a single button on another page: a refusal
is shown in a banner on the page it returns to. templates/form_page.html is the page
with one form.
"""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .errors import PortalError
from .form_errors import add_service_error, error_summary
from .held_uploads import hold_uploads

Form = django_forms.Form | django_forms.BaseFormSet
# What a message or a place to go may be: fixed, or made from what the service
# returned.
Message = str | Callable[[Any], str] | None
Place = Any


def posted(request: HttpRequest):
    """The POST data to bind a form to, None on a GET. Unlike ``request.POST or None``
    a POST with nothing ticked is still a submission."""
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *forms: Form,
    act: Callable[[dict], Any],
    done: Message,
    next_url: Place = None,
    otherwise: str | None = None,
) -> HttpResponse:
    """The page with ``forms`` (the first is the one the service's refusal lands on).

    On a POST where every form is valid, ``act(first_form.cleaned_data)`` calls one
    service. If it raises PortalError, the refusal goes on the field it names, else on
    ``otherwise``, else above the form, and the page shows again (400). If not, the
    message ``done`` (or ``done(made)``) is flashed and the user goes to ``next_url``
    (or ``next_url(made)``), else to what the service returned (a model with a URL,
    or a URL)."""
    if request.method == "POST" and _all_valid(forms):
        try:
            made = act(forms[0].cleaned_data)
        except PortalError as error:
            add_service_error(forms[0], error, otherwise=otherwise)
        else:
            return _went(request, made, done, next_url)
    return render_form(request, template, context, *forms)


def render_form(request: HttpRequest, template: str, context: dict, *forms: Form) -> HttpResponse:
    """The page with its forms, the first as ``form`` unless the context names one,
    and their GOV.UK error summary as ``errors``; 400 when there are errors, with the
    files attached to them held (partnership.held_uploads)."""
    errors = error_summary(*forms)
    if errors:
        for form in forms:
            if isinstance(form, django_forms.BaseForm):
                hold_uploads(form)
    context = {"form": forms[0], **context, "errors": errors} if forms else context
    return render(request, template, context, status=400 if errors else 200)


def confirm_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    act: Callable[[], Any],
    done: Message,
    next_url: Place = None,
    link: Callable[[PortalError], str],
) -> HttpResponse:
    """A page to check before pressing its one button. On a POST ``act()`` calls one
    service; a refusal is shown in the error summary (400), linking to ``link(error)``,
    and a success goes on as ``form_page`` does."""
    errors = []
    if request.method == "POST":
        try:
            made = act()
        except PortalError as error:
            errors = [(link(error), error.message)]
        else:
            return _went(request, made, done, next_url)
    return render(request, template, {**context, "errors": errors}, status=400 if errors else 200)


def button(
    request: HttpRequest,
    act: Callable[[], Any],
    *,
    done: Message,
    next_url: Place = None,
    refused_url: Place = None,
) -> HttpResponse:
    """A state change behind a single button: ``act()`` calls one service. A refusal is
    shown in a banner on ``refused_url``, else ``next_url``; a success flashes ``done``
    and goes to ``next_url``, or to what the service returned."""
    try:
        made = act()
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(refused_url or next_url)
    return _went(request, made, done, next_url)


def _all_valid(forms) -> bool:
    # Every form is checked, not only up to the first invalid one, so that the page
    # shows every error at once.
    valid = [form.is_valid() for form in forms]
    return all(valid)


def _went(request: HttpRequest, made: Any, done: Message, next_url: Place) -> HttpResponse:
    """After a success: the message, then the next page."""
    if done is not None:
        messages.success(request, _given(done, made))
    return redirect(_given(next_url, made) or made)


def _given(value, made: Any):
    return value(made) if callable(value) else value
