"""The permission matrix (ADR 0020): every URL pattern of the portal, its pages, API,
admin and downloads, asked for by every demo role and an anonymous visitor, with ids
of the demo partnerships' records. Each answer must be what the README's "Roles"
table says (``tests/permissions/matrix.py`` writes it down): the allowed are served,
the rest refused, a refused post changes nothing, and nothing answers a server error.
"""

import datetime
import io
import re
import traceback
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bids.models import Bid, BiddingRound, Criterion, InterestDeclaration, Score
from partnership.admin_base import has_history
from partnership.api_tokens import api_token_create
from partnership.models import (
    Action,
    AgendaItem,
    ApiToken,
    Decision,
    Download,
    Meeting,
    Notification,
    Organisation,
    Partnership,
    SubRegion,
    WebhookDelivery,
    WebhookEndpoint,
)
from programmes.models import BudgetLine, FundingSource, LedgerEntry, Programme
from projects.models import (
    ChangeRequest,
    Clawback,
    GrantPayment,
    Milestone,
    MilestoneEvidence,
    MilestoneReprofile,
    ProgressReport,
    Project,
    ProjectClosure,
    ProjectRisk,
    Repayment,
)
from reports.models import BoardPack
from savings.models import (
    Agreement,
    ForecastReturn,
    OtherBenefit,
    SavingsEntry,
    SavingsReturn,
    SavingsTarget,
)
from tests.factories import programme_agreement

from .matrix import ADMIN_MODELS, ANONYMOUS, EXPECTED, ROLES, SEEN_BY, SUPPORT, AdminRule, Rule

pytestmark = pytest.mark.django_db

SIGN_IN = ("/accounts/login/", "/admin/login/")
PDF = b"%PDF-1.4 a paper"
# Apps whose tables a refused post must leave as they were (their history tables too).
PORTAL_APPS = ("partnership", "programmes", "bids", "projects", "savings", "reports")


# The URL patterns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name, or the route of a pattern without one
    name: str | None
    route: str
    params: tuple[str, ...]  # named path parameters
    positional: int  # unnamed regex groups (the admin's history of one version)


def patterns(resolver=None, prefix="", namespace="", groups=()) -> list[Pattern]:
    """Every URL pattern of the portal, walked from the root URLconf."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        regex = entry.pattern.regex
        here = groups + ((tuple(regex.groupindex), regex.groups - len(regex.groupindex)),)
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += patterns(entry, route, inner, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            params = tuple(p for named, _ in here for p in named)
            found.append(Pattern(name or route, name, route, params, sum(n for _, n in here)))
    return found


def admin_rules() -> dict[str, Rule]:
    """The admin's pages of each registered model, with the rule each follows from
    the model's entry in ADMIN_MODELS."""
    expected = {}
    for model in admin.site._registry:
        rule = ADMIN_MODELS.get(model._meta.label_lower)
        if rule is None:
            continue
        on = f"admin {model._meta.label_lower}"
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        expected |= {
            f"{prefix}_changelist": Rule(
                get=rule.listed or rule.view, post=rule.listed or rule.view
            ),
            f"{prefix}_add": Rule(get=rule.add, post=rule.add),
            f"{prefix}_change": Rule(get=rule.view, post=rule.change, on=on),
            f"{prefix}_history": Rule(get=rule.view, on=on),
            f"{prefix}_delete": Rule(get=rule.delete, post=rule.delete, on=on),
            # A past version is read there, never reverted to; a model without a
            # history has none to find.
            f"{prefix}_simple_history": Rule(
                get=rule.view if has_history(model) else frozenset(), post=frozenset(), on=on
            ),
            # Django's old address of a row, sent on to its change page.
            f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/": Rule(
                get=SUPPORT, on=on, redirects=True
            ),
        }
    return expected


def every_rule() -> dict[str, Rule | tuple[Rule, ...]]:
    return {**EXPECTED, **admin_rules()}


def suggestion(pattern: Pattern) -> str:
    """What to add to matrix.py for a pattern without an entry."""
    for model in admin.site._registry:
        if model._meta.label_lower not in ADMIN_MODELS and pattern.key.startswith(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        ):
            return f'add to ADMIN_MODELS   "{model._meta.label_lower}": AdminRule(view=..., ...),'
    on = ', on="<a subject of _subjects() in test_matrix.py>"' if pattern.params else ""
    return f'add to EXPECTED   "{pattern.key}": page(<who opens it>, <who posts, or None>{on}),'


def test_every_url_pattern_is_classified():
    """A new URL must be given its row: who may open it and who may post to it."""
    rules = every_rule()
    unclassified = [
        f"/{pattern.route} is not classified in tests/permissions/matrix.py: {suggestion(pattern)}"
        for pattern in patterns()
        if pattern.key not in rules
    ]
    unregistered = [
        f"ADMIN_MODELS has {label!r}, which the admin does not register: remove it"
        for label in ADMIN_MODELS
        if label not in {model._meta.label_lower for model in admin.site._registry}
    ]
    stale = [
        f"EXPECTED has {key!r}, which no URL pattern is named: rename or remove it"
        for key in set(EXPECTED) - {pattern.key for pattern in patterns()}
    ]
    assert not unclassified + unregistered + stale, "\n".join(unclassified + unregistered + stale)


# The demo records the ids come from -----------------------------------------------------


def _one(queryset):
    row = queryset.order_by("pk").first()
    assert row is not None, f"the demo data has no {queryset.model._meta.verbose_name}"
    return row


def _add_records(users) -> None:
    """The records the demo data does not make but whose pages need an id: North
    Kesteven's draft bid, progress report, risk, change request, evidence, returns and
    targets, a board pack and a person's download and notification. Written directly:
    only their pages are under test here."""
    officer = users["officer-north-kesteven"]
    council = Organisation.objects.get(name="North Kesteven District Council")
    project = _one(Project.objects.filter(lead_organisation=council))
    milestone, achieved = Milestone.objects.filter(project=project).order_by("pk")[:2]
    Milestone.objects.filter(pk=achieved.pk).update(
        status=Milestone.Status.ACHIEVED, achieved_on=datetime.date(2011, 9, 1), achieved_by=officer
    )
    MilestoneEvidence.objects.create(
        milestone=achieved, file=ContentFile(PDF, name="evidence.pdf"), added_by=officer
    )
    MilestoneReprofile.objects.create(
        milestone=milestone,
        previous_forecast_on=datetime.date(2011, 9, 30),
        new_forecast_on=datetime.date(2011, 12, 31),
        reason="Supplier delay",
        by=officer,
    )
    submitted = _one(Bid.objects.filter(sponsor=council, status=Bid.Status.SUBMITTED))
    draft = Bid.objects.get(pk=submitted.pk)
    draft.pk = draft.id = None
    draft.number = Bid.objects.order_by("-number").values_list("number", flat=True)[0] + 1
    draft.status = Bid.Status.DRAFT
    draft.save()
    submitted.business_case.save("case.pdf", ContentFile(PDF), save=True)
    criterion = submitted.bidding_round.criteria.order_by("pk").first()
    Score.objects.create(bid=submitted, criterion=criterion, scorer=users["manager"], points=3)
    InterestDeclaration.objects.create(bid=submitted, user=users["board"])
    ProgressReport.objects.create(project=project, financial_year=2011, quarter=2, rag="green")
    ProjectRisk.objects.create(
        project=project, risk="Supplier fails", likelihood=2, impact=3, owner="Head of ICT"
    )
    ChangeRequest.objects.create(
        project=project,
        kind="end_date",
        reason="Late start",
        requested_by=officer,
        new_ends_on=datetime.date(2013, 3, 31),
    )
    Repayment.objects.create(
        project=project, due_on=datetime.date(2012, 3, 31), amount=Decimal("1000.00")
    )
    Clawback.objects.create(
        project=project,
        amount=Decimal("500.00"),
        reason="Underspend",
        demanded_on=datetime.date(2012, 4, 30),
    )
    leicester = _one(Project.objects.filter(lead_organisation__name="Leicester City Council"))
    ProjectClosure.objects.create(
        project=leicester,
        closed_on=datetime.date(2012, 3, 31),
        delivered="All of it",
        savings_realised=Decimal("0"),
        lessons_learnt="None",
        closed_by=users["manager"],
    )
    SavingsReturn.objects.create(
        organisation=council,
        financial_year=2011,
        quarter=1,
        version=1,
        status=SavingsReturn.Status.AWAITING_SIGN_OFF,
        submitted_by=officer,
        submitted_at=timezone.now(),
    )
    SavingsReturn.objects.create(
        organisation=council,
        financial_year=2011,
        quarter=2,
        version=0,
        status=SavingsReturn.Status.DRAFT,
        draft={"source": "form", "rows": []},
        revision=1,
    )
    SavingsTarget.objects.create(
        agreement=programme_agreement(council),
        organisation=council,
        financial_year=2011,
        basis="amount",
        amount=Decimal("100000"),
    )
    ForecastReturn.objects.create(
        organisation=council,
        financial_year=2011,
        rag="green",
        returned_on=datetime.date(2011, 6, 30),
    )
    OtherBenefit.objects.create(project=project, unit="hours", quantity=Decimal("120"))
    meeting = _one(Meeting.objects.all())
    item = _one(AgendaItem.objects.filter(meeting=meeting))
    item.report.save("report.pdf", ContentFile(PDF), save=True)
    BoardPack.objects.create(
        meeting=meeting,
        requested_by=users["manager"],
        status=BoardPack.Status.DONE,
        finished_at=timezone.now(),
        file=ContentFile(PDF, name="pack.pdf"),
    )
    Download.objects.create(
        requested_by=officer,
        export="projects.payment_schedule",
        title="Grant payment schedule",
        file_format=Download.Format.CSV,
        status=Download.Status.DONE,
        finished_at=timezone.now(),
        file=ContentFile(b"a,b\n", name="schedule.csv"),
    )
    Notification.objects.create(
        recipient=officer,
        event="milestone_verified",
        text="A milestone was verified",
        url=reverse("projects:project-detail", args=[project.pk]),
        delivery="none",
    )
    api_token_create(name="Council dashboard", scope=ApiToken.Scope.READ, by=officer)
    endpoint = WebhookEndpoint.objects.create(
        partnership=Partnership.objects.get(short_name="EM IEP"),
        url="https://systems.example.org/portal-events",
        events=["milestone_verified"],
        secret="a-secret",
        created_by=users["manager"],
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="milestone_verified", payload={"event": "milestone_verified"}
    )
    _add_library_records(users["admin"])


def _add_library_records(administrator) -> None:
    """A row of each library model the admin lists, for its change pages."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    Group.objects.create(name="Board papers")
    every_day = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    PeriodicTask.objects.create(name="A demo task", task="demo.task", interval=every_day)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    CrontabSchedule.objects.create(minute="0", hour="7")
    SolarSchedule.objects.create(event="sunrise", latitude=53.0, longitude=-0.5)
    TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=administrator, name="Recovery codes", confirmed=True)
    attempt = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "test"}
    AccessAttempt.objects.create(**attempt, failures_since_start=1)
    AccessLog.objects.create(**attempt)
    AccessFailureLog.objects.create(**attempt)


def _subjects() -> dict[str, dict]:
    """The path parameters of each demo object a rule names with ``on``."""
    em_iep = Partnership.objects.get(short_name="EM IEP")
    lancashire = Partnership.objects.get(short_name="Team Lancashire")
    council = Organisation.objects.get(name="North Kesteven District Council")
    project = _one(Project.objects.filter(lead_organisation=council))
    milestones = Milestone.objects.filter(project=project)
    meeting = _one(Meeting.objects.filter(partnership=em_iep))
    bidding_round = _one(BiddingRound.objects.all())
    report = _one(ProgressReport.objects.filter(project=project))
    returns = SavingsReturn.objects.filter(organisation=council)
    draft_return = _one(returns.filter(status=SavingsReturn.Status.DRAFT))

    def pk(queryset):
        return {"pk": _one(queryset).pk}

    subjects = {
        "north kesteven": {"pk": council.pk},
        "em iep": {"pk": em_iep.pk, "slug": em_iep.slug},
        "team lancashire": {"pk": lancashire.pk, "slug": lancashire.slug},
        "em iep sub-region": pk(SubRegion.objects.filter(partnership=em_iep)),
        "team lancashire sub-region": pk(SubRegion.objects.filter(partnership=lancashire)),
        "em iep programme": pk(Programme.objects.filter(partnership=em_iep)),
        "team lancashire programme": pk(Programme.objects.filter(partnership=lancashire)),
        "em iep budget line": pk(BudgetLine.objects.filter(programme__partnership=em_iep)),
        "team lancashire budget line": pk(
            BudgetLine.objects.filter(programme__partnership=lancashire)
        ),
        "ledger entry": pk(LedgerEntry.objects.filter(programme__partnership=em_iep)),
        "meeting": {"pk": meeting.pk, "meeting_pk": meeting.pk},
        "agenda item": pk(AgendaItem.objects.exclude(report="")),
        "decision": pk(Decision.objects.filter(meeting__partnership=em_iep)),
        "action": pk(Action.objects.filter(meeting__partnership=em_iep)),
        "download": pk(Download.objects.all()),
        "notification": pk(Notification.objects.all()),
        "round": {"pk": bidding_round.pk, "round_pk": bidding_round.pk},
        "submitted bid": pk(Bid.objects.filter(sponsor=council, status=Bid.Status.SUBMITTED)),
        "draft bid": pk(Bid.objects.filter(sponsor=council, status=Bid.Status.DRAFT)),
        "project": {"pk": project.pk},
        "milestone": pk(milestones.filter(status=Milestone.Status.PLANNED)),
        "achieved milestone": pk(milestones.filter(status=Milestone.Status.ACHIEVED)),
        "evidence": pk(MilestoneEvidence.objects.all()),
        "payment": pk(GrantPayment.objects.filter(project=project)),
        "progress report": {"pk": report.pk},
        "progress report quarter": {
            "pk": project.pk,
            "year": report.financial_year,
            "quarter": report.quarter,
        },
        "risk": pk(ProjectRisk.objects.all()),
        "change request": pk(ChangeRequest.objects.all()),
        "repayment": pk(Repayment.objects.all()),
        "clawback": pk(Clawback.objects.all()),
        "submitted return": pk(returns.filter(status=SavingsReturn.Status.AWAITING_SIGN_OFF)),
        "draft return": {"pk": draft_return.pk},
        "draft return quarter": {
            "pk": council.pk,
            "year": draft_return.financial_year,
            "quarter": draft_return.quarter,
        },
        # The demo's entries are of county councils: Nottinghamshire's officer reads this.
        "savings entry": pk(
            SavingsEntry.objects.filter(organisation__name="Nottinghamshire County Council")
        ),
        "savings target": pk(SavingsTarget.objects.filter(organisation=council)),
        "agreement": pk(Agreement.objects.filter(partnership=em_iep)),
        "webhook endpoint": pk(WebhookEndpoint.objects.all()),
        "api token": pk(ApiToken.objects.filter(user__username="officer-north-kesteven")),
        "funding source": pk(FundingSource.objects.filter(programme__partnership=em_iep)),
        "criterion": pk(
            Criterion.objects.filter(bidding_round__budget_line__programme__partnership=em_iep)
        ),
        "forecast return": pk(ForecastReturn.objects.all()),
        "board pack": pk(BoardPack.objects.all()),
        "summary table": {"table": "organisations"},
        "chart": {"chart": "spend-by-programme"},
        "admin app": {"app_label": "projects"},
        "admin project": {
            "content_type_id": ContentType.objects.get_for_model(Project).pk,
            "object_id": project.pk,
        },
        "admin totp device": {"pk": _one(apps.get_model("otp_totp", "TOTPDevice").objects).pk},
        "admin missing page": {"url": "no-such-page/"},
    }
    for model in admin.site._registry:
        label = model._meta.label_lower
        rule = ADMIN_MODELS.get(label, AdminRule(view=frozenset()))
        row = (
            model._default_manager.get(pk=subjects[rule.on]["pk"])
            if rule.on
            else _one(model._default_manager.all())
        )
        # A model without a history still has the page of a past version: it finds none.
        version = 0
        if has_history(model):
            history = getattr(model, model._meta.simple_history_manager_attribute)
            version = history.filter(id=row.pk).first().pk
        subjects[f"admin {label}"] = {
            "object_id": row.pk,
            "id": row.pk,
            "history": (row.pk, version),
        }
    return subjects


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo partnerships, their people and the records added above, loaded once for
    every role, with their files in a folder of the module's own; removed afterwards.
    Yields the ids of each subject."""
    files = tmp_path_factory.mktemp("private")
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PRIVATE_STORAGE_ROOT=files):
        call_command("load_demo", stdout=io.StringIO())
        users = {user.username: user for user in get_user_model().objects.all()}
        _add_records(users)
        yield files, _subjects()
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def _private_files_in_tmp(settings, demo):
    """The demo's files, where the module's fixture wrote them (overrides conftest's)."""
    settings.PRIVATE_STORAGE_ROOT = demo[0]


# The cells -----------------------------------------------------------------------------


def path_of(pattern: Pattern, values: dict) -> str:
    if pattern.name is None:  # the admin's unnamed addresses
        if "url" in pattern.params:
            return "/admin/" + values["url"]
        return "/" + re.sub(r"<(?:\w+:)?\w+>", str(values["object_id"]), pattern.route)
    if pattern.positional:
        return reverse(pattern.name, args=values["history"])
    kwargs = {
        name: values.get(name, "json" if name == "format" else None) for name in pattern.params
    }
    missing = [name for name, value in kwargs.items() if value is None]
    assert not missing, f"{pattern.key}: its subject gives no {missing}"
    return reverse(pattern.name, kwargs=kwargs)


def cells(subjects) -> list[tuple[str, str, Rule]]:
    """(what, path, rule) for every URL pattern and each rule of its entry."""
    rules = every_rule()
    found = []
    for pattern in patterns():
        entry = rules.get(pattern.key)
        if entry is None:
            continue  # test_every_url_pattern_is_classified names it
        for rule in entry if isinstance(entry, tuple) else (entry,):
            values = subjects[rule.on] if rule.on else {}
            label = f"{pattern.key} on {rule.on}" if rule.on else pattern.key
            found.append((label, path_of(pattern, values), rule))
    return found


def row_counts() -> tuple[int, ...]:
    """The number of rows of every table of the portal's apps, in one query."""
    tables = [
        model._meta.db_table
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models()
    ]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def verdict(response) -> str:
    """served, redirected (on to a page, not to sign in), refused or a server error."""
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    if code in (401, 403, 404, 405):
        return "refused"
    if 300 <= code < 400:
        target = urlsplit(response["Location"]).path
        return "refused" if target in SIGN_IN else "redirected"
    return "served"


def ask(client, method: str, path: str, check_unchanged: tuple | None):
    """Send one request in a transaction undone afterwards, so no cell sees what
    another wrote. Answers the verdict and the status, and whether rows changed."""
    with transaction.atomic():
        try:
            response = getattr(client, method)(path)
        except Exception as error:  # a server error raised through the test client
            summary = traceback.format_exception_only(error)[-1].strip()
            transaction.set_rollback(True)
            return f"server error: {summary}", None, False
        changed = check_unchanged is not None and row_counts() != check_unchanged
        transaction.set_rollback(True)
    return verdict(response), response.status_code, changed


def hidden(rule: Rule, role: str) -> bool:
    """Whether the rule's object is one the signed-in role may not see at all."""
    return role != ANONYMOUS and rule.on in SEEN_BY and role not in SEEN_BY[rule.on]


def session_of(client) -> str | None:
    cookie = client.cookies.get("sessionid")
    return cookie.value if cookie else None


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_served_exactly_what_the_roles_table_allows(client, demo, role):
    _files, subjects = demo
    if role != ANONYMOUS:
        user = get_user_model().objects.get(username=role)
        client.force_login(user)
    session = session_of(client)
    before = row_counts()
    failures = []
    for what, path, rule in cells(subjects):
        for method, allowed in (("get", rule.get), ("post", rule.post)):
            if allowed is None:
                continue
            may = role in allowed
            result, code, changed = ask(client, method, path, None if may else before)
            cell = f"{role} {method.upper()} {path} ({what})"
            if result.startswith("server error"):
                failures.append(f"{cell}: {result}")
            elif (
                may
                and method == "get"
                and not rule.button
                and not (
                    result == "served" and code == 200 or rule.redirects and result == "redirected"
                )
            ):
                failures.append(f"{cell}: should open, but answered {code} ({result})")
            elif may and method == "post" and result == "refused" and not rule.signs_out:
                failures.append(f"{cell}: should be allowed to post, but answered {code}")
            elif not may and result != "refused":
                failures.append(f"{cell}: should be refused, but answered {code} ({result})")
            elif changed:
                failures.append(f"{cell}: was refused, yet rows were added or removed")
            elif hidden(rule, role) and code not in (404, 405):
                # 405 refuses the method before any record is looked up.
                failures.append(f"{cell}: should not be found (404), but answered {code}")
            if role != ANONYMOUS and client.cookies.get("sessionid") != session:
                client.force_login(user)  # signing out was one of the cells
                session = session_of(client)
    assert not failures, f"{len(failures)} cells answered wrongly:\n" + "\n".join(failures)
