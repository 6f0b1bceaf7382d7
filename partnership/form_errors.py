"""Errors on forms, shown the same way on every form page: a service's refusal put on
the field it is about, and the GOV.UK error summary's list, where each error links to
the input it is about, so that following the link puts the cursor there.
templates/includes/error_summary.html shows it."""

from django import forms

from .errors import PortalError


def add_service_error(
    form: forms.Form, error: PortalError, *, otherwise: str | None = None
) -> None:
    """Show a service's refusal on the field it names, else on the field ``otherwise``,
    else above the form."""
    form.add_error(error.field if error.field in form.fields else otherwise, error.message)


def error_summary(*forms_and_formsets, prefix: str = "") -> list[tuple[str, str]]:
    """Every error on the page as (link to the input to jump to, message), in the order
    the fields appear. Errors that belong to no field point at the form's first field.
    A formset with a ``row_name`` names the row each error is in ("Saving 2: ...")."""
    items = []
    for form in forms_and_formsets:
        if isinstance(form, forms.BaseFormSet):
            first = next(iter(form.forms), None)
            items += [(_href(first, None), prefix + error) for error in form.non_form_errors()]
            row_name = getattr(form, "row_name", None)
            for number, row in enumerate(form.forms, start=1):
                items += error_summary(
                    row, prefix=f"{prefix}{row_name} {number}: " if row_name else prefix
                )
            continue
        items += [(_href(form, None), prefix + error) for error in form.non_field_errors()]
        for field in form.visible_fields():
            items += [(_href(form, field), prefix + error) for error in field.errors]
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
