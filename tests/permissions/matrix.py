"""Who may open (GET) and who may post to (POST) every URL of the portal, written from
the README's "Roles" table, for tests/permissions/test_matrix.py (ADR 0020).

Each URL pattern has an entry in ``EXPECTED``, keyed by its URL name (``"projects:
project-detail"``) or, for a pattern without a name, by its route. An entry is a
:class:`Rule`, or a tuple of rules when the answer depends on whose object it is (a
partnership's page of EM IEP and of Team Lancashire). ``on`` names the demo object
whose ids fill the path (``SUBJECTS`` in the test); the roles are the demo users and
the anonymous visitor. A role outside ``get`` (or ``post``) must be refused; a role
inside it must be served. ``post=None`` means the page takes no form, so nothing is
posted to it.

Admin pages are generated from ``ADMIN_MODELS``: one :class:`AdminRule` per model
registered in the admin, saying which of the support team may list and read its rows,
add one, change one and delete one. Everyone else is sent to the admin's sign-in.
"""

from dataclasses import dataclass

ANONYMOUS = "anonymous"
NORTH_KESTEVEN = "officer-north-kesteven"  # the demo's own council: its project, bid, return
NOTTINGHAMSHIRE = "officer-nottinghamshire"  # another council of EM IEP
LEICESTER = "officer-leicester"  # another council of EM IEP
LANCASTER = "officer-lancaster"  # a council of Team Lancashire, the other partnership
MANAGER = "manager"
BOARD = "board"
FINANCE = "finance"  # EM IEP's finance: the paying body
S151 = "finance-north-kesteven"  # North Kesteven's finance officer
ADMIN = "admin"

ROLES = (
    ANONYMOUS,
    NORTH_KESTEVEN,
    NOTTINGHAMSHIRE,
    LEICESTER,
    LANCASTER,
    MANAGER,
    BOARD,
    FINANCE,
    S151,
    ADMIN,
)


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


NOBODY = roles()
EVERYONE = roles(*ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
OFFICERS = roles(NORTH_KESTEVEN, NOTTINGHAMSHIRE, LEICESTER, LANCASTER)
# The partnership's programme managers, board and finance read all of its records;
# an administrator reads every record.
EM_IEP_READERS = roles(MANAGER, BOARD, FINANCE, ADMIN)
# ... and its member councils' officers and finance officers read its own pages.
EM_IEP_MEMBERS = EM_IEP_READERS | {NORTH_KESTEVEN, NOTTINGHAMSHIRE, LEICESTER, S151}
MANAGERS = roles(MANAGER, ADMIN)
SUPPORT = MANAGERS  # who uses the admin site
# Who reads North Kesteven's project and its payments, reports and returns: its own
# officers and finance officer, and the partnership's readers.
NORTH_KESTEVEN_READERS = EM_IEP_READERS | {NORTH_KESTEVEN, S151}
# Who works on North Kesteven's project: its officers (and an administrator).
NORTH_KESTEVEN_WRITERS = roles(NORTH_KESTEVEN, ADMIN)


@dataclass(frozen=True)
class Rule:
    get: frozenset[str]
    post: frozenset[str] | None = None  # None: the page takes no form; nothing is posted
    on: str | None = None  # the demo object whose ids fill the path (_subjects() in the test)
    # What an allowed GET answers: a page or file (200), or a redirect on to the page
    # it leads to (a notification opens its record).
    redirects: bool = False
    # A button's target: an allowed GET may answer anything but a server error (405,
    # or the page the button is on); a refused one must still be refused.
    button: bool = False
    # Signing out: an allowed post is sent to sign in again.
    signs_out: bool = False


def page(readers, writers=None, on=None, redirects=False) -> Rule:
    return Rule(
        get=frozenset(readers),
        post=None if writers is None else frozenset(writers),
        on=on,
        redirects=redirects,
    )


def form(people, on=None) -> Rule:
    """A form page: the same people open it and post it."""
    return Rule(get=frozenset(people), post=frozenset(people), on=on)


def action(people, on=None) -> Rule:
    """A button's target, posted to by ``people``; their GET is refused (405), sent on
    to the page the button is on or asks them to confirm. Everyone else is refused
    both."""
    return Rule(get=frozenset(people), post=frozenset(people), on=on, button=True)


EXPECTED: dict[str, Rule | tuple[Rule, ...]] = {
    # Signing in and out, and the health check, are for everyone.
    "login": page(EVERYONE, EVERYONE, redirects=True),
    "logout": Rule(get=EVERYONE, post=EVERYONE, button=True, signs_out=True),
    "two-factor-set-up": form(SIGNED_IN),
    "two-factor-verify": Rule(get=SIGNED_IN, post=SIGNED_IN, redirects=True),
    "healthz": page(EVERYONE),
    "home": page(SIGNED_IN),
    # Anyone's own account and API tokens; single sign-on is off in the demo.
    "account": page(SIGNED_IN),
    "api-tokens:list": page(SIGNED_IN),
    "api-tokens:create": form(SIGNED_IN),
    "api-tokens:revoke": form(roles(NORTH_KESTEVEN), on="api token"),
    "oidc_authentication_init": page(NOBODY),
    "oidc_authentication_callback": page(NOBODY),
    # Read before signing in as much as after.
    "accessibility-statement": page(EVERYONE),
    "privacy-notice": page(EVERYONE),
    # Open data: published by the programme managers, read by anyone.
    "partnership:publish-grants": form(MANAGERS, on="em iep"),
    "partnership:stop-publishing-grants": action(MANAGERS, on="em iep"),
    "reports:open-data": page(EVERYONE, on="em iep"),
    "reports:open-data-json": page(EVERYONE, on="em iep"),
    "reports:open-data-xlsx": page(EVERYONE, on="em iep"),
    # Partnerships, meetings, decisions and actions
    # A reader of one partnership is sent on to its meetings.
    "partnership:meetings": page(EM_IEP_READERS, redirects=True),
    "partnership:organisation-detail": page(SIGNED_IN, on="north kesteven"),
    "partnership:sub-region-detail": (
        page(EM_IEP_MEMBERS, on="em iep sub-region"),
        page(roles(LANCASTER, ADMIN), on="team lancashire sub-region"),
    ),
    "partnership:partnership-detail": (
        page(EM_IEP_MEMBERS, on="em iep"),
        page(roles(LANCASTER, ADMIN), on="team lancashire"),
    ),
    "partnership:meeting-list": page(EM_IEP_MEMBERS, on="em iep"),
    "partnership:outstanding-actions": page(EM_IEP_MEMBERS, on="em iep"),
    "partnership:meeting-create": form(MANAGERS, on="em iep"),
    "partnership:meeting-detail": page(EM_IEP_MEMBERS, on="meeting"),
    "partnership:meeting-edit": form(MANAGERS, on="meeting"),
    "partnership:meeting-attendance": form(MANAGERS, on="meeting"),
    "partnership:agenda-item-add": form(MANAGERS, on="meeting"),
    "partnership:declaration-add": form(MANAGERS, on="meeting"),
    "partnership:decision-add": form(MANAGERS, on="meeting"),
    "partnership:action-add": form(MANAGERS, on="meeting"),
    "partnership:minutes-draft": action(MANAGERS, on="meeting"),
    "partnership:minutes-approve": action(MANAGERS, on="meeting"),
    "partnership:agenda-item-report": page(EM_IEP_MEMBERS, on="agenda item"),
    "partnership:action-complete": action(MANAGERS, on="action"),
    "partnership:action-reopen": action(MANAGERS, on="action"),
    # A person's own downloads and notifications: nobody else's, not even an
    # administrator's.
    "downloads:list": page(SIGNED_IN),
    "downloads:detail": page(roles(NORTH_KESTEVEN), on="download"),
    "downloads:file": page(roles(NORTH_KESTEVEN), on="download"),
    "downloads:retry": action(roles(NORTH_KESTEVEN), on="download"),
    "notifications:list": page(SIGNED_IN),
    "notifications:open": page(roles(NORTH_KESTEVEN), on="notification", redirects=True),
    "notifications:mark-all-read": action(SIGNED_IN),
    "notifications:settings": form(SIGNED_IN),
    # Programmes
    "programmes:programme-detail": (
        page(EM_IEP_MEMBERS, on="em iep programme"),
        page(roles(LANCASTER, ADMIN), on="team lancashire programme"),
    ),
    "programmes:budget-line-detail": (
        page(EM_IEP_MEMBERS, on="em iep budget line"),
        page(roles(LANCASTER, ADMIN), on="team lancashire budget line"),
    ),
    # Bidding rounds: officers bid, programme managers run the round, the board reads
    # the bids ranked.
    "bids:round-list": page(OFFICERS | {MANAGER, BOARD, ADMIN}),
    "bids:round-open": form(MANAGERS),
    "bids:round-detail": page(EM_IEP_MEMBERS, on="round"),
    "bids:round-reopen": action(MANAGERS, on="round"),
    "bids:round-scorers": form(MANAGERS, on="round"),
    "bids:round-ranked": page(EM_IEP_MEMBERS, on="round"),
    "bids:round-ranking-publish": action(MANAGERS, on="round"),
    "bids:round-ranked-csv": page(EM_IEP_MEMBERS, on="round"),
    "bids:round-ranked-xlsx": page(EM_IEP_MEMBERS, on="round"),
    "bids:round-funding-plan": page(MANAGERS, on="round"),
    # A bid is a council's: only its officers start one. The demo's round has closed,
    # so they are sent back to the round, and their posts refused with a reason;
    # everyone else is refused outright.
    "bids:bid-create": Rule(
        get=roles(NORTH_KESTEVEN, NOTTINGHAMSHIRE, LEICESTER),
        post=roles(NORTH_KESTEVEN, NOTTINGHAMSHIRE, LEICESTER),
        on="round",
        redirects=True,
    ),
    "bids:bid-detail": page(roles(NORTH_KESTEVEN, MANAGER, BOARD, ADMIN), on="submitted bid"),
    "bids:bid-business-case": page(
        roles(NORTH_KESTEVEN, MANAGER, BOARD, ADMIN), on="submitted bid"
    ),
    "bids:bid-update": Rule(
        get=NORTH_KESTEVEN_WRITERS, post=NORTH_KESTEVEN_WRITERS, on="draft bid", redirects=True
    ),
    "bids:bid-submit": action(NORTH_KESTEVEN_WRITERS, on="draft bid"),
    "bids:bid-withdraw": action(NORTH_KESTEVEN_WRITERS, on="submitted bid"),
    "bids:bid-score": form(MANAGERS, on="submitted bid"),
    "bids:bid-declare-interest": form(MANAGERS, on="submitted bid"),
    "bids:bid-agree-points": form(MANAGERS, on="submitted bid"),
    "bids:bid-recommend": form(MANAGERS, on="submitted bid"),
    "bid_decisions:decide": form(MANAGERS, on="submitted bid"),
    # Projects: the lead council's officers deliver, the programme managers verify and
    # approve, the partnership's finance pays; duties kept apart.
    "projects:project-list": page(EM_IEP_READERS),
    # An officer's lists; an administrator reads every record, theirs too.
    "projects:my-projects": page(OFFICERS | {ADMIN}),
    "projects:milestones-awaiting-verification": page(MANAGERS),
    "projects:change-requests-awaiting-decision": page(MANAGERS),
    "projects:late-progress-reports": page(MANAGERS),
    "projects:milestones-due": page(OFFICERS | {ADMIN}),
    "projects:milestones-returned": page(OFFICERS | {ADMIN}),
    "projects:progress-reports-due": page(OFFICERS | {ADMIN}),
    "projects:repayments-overdue": page(roles(FINANCE, ADMIN)),
    "projects:project-detail": page(NORTH_KESTEVEN_READERS, on="project"),
    "projects:project-history": page(NORTH_KESTEVEN_READERS, on="project"),
    "projects:milestone-add": form(MANAGERS, on="project"),
    "projects:risk-add": form(roles(NORTH_KESTEVEN, MANAGER, ADMIN), on="project"),
    "projects:progress-report-edit": form(NORTH_KESTEVEN_WRITERS, on="progress report quarter"),
    "projects:change-request-add": form(NORTH_KESTEVEN_WRITERS, on="project"),
    "projects:project-close": form(MANAGERS, on="project"),
    "projects:repayment-add": form(MANAGERS, on="project"),
    "projects:clawback-add": form(MANAGERS, on="project"),
    "projects:milestone-detail": page(NORTH_KESTEVEN_READERS, on="milestone"),
    "projects:milestone-log": form(NORTH_KESTEVEN_WRITERS, on="milestone"),
    "projects:milestone-reprofile": form(NORTH_KESTEVEN_WRITERS, on="milestone"),
    "projects:milestone-verify": action(MANAGERS, on="achieved milestone"),
    "projects:milestone-return": form(MANAGERS, on="achieved milestone"),
    "projects:evidence-download": page(NORTH_KESTEVEN_READERS, on="evidence"),
    "projects:payment-schedule": page(roles(MANAGER, FINANCE, S151, ADMIN)),
    "projects:payment-schedule-csv": form(roles(MANAGER, FINANCE, S151, ADMIN)),
    "projects:payment-schedule-xlsx": form(roles(MANAGER, FINANCE, S151, ADMIN)),
    "projects:payment-detail": page(NORTH_KESTEVEN_READERS, on="payment"),
    "projects:payment-approve": action(MANAGERS, on="payment"),
    "projects:payment-withhold": form(MANAGERS, on="payment"),
    "projects:payment-release": action(MANAGERS, on="payment"),
    "projects:payment-record": form(roles(FINANCE, ADMIN), on="payment"),
    "projects:progress-report-detail": page(NORTH_KESTEVEN_READERS, on="progress report"),
    "projects:progress-report-submit": action(NORTH_KESTEVEN_WRITERS, on="progress report"),
    "projects:progress-report-correct": action(NORTH_KESTEVEN_WRITERS, on="progress report"),
    "projects:risk-edit": form(roles(NORTH_KESTEVEN, MANAGER, ADMIN), on="risk"),
    "projects:change-request-detail": page(NORTH_KESTEVEN_READERS, on="change request"),
    "projects:change-request-decide": form(MANAGERS, on="change request"),
    "projects:repayment-record": form(roles(FINANCE, ADMIN), on="repayment"),
    "projects:clawback-record": form(roles(FINANCE, ADMIN), on="clawback"),
    # Savings: a council's officers enter its returns, its finance officer certifies
    # them, the partnership reads them all.
    "savings:summary": page(EM_IEP_READERS),
    "savings:summary-download": page(EM_IEP_READERS, on="summary table"),
    # Anyone with a role downloads the entries they may see (their own council's, or
    # their partnerships'); a large file is asked for by a post and made in the
    # background.
    "savings:entries-csv": form(SIGNED_IN),
    "savings:entries-xlsx": form(SIGNED_IN),
    "savings:forecasts": page(EM_IEP_READERS),
    "savings:forecasts-csv": page(EM_IEP_READERS),
    "savings:targets": page(EM_IEP_READERS),
    "savings:target-set": form(MANAGERS),
    # A reader of one council is sent on to its page.
    "savings:our-savings": page(OFFICERS | {S151, ADMIN}, redirects=True),
    "savings:awaiting-sign-off": page(roles(S151, ADMIN)),
    "savings:returns-due": page(OFFICERS | {ADMIN}),
    "savings:council": page(NORTH_KESTEVEN_READERS, on="north kesteven"),
    "savings:return-enter": form(NORTH_KESTEVEN_WRITERS, on="north kesteven"),
    "savings:return-upload": form(NORTH_KESTEVEN_WRITERS, on="north kesteven"),
    "savings:return-check": form(NORTH_KESTEVEN_WRITERS, on="draft return quarter"),
    # A council's forecasts are recorded by its officers, or by the partnership's
    # managers from the returns they received (issue 13).
    "savings:forecast-record": form(NORTH_KESTEVEN_WRITERS | {MANAGER}, on="north kesteven"),
    "savings:benefit-record": form(NORTH_KESTEVEN_WRITERS, on="north kesteven"),
    "savings:return-template-csv": page(SIGNED_IN),
    "savings:return-template-xlsx": page(SIGNED_IN),
    "savings:return-detail": (
        page(NORTH_KESTEVEN_READERS, on="submitted return"),
        # A draft is its council's officers' alone until it is submitted, not even an
        # administrator's: they are sent on to carry on with it.
        page(roles(NORTH_KESTEVEN), on="draft return", redirects=True),
    ),
    "savings:draft-discard": action(roles(NORTH_KESTEVEN), on="draft return"),
    "savings:return-sign-off": form(roles(S151, ADMIN), on="submitted return"),
    # Dashboards and board packs are the board's and the programme managers'.
    "reports:dashboard": page(roles(MANAGER, BOARD, ADMIN)),
    "reports:dashboard-download": page(roles(MANAGER, BOARD, ADMIN), on="chart"),
    "reports:pack-list": page(roles(MANAGER, BOARD, ADMIN), MANAGERS, on="meeting"),
    "reports:pack-detail": page(roles(MANAGER, BOARD, ADMIN), on="board pack"),
    "reports:pack-download": page(roles(MANAGER, BOARD, ADMIN), on="board pack"),
    "reports:pack-retry": action(MANAGERS, on="board pack"),
    # The API reads what the pages show: every signed-in user gets the lists (of what
    # they may see), an object only those who may see it. Nothing is written yet.
    # The schema and its docs describe the API, no records: public (ADR 0012).
    "api:schema": page(EVERYONE),
    "api:docs": page(EVERYONE),
    "api:api-root": page(SIGNED_IN, NOBODY),
    # The API's writes are the pages' (docs/adr/0021): the same people, refused alike.
    "api:bidding-rounds-draft-bid": action(
        roles(NORTH_KESTEVEN, NOTTINGHAMSHIRE, LEICESTER), on="round"
    ),
    "api:bids-change": action(NORTH_KESTEVEN_WRITERS, on="draft bid"),
    "api:bids-submit": action(NORTH_KESTEVEN_WRITERS, on="draft bid"),
    "api:milestones-log": action(NORTH_KESTEVEN_WRITERS, on="milestone"),
    "api:milestones-verify": action(MANAGERS, on="achieved milestone"),
    "api:milestones-send-back": action(MANAGERS, on="achieved milestone"),
    "api:grant-payments-approve": action(MANAGERS, on="payment"),
    "api:grant-payments-record-paid": action(roles(FINANCE, ADMIN), on="payment"),
    "api:progress-reports-submit": action(NORTH_KESTEVEN_WRITERS, on="progress report"),
    # The council is named in the body: an empty one is answered with what is missing.
    "api:savings-returns-submit": action(SIGNED_IN),
    "api:savings-returns-upload": action(SIGNED_IN),
}

# One list and one detail endpoint per API resource: (list readers, the demo object a
# detail is tried on, who may read it).
API = {
    "partnerships": ("em iep", EM_IEP_MEMBERS),
    "organisations": ("north kesteven", SIGNED_IN),
    "sub-regions": ("em iep sub-region", EM_IEP_MEMBERS),
    "meetings": ("meeting", EM_IEP_MEMBERS),
    "decisions": ("decision", EM_IEP_MEMBERS),
    "actions": ("action", EM_IEP_MEMBERS),
    "programmes": ("em iep programme", EM_IEP_MEMBERS),
    "budget-lines": ("em iep budget line", EM_IEP_MEMBERS),
    "ledger-entries": ("ledger entry", EM_IEP_READERS),
    "bidding-rounds": ("round", EM_IEP_MEMBERS),
    "bids": ("submitted bid", roles(NORTH_KESTEVEN, MANAGER, BOARD, ADMIN)),
    "projects": ("project", NORTH_KESTEVEN_READERS),
    "milestones": ("milestone", NORTH_KESTEVEN_READERS),
    "grant-payments": ("payment", NORTH_KESTEVEN_READERS),
    "savings-entries": ("savings entry", EM_IEP_READERS | {NOTTINGHAMSHIRE}),
    "savings-returns": ("submitted return", NORTH_KESTEVEN_READERS),
    "savings-targets": ("savings target", NORTH_KESTEVEN_READERS),
    "forecast-returns": ("forecast return", NORTH_KESTEVEN_READERS),
    "funding-sources": ("funding source", EM_IEP_MEMBERS),
    "criteria": ("criterion", EM_IEP_MEMBERS),
    "progress-reports": ("progress report", NORTH_KESTEVEN_READERS),
    "change-requests": ("change request", NORTH_KESTEVEN_READERS),
}
for resource, (subject, readers) in API.items():
    EXPECTED[f"api:{resource}-list"] = page(SIGNED_IN, NOBODY)
    EXPECTED[f"api:{resource}-detail"] = page(readers, NOBODY, on=subject)


@dataclass(frozen=True)
class AdminRule:
    """Who of the support team may do what to a model in the admin. ``on`` names the
    demo row its change, history and delete pages are tried on; without it, the
    model's first row."""

    view: frozenset[str]
    add: frozenset[str] = NOBODY
    change: frozenset[str] = NOBODY
    delete: frozenset[str] = NOBODY
    on: str | None = None
    listed: frozenset[str] | None = None  # who opens the list, when not ``view``


def corrected(people=MANAGERS, **more) -> AdminRule:
    """A record the partnership's support team corrects in the admin: they read, add,
    change and delete it."""
    return AdminRule(view=people, add=people, change=people, delete=people, **more)


def read_only(people=SUPPORT, **more) -> AdminRule:
    """A record only services make and move: read there, never written."""
    return AdminRule(view=people, **more)


ADMINISTRATOR_ONLY = corrected(roles(ADMIN))

ADMIN_MODELS: dict[str, AdminRule] = {
    # Partnerships, councils, people and roles are the administrator's.
    "partnership.partnership": AdminRule(
        view=SUPPORT, add=roles(ADMIN), change=SUPPORT, delete=roles(ADMIN)
    ),
    "partnership.organisation": AdminRule(
        view=SUPPORT, add=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)
    ),
    "partnership.subregion": corrected(),
    "partnership.theme": corrected(),
    "partnership.role": ADMINISTRATOR_ONLY,
    "auth.user": ADMINISTRATOR_ONLY,
    "auth.group": ADMINISTRATOR_ONLY,
    "partnership.meeting": corrected(),
    "partnership.agendaitem": corrected(),
    # The demo's decisions and actions are of a meeting whose minutes are approved:
    # settled, so read only.
    "partnership.decision": AdminRule(view=SUPPORT, add=SUPPORT),
    "partnership.action": AdminRule(view=SUPPORT, add=SUPPORT),
    # Recorded on the meeting's pages, which say who recorded it.
    "partnership.attendance": read_only(),
    # Made by the services that notify; an administrator reads anyone's, a manager
    # lists only their own.
    "partnership.notification": AdminRule(view=roles(ADMIN), listed=SUPPORT),
    # Programmes and budget lines are corrected by the programme managers; the ledger
    # is added to, never edited.
    "programmes.programme": corrected(),
    "programmes.budgetline": corrected(),
    "programmes.fundingsource": corrected(),
    "programmes.ledgerentry": AdminRule(view=SUPPORT, add=SUPPORT),
    # Opened on the portal's page; corrected here.
    "bids.biddinground": AdminRule(view=SUPPORT, change=SUPPORT, delete=SUPPORT),
    "bids.criterion": corrected(),
    # A submitted bid is the service's; drafts are written through it.
    "bids.bid": AdminRule(view=SUPPORT, add=SUPPORT, on="submitted bid"),
    "bids.score": read_only(),
    "bids.interestdeclaration": read_only(),
    "projects.project": AdminRule(view=SUPPORT, change=SUPPORT, on="project"),
    # Added on the project's page, through the service that re-profiles payments.
    "projects.milestone": AdminRule(view=SUPPORT, change=SUPPORT),
    "projects.milestonereprofile": read_only(),
    "projects.grantpayment": read_only(on="payment"),
    # Written by the lead council's officers, never by the managers who chase them.
    "projects.progressreport": AdminRule(
        view=SUPPORT, add=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)
    ),
    "projects.repayment": read_only(),
    "projects.projectrisk": corrected(),
    "projects.changerequest": read_only(),
    "projects.projectclosure": read_only(),
    "projects.clawback": read_only(),
    "savings.savingscategory": corrected(),
    "savings.savingsreturn": read_only(on="submitted return"),
    # Typed entries are the council's officers'; the administrator writes them there
    # through the same services (README).
    "savings.savingsentry": AdminRule(
        view=SUPPORT, add=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)
    ),
    "savings.savingstarget": corrected(on="savings target"),
    # Forecast returns are recorded by the council's officers or the partnership's
    # managers, there as on the council's page.
    "savings.forecastreturn": corrected(),
    # Recorded once; one recorded wrongly is deleted and recorded again.
    "savings.otherbenefit": AdminRule(view=SUPPORT, add=SUPPORT, delete=SUPPORT),
    "reports.boardpack": read_only(),
    # A partnership's own systems, registered by its managers through the service;
    # the deliveries are made by the events and moved only by the task that sends them.
    "partnership.webhookendpoint": corrected(on="webhook endpoint"),
    "partnership.webhookdelivery": read_only(),
    # Agreements and their targets are recorded by the partnership's managers.
    "savings.agreement": corrected(on="agreement"),
    # The libraries' own records: the administrator's alone.
    "django_celery_beat.periodictask": ADMINISTRATOR_ONLY,
    "django_celery_beat.clockedschedule": ADMINISTRATOR_ONLY,
    "django_celery_beat.crontabschedule": ADMINISTRATOR_ONLY,
    "django_celery_beat.solarschedule": ADMINISTRATOR_ONLY,
    "django_celery_beat.intervalschedule": ADMINISTRATOR_ONLY,
    "otp_totp.totpdevice": ADMINISTRATOR_ONLY,
    "otp_static.staticdevice": ADMINISTRATOR_ONLY,
    # Sign-in attempts are recorded by django-axes, never typed in.
    "axes.accessattempt": AdminRule(view=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)),
    "axes.accesslog": AdminRule(view=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)),
    "axes.accessfailurelog": AdminRule(view=roles(ADMIN), change=roles(ADMIN), delete=roles(ADMIN)),
}

# The admin's own pages.
EXPECTED.update(
    {
        "admin:index": page(SUPPORT),
        "admin:login": page(EVERYONE, EVERYONE, redirects=True),
        "admin:logout": Rule(get=EVERYONE, post=EVERYONE, button=True, signs_out=True),
        "admin:password_change": form(SUPPORT),
        "admin:password_change_done": page(SUPPORT),
        "admin:jsi18n": page(SUPPORT),
        "admin:auth_user_password_change": form(roles(ADMIN), on="admin auth.user"),
        # Asked by a form's drop-down with its field named; bare, it is refused.
        "admin:autocomplete": page(NOBODY),
        "admin:app_list": page(SUPPORT, on="admin app"),
        "admin:view_on_site": page(SUPPORT, on="admin project", redirects=True),
        "admin:otp_totp_totpdevice_config": page(roles(ADMIN), on="admin totp device"),
        "admin:otp_totp_totpdevice_qrcode": page(roles(ADMIN), on="admin totp device"),
        # A mistyped admin address is not found, or asks the visitor to sign in.
        "admin/(?P<url>.*)$": page(NOBODY, on="admin missing page"),
    }
)

# Who may see each subject at all. Anyone signed in outside it is answered 404 by its
# pages and API, as if it did not exist, never 403, which would confirm that it does
# (or 405, for a method a page never takes, whatever the id).
_NORTH_KESTEVEN_PROJECT = (
    "project",
    "milestone",
    "achieved milestone",
    "payment",
    "evidence",
    "progress report",
    "risk",
    "change request",
    "repayment",
    "clawback",
)
SEEN_BY: dict[str, frozenset[str]] = {
    **dict.fromkeys(_NORTH_KESTEVEN_PROJECT, NORTH_KESTEVEN_READERS),
    "submitted bid": roles(NORTH_KESTEVEN, MANAGER, BOARD, ADMIN),
    "draft bid": roles(NORTH_KESTEVEN, ADMIN),
    "submitted return": NORTH_KESTEVEN_READERS,
    "draft return": roles(NORTH_KESTEVEN),
    "download": roles(NORTH_KESTEVEN),
    "meeting": EM_IEP_MEMBERS,
    "agenda item": EM_IEP_MEMBERS,
    "round": EM_IEP_MEMBERS,
    "em iep programme": EM_IEP_MEMBERS,
    "em iep budget line": EM_IEP_MEMBERS,
    "team lancashire programme": roles(LANCASTER, ADMIN),
    "team lancashire budget line": roles(LANCASTER, ADMIN),
}
