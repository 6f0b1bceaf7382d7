"""What every admin page of the portal shares: rows scoped to the user's roles,
permissions answered by the rules in each app's ``permissions.py``, and the audit
history django-simple-history keeps (who changed what, when).

Each app's ``admin.py`` builds on :class:`PortalAdmin` and :class:`PortalInline`, and
on the column helpers :func:`money` and :func:`financial_year`.
"""

import inspect
from collections.abc import Callable, Sequence

from django import forms
from django.contrib import admin
from django.contrib.admin.sites import NotRegistered
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .errors import PortalError
from .financial_years import label
from .templatetags.portal import gbp


def allows(request, verb: str, model, obj=None) -> bool:
    """Ask the rule registered for ``model`` and ``verb`` (``projects.change_project``).
    Without an object, the rule says whether the user may do it to some row."""
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(verb, opts)}", obj)


def has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def stamped_form(form_class, field: str, user):
    """``form_class`` recording ``user`` in ``field`` on a new row: a scorer, the
    author of a bid. The admin shows the field read-only, so nobody can name
    someone else."""

    class StampedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance._state.adding:
                setattr(self.instance, field, user)

        def _get_validation_exclusions(self):
            # Django skips the constraints of fields missing from the form, which
            # would leave "one score per scorer" to fail in the database instead.
            return super()._get_validation_exclusions() - {field}

    return StampedForm


class _Rehearsed(Exception):
    """Undoes a rehearsal of a service."""


class ServiceForm(forms.ModelForm):
    """The admin's form for rows a service writes. ``clean()`` rehearses the service
    with the form's values and undoes it, so a refusal shows on the form, on the field
    it names; :meth:`PortalAdmin.save_model` then calls it for real. Made by
    :func:`service_form`."""

    service: Callable
    change_service: Callable | None = None
    row_argument: str = ""
    service_fields: Sequence[str] = ()

    def write(self, *, by):
        """Make the row with ``service``, or change it with ``change_service`` when
        there is one, each given the fields it takes."""
        if self.instance.pk is None or self.change_service is None:
            return self.service(**self._arguments_of(self.service), by=by)
        row = {self.row_argument: self.instance}
        return self.change_service(**row, **self._arguments_of(self.change_service), by=by)

    def _arguments_of(self, service: Callable) -> dict:
        taken = inspect.signature(service).parameters
        takes_any = any(taken[name].kind is inspect.Parameter.VAR_KEYWORD for name in taken)
        return {
            name: self._value(name) for name in self.service_fields if takes_any or name in taken
        }

    def _value(self, name: str):
        if name not in self.cleaned_data:
            # A field shown read-only (fixed after creation) keeps the row's own value.
            return getattr(self.instance, name)
        value = self.cleaned_data[name]
        # A file input's "clear" box gives False, which a model stores as no file.
        return "" if value is False and isinstance(self.fields[name], forms.FileField) else value

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            with transaction.atomic():
                self.write(by=None)
                raise _Rehearsed
        except _Rehearsed:
            pass
        except PortalError as error:
            field = error.field if error.field in self.fields else None
            raise ValidationError({field: error.message} if field else error.message) from error
        return cleaned


def service_form(
    service: Callable,
    fields: Sequence[str],
    *,
    change: Callable | None = None,
    row: str = "",
) -> type[ServiceForm]:
    """A :class:`ServiceForm` making rows with ``service(**fields, by=user)`` and, given
    ``change``, changing one with ``change(<row>=the_row, **fields, by=user)``."""
    return type(
        "ServiceForm",
        (ServiceForm,),
        {
            "service": staticmethod(service),
            "change_service": staticmethod(change) if change else None,
            "row_argument": row,
            "service_fields": tuple(fields),
        },
    )


class ScopedChoicesMixin:
    """A drop-down of related rows lists only those the user may see, as that
    model's own admin page would, naming each row with the same joins as that page's
    list (a budget line's name includes its programme's)."""

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        try:
            related_admin = self.admin_site.get_model_admin(db_field.remote_field.model)
        except NotRegistered:
            return queryset
        if not isinstance(related_admin, PortalAdmin):
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        joins = related_admin.list_select_related
        if joins is True:
            queryset = queryset.select_related()
        elif joins:
            queryset = queryset.select_related(*joins)
        return related_admin.visible(queryset, request)


class PortalAdmin(ScopedChoicesMixin, SimpleHistoryAdmin):
    """The base of every ModelAdmin in the portal.

    Rows are those ``visible_to(request.user)`` on the model's queryset or, for a
    model without one, on its parent's, named by ``visible_via`` (``"meeting"`` for
    an agenda item). ``visible_to_all`` marks models whose every row anyone allowed
    to view the model may see (organisations are public bodies).

    ``fixed_after_creation`` lists fields set when a row is added that only a
    service changes afterwards (a project's grant is a commitment in the ledger).
    ``recorded_by_field`` is stamped with the signed-in user on a new row.

    The services own status and money, so the admin never writes past them:
    ``editable = False`` shows a model read-only (its rows are made and moved only
    by services, in the portal's pages); ``addable = False`` and ``deletable =
    False`` refuse adding or deleting rows that a service makes or the ledger
    depends on; :meth:`is_settled` names the rows a lifecycle has moved past
    editing (submitted, decided, paid, certified), which are then read-only and
    never deleted, with every inline on their page. A model whose rows a service
    writes takes ``form = service_form(service, fields)``: its add and change pages
    call the services.
    """

    visible_via: str | None = None
    visible_to_all: bool = False
    fixed_after_creation: tuple[str, ...] = ()
    recorded_by_field: str | None = None
    editable: bool = True
    addable: bool = True
    deletable: bool = True
    list_per_page = 50

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if not has_history(model):
            # Django's own log of admin changes is the history of such a model.
            self.object_history_template = None

    # Rows

    def visible(self, queryset, request):
        """The rows of ``queryset`` the user may see: this page's list, and the
        choices other pages offer for a link to this model."""
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        if self.visible_via:
            parent = queryset.model._meta.get_field(self.visible_via).related_model
            parents = parent._default_manager.visible_to(request.user)
            return queryset.filter(**{f"{self.visible_via}__in": parents})
        if self.visible_to_all:
            return queryset
        raise ImproperlyConfigured(
            f"{type(self).__name__}: {queryset.model.__name__} has no visible_to(); "
            "set visible_via to its parent, or visible_to_all"
        )

    def get_queryset(self, request):
        return self.visible(super().get_queryset(request), request)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect, saying the row may have been deleted; a row
            # outside the user's scope is not found, as on the portal's pages.
            raise Http404(f"No {self.opts.verbose_name} matches that id.")
        return obj

    # Permissions

    def has_view_permission(self, request, obj=None):
        return allows(request, "view", self.model, obj)

    def is_settled(self, obj) -> bool:
        """True for a row its lifecycle has moved past editing."""
        return False

    def has_change_permission(self, request, obj=None):
        if not self.editable or (obj is not None and self.is_settled(obj)):
            return False
        return allows(request, "change", self.model, obj)

    def has_add_permission(self, request):
        return self.editable and self.addable and allows(request, "add", self.model)

    def has_delete_permission(self, request, obj=None):
        if not (self.editable and self.deletable) or (obj is not None and self.is_settled(obj)):
            return False
        return allows(request, "delete", self.model, obj)

    def has_module_permission(self, request):
        return self.has_view_or_change_permission(request)

    def get_actions(self, request):
        # Deleting in bulk would skip the per-row check of is_settled.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # Forms

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + self.fixed_after_creation if obj is not None else readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, ServiceForm) and set(form.base_fields) - set(form.service_fields):
            # The service would never see what was typed into such a field.
            raise ImproperlyConfigured(
                f"{type(self).__name__}: the service is not given "
                f"{sorted(set(form.base_fields) - set(form.service_fields))}"
            )
        if self.recorded_by_field and obj is None:
            return stamped_form(form, self.recorded_by_field, request.user)
        return form

    def save_model(self, request, obj, form, change):
        if not isinstance(form, ServiceForm):
            return super().save_model(request, obj, form, change)
        made = form.write(by=request.user)
        obj.pk = made.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if not isinstance(form, ServiceForm):
            return super().save_related(request, form, formsets, change)
        # The service wrote the row's many-to-many fields itself; the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # History

    def history_view(self, request, object_id, extra_context=None):
        if not has_history(self.model):
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, to read. Reverting would bypass the services that move
        statuses and money, so the page takes no POST."""
        if request.method != "GET":
            raise PermissionDenied
        if not has_history(self.model):
            # The page's address exists for every model; only some keep past versions.
            raise Http404(f"No past versions are kept of a {self.opts.verbose_name}.")
        self.get_object(request, unquote(object_id))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True


class PortalInline(ScopedChoicesMixin, admin.TabularInline):
    """Rows shown inside their parent's page. The rules judge a child by its parent
    (``via(can_change_meeting, ...)``), so the inline asks them about an unsaved row
    of the parent being edited. ``editable = False`` shows the rows read-only;
    ``recorded_by_field`` is stamped with the signed-in user on a new row."""

    extra = 0
    show_change_link = True
    editable = True
    recorded_by_field: str | None = None

    def row_for_rules(self, parent):
        """An unsaved row of ``parent``, for the rules to judge."""
        if parent is None:
            return None
        field = self.fk_name or next(
            field.name
            for field in self.model._meta.fields
            if field.remote_field and field.related_model is self.parent_model
        )
        return self.model(**{field: parent})

    def _allows(self, request, verb: str, parent) -> bool:
        return allows(request, verb, self.model, self.row_for_rules(parent))

    def _editable_in(self, parent) -> bool:
        """Rows of a settled parent (a certified return's entries) are settled too."""
        if not self.editable or parent is None:
            return self.editable
        parent_admin = self.admin_site.get_model_admin(self.parent_model)
        return not (isinstance(parent_admin, PortalAdmin) and parent_admin.is_settled(parent))

    def has_view_permission(self, request, obj=None):
        return self._allows(request, "view", obj)

    def has_change_permission(self, request, obj=None):
        return self._editable_in(obj) and self._allows(request, "change", obj)

    def has_add_permission(self, request, obj):
        return self._editable_in(obj) and self._allows(request, "add", obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable_in(obj) and self._allows(request, "delete", obj)

    def get_formset(self, request, obj=None, **kwargs):
        if self.recorded_by_field:
            kwargs["form"] = stamped_form(self.form, self.recorded_by_field, request.user)
        return super().get_formset(request, obj, **kwargs)


def money(field: str, description: str | None = None, *, sortable: bool = True):
    """A column or read-only field showing ``field`` (a model field, an annotation
    or a property) as the board papers write money: ``£1,234,567``."""

    @admin.display(
        description=description or field.replace("_", " "),
        ordering=field if sortable else None,
    )
    def show(obj):
        value = getattr(obj, field)
        return None if value is None else gbp(value)

    show.__name__ = field
    return show


def financial_year(field: str = "financial_year"):
    """A column showing a stored financial year as ``2010/11``."""

    @admin.display(description="financial year", ordering=field)
    def show(obj):
        return label(getattr(obj, field)) or None

    show.__name__ = field
    return show


class FinancialYearFilter(admin.SimpleListFilter):
    """Filter by financial year, offering the years the user's rows fall in,
    labelled as the papers write them (2010/11)."""

    title = "financial year"
    parameter_name = "financial_year"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .exclude(financial_year=None)
            .order_by("-financial_year")
            .values_list("financial_year", flat=True)
            .distinct()
        )
        return [(year, label(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(financial_year=self.value())
        return queryset
