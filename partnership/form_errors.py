"""Errors on forms, shown the same way on every form page: a service's refusal put on
the field it is about, and the GOV.UK error summary's list, where each error links to
the input it is about, so that following the link puts the cursor there.
templates/includes/error_summary.html shows it."""

from functools import partial

from django import forms

from .errors import PortalError


def add_service_error(
    form: forms.Form | forms.BaseFormSet, error: PortalError, *, otherwise: str | None = None
) -> None:
    """Show a service's refusal on the field it names, else on the field ``otherwise``,
    else above the form. A formset shows it above its rows."""
    if isinstance(form, forms.BaseFormSet):
        # Formsets have no add_error; non_form_errors() is the list the page shows.
        form.non_form_errors().append(error.message)
        return
    form.add_error(error.field if error.field in form.fields else otherwise, error.message)


def error_summary(*forms_and_formsets) -> list[tuple[str, str]]:
    """Every error on the page as (link to the input to jump to, message), in the order
    the fields appear. Errors that belong to no field point at the form's first field.

    A formset with a ``row_name`` names the row each error is in ("Saving 2: ..."); one
    with ``error_label(row, number, field)`` names the input itself ("2011/12 Q2 actual
    spend: ..."; ``field`` is None for an error on the whole row)."""
    items = []
    for form in forms_and_formsets:
        if isinstance(form, forms.BaseFormSet):
            items += _formset_errors(form)
        else:
            items += _form_errors(form)
    return items


def _formset_errors(formset: forms.BaseFormSet) -> list[tuple[str, str]]:
    first = next(iter(formset.forms), None)
    items = [(_href(first, None), error) for error in formset.non_form_errors()]
    for number, row in enumerate(formset.forms, start=1):
        items += _form_errors(row, partial(_row_label, formset, row, number))
    return items


def _row_label(formset, row, number: int, field) -> str:
    """What the summary puts before an error in a formset's row, if anything."""
    if hasattr(formset, "error_label"):
        return formset.error_label(row, number, field)
    row_name = getattr(formset, "row_name", None)
    return f"{row_name} {number}" if row_name else ""


def _form_errors(form: forms.Form, label=None) -> list[tuple[str, str]]:
    """``label(field)``, when given, names the input before each message."""

    def line(field, error) -> str:
        name = label(field) if label else ""
        return f"{name}: {error}" if name else error

    items = [(_href(form, None), line(None, error)) for error in form.non_field_errors()]
    for field in form.visible_fields():
        items += [(_href(form, field), line(field, error)) for error in field.errors]
    return items


def _href(form, field) -> str:
    if form is None:
        return ""
    if field is None:
        field = next(iter(form.visible_fields()), None)
        if field is None:
            return ""
    widget = field.field.widget
    # The GOV.UK templates number radios and checkboxes from 1, but radios that reveal
    # further questions from 0; the day of a date is its first input.
    if field.name in getattr(form, "conditional_radios", ()):
        return f"#id_{field.html_name}_0"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"#id_{field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"#{field.auto_id}_0"
    return f"#{field.auto_id}"
